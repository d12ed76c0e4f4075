#pragma once

#include "simulator/client_tls.h"
#include "simulator/device_ledger.h"

#include <mqtt/async_client.h>

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

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
        std::vector<std::string> extraTopics;  // subscribed (QoS 1) with it, in the same SUBSCRIBE (OTA)
        QByteArray onlineStatus;   // retained on connect
        QByteArray offlineStatus;  // Last Will
        std::string caFile;        // TLS only; empty: system trust store
        std::string certFile;      // mTLS (--cert-dir): the device's certificate (+ chain) and key
        std::string keyFile;
        std::string username;      // empty: anonymous
        std::string password;
    };

    // done(ok, reason) runs on Paho's thread when the first connect attempt ends (with a
    // command topic: once the broker acknowledged the subscription, so commands sent after
    // done(true) reach the device).
    using ConnectDone = std::function<void(bool ok, const QString &reason)>;
    // Runs on Paho's thread for each message on the command topic; set before connect().
    using CommandHandler = std::function<void(QByteArray payload)>;
    // Runs on Paho's thread for each message on an extra topic (with its retain flag); set
    // before connect().
    using MessageHandler = std::function<void(const std::string &topic, QByteArray payload, bool retained)>;
    // Runs on Paho's thread after every (re)connect, once the status is published and the
    // subscriptions are sent (so a publish made after it comes after them); set before connect().
    using ConnectedHandler = std::function<void()>;
    // Runs on Paho's thread when dropWithWill() took the connection down.
    using DroppedHandler = std::function<void()>;

    explicit DeviceConnection(Config config);  // throws mqtt::exception
    ~DeviceConnection();

    void setCommandHandler(CommandHandler handler) { m_commandHandler = std::move(handler); }
    void setMessageHandler(MessageHandler handler) { m_messageHandler = std::move(handler); }
    void setConnectedHandler(ConnectedHandler handler) { m_connectedHandler = std::move(handler); }
    // The retained status published on the next (re)connects (a new fw_version after an OTA
    // install). Thread-safe.
    void setOnlineStatus(const QByteArray &status);
    // "cert_serial" added to the retained online status (the certificate it connects with;
    // empty: none). Thread-safe; counts from the next (re)connect.
    void setCertSerial(const QString &serial);
    // Leaves cleanly and connects again presenting another client certificate (a rotated
    // one): done(ok, reason) as for connect(). Call on the owner's thread, not Paho's.
    void reconnectWithIdentity(const std::string &certFile, const std::string &keyFile, ConnectDone done);
    // Why a TLS handshake with the broker fails with this device's settings, as the end of a
    // log line (ClientTls::failureSuffix: '' when it is not TLS, the broker is unreachable or
    // the handshake works). Blocks up to 3 s; call it on the owner's thread, for a reported
    // failure only.
    QString tlsFailureSuffix() const;
    void connect(ConnectDone done);  // throws mqtt::exception
    bool isConnected() const;
    // false (and nothing registered) when not connected or Paho refuses.
    bool publish(const std::string &topic, const QByteArray &payload, int qos, bool retained,
                 DeviceLedger::Entry entry, QString *error = nullptr);
    bool publishStatus(bool online, int qos);
    // Fire-and-forget, not in the ledger (command responses).
    bool publishUntracked(const std::string &topic, const QByteArray &payload, int qos, bool retained = false);
    // Starts a clean disconnect; nullptr when not connected. Use timeoutMs 0 after in-flight
    // publishes settled: with a timeout and messages in flight, Paho's token never completes.
    mqtt::token_ptr disconnect(int timeoutMs);
    // Drops the connection without a DISCONNECT, so that the broker publishes the Last Will
    // (an OTA reboot): a second client with our client id connects (session takeover; the
    // broker closes our connection and sends the Will of our clean session), then leaves.
    // Paho's automatic reconnect is cancelled once the loss is seen, and dropped() runs (on
    // Paho's thread); reconnect with connect(). False when not connected or a drop is under way.
    bool dropWithWill(DroppedHandler dropped);
    // Leaves at once: a clean disconnect when connected, else just cancels Paho's automatic
    // reconnect; the device stays down until connect().
    void stayDown();

    DeviceLedger &ledger() { return m_ledger; }

private:
    class PublishListener;
    class ConnectListener;
    class SubscribeListener;
    class TakeoverListener;

    void onConnectionLost();
    mqtt::connect_options connectOptions(bool withWill) const;

    Config m_config;
    CommandHandler m_commandHandler;
    MessageHandler m_messageHandler;
    ConnectedHandler m_connectedHandler;
    mutable std::mutex m_mutex;   // m_onlineStatus, m_certSerial, m_dropped
    QByteArray m_onlineStatus;    // Config::onlineStatus until setOnlineStatus()
    QString m_certSerial;
    DroppedHandler m_dropped;     // set while a dropWithWill() waits for the loss
    DeviceLedger m_ledger;
    std::unique_ptr<PublishListener> m_publishListener;
    std::unique_ptr<ConnectListener> m_connectListener;
    std::unique_ptr<SubscribeListener> m_subscribeListener;
    std::unique_ptr<TakeoverListener> m_takeoverListener;
    mqtt::connect_options m_options;
    std::unique_ptr<mqtt::async_client> m_client;    // destroyed before the listeners
    std::unique_ptr<mqtt::async_client> m_takeover;  // dropWithWill()'s intruder, until the next drop
};

} // namespace fd::sim
