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
        std::string commandTopic;  // subscribed (QoS 1) on every (re)connect; empty: none
        QByteArray onlineStatus;   // retained on connect
        QByteArray offlineStatus;  // Last Will
        std::string caFile;        // TLS only; empty: system trust store
        std::string username;      // empty: anonymous
        std::string password;
    };

    // done(ok, reason) runs on Paho's thread when the first connect attempt ends (with a
    // command topic: once the broker acknowledged the subscription, so commands sent after
    // done(true) reach the device).
    using ConnectDone = std::function<void(bool ok, const QString &reason)>;
    // Runs on Paho's thread for each message on the command topic; set before connect().
    using CommandHandler = std::function<void(QByteArray payload)>;

    explicit DeviceConnection(Config config);  // throws mqtt::exception
    ~DeviceConnection();

    void setCommandHandler(CommandHandler handler) { m_commandHandler = std::move(handler); }
    void connect(ConnectDone done);  // throws mqtt::exception
    bool isConnected() const;
    // false (and nothing registered) when not connected or Paho refuses.
    bool publish(const std::string &topic, const QByteArray &payload, int qos, bool retained,
                 DeviceLedger::Entry entry, QString *error = nullptr);
    bool publishStatus(bool online, int qos);
    // Fire-and-forget, not in the ledger (command responses).
    bool publishUntracked(const std::string &topic, const QByteArray &payload, int qos);
    // Starts a clean disconnect; nullptr when not connected. Use timeoutMs 0 after in-flight
    // publishes settled: with a timeout and messages in flight, Paho's token never completes.
    mqtt::token_ptr disconnect(int timeoutMs);

    DeviceLedger &ledger() { return m_ledger; }

private:
    class PublishListener;
    class ConnectListener;
    class SubscribeListener;

    Config m_config;
    CommandHandler m_commandHandler;
    DeviceLedger m_ledger;
    std::unique_ptr<PublishListener> m_publishListener;
    std::unique_ptr<ConnectListener> m_connectListener;
    std::unique_ptr<SubscribeListener> m_subscribeListener;
    mqtt::connect_options m_options;
    std::unique_ptr<mqtt::async_client> m_client;  // last: destroyed first
};

} // namespace fd::sim
