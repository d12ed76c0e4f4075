#pragma once

#include "simulator/device_ledger.h"

#include <mqtt/async_client.h>

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>

namespace fd::sim {

// One simulated device's own MQTT connection (Paho async client): a Last Will of a retained
// {"online":false} on its status topic, a retained status published on every (re)connect,
// and publishes settled into the device's ledger. Paho reconnects automatically once the
// first connect has succeeded; the first connect is retried by the caller.
class DeviceConnection
{
public:
    struct Config
    {
        std::string serverUri;   // tcp://host:port or ssl://host:port
        std::string clientId;
        std::string statusTopic;
        QByteArray onlineStatus;   // retained on connect
        QByteArray offlineStatus;  // Last Will
        std::string caFile;        // TLS only; empty: system trust store
    };

    // done(ok, reason) runs on Paho's thread when the first connect attempt ends.
    using ConnectDone = std::function<void(bool ok, const QString &reason)>;

    explicit DeviceConnection(Config config);  // throws mqtt::exception
    ~DeviceConnection();

    void connect(ConnectDone done);  // throws mqtt::exception
    bool isConnected() const;
    // false (and nothing registered) when not connected or Paho refuses.
    bool publish(const std::string &topic, const QByteArray &payload, int qos, bool retained,
                 DeviceLedger::Entry entry, QString *error = nullptr);
    bool publishStatus(bool online, int qos);
    // Starts a clean disconnect; nullptr when not connected. Use timeoutMs 0 after in-flight
    // publishes settled: with a timeout and messages in flight, Paho's token never completes.
    mqtt::token_ptr disconnect(int timeoutMs);

    DeviceLedger &ledger() { return m_ledger; }

private:
    class PublishListener;
    class ConnectListener;

    Config m_config;
    DeviceLedger m_ledger;
    std::unique_ptr<PublishListener> m_publishListener;
    std::unique_ptr<ConnectListener> m_connectListener;
    mqtt::connect_options m_options;
    std::unique_ptr<mqtt::async_client> m_client;  // last: destroyed first
};

} // namespace fd::sim
