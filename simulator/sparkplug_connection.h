#pragma once

#include <mqtt/async_client.h>

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fd::sim {

// An edge node's MQTT 5 connection (Paho async client, clean start, session expiry 0). Every
// connect() carries its own Will (the NDEATH with that session's bdSeq), so there is no
// automatic reconnect: the node reconnects itself with the next bdSeq. The handlers run on
// Paho's threads; the node posts them to its own.
class SparkplugConnection
{
public:
    struct Config
    {
        std::string serverUri;  // tcp://host:port or ssl://host:port
        std::string clientId;
        std::string caFile;     // TLS only; empty: system trust store
        std::string certFile;   // mTLS (--cert-dir): the node's certificate (+ chain) and key
        std::string keyFile;
        std::string username;   // empty: anonymous
        std::string password;
        std::vector<std::string> subscriptions;  // QoS 1, subscribed on every connect before ready
    };
    struct Handlers
    {
        std::function<void()> ready;                 // connected and subscribed
        std::function<void(QString)> connectFailed;  // this connect() did not succeed
        std::function<void(QString)> lost;           // an established connection ended unasked
        std::function<void(std::string topic, QByteArray payload, bool retained)> message;
    };

    SparkplugConnection(Config config, Handlers handlers);  // throws mqtt::exception
    ~SparkplugConnection();

    void connect(const std::string &willTopic, const QByteArray &willPayload);  // throws mqtt::exception
    bool isConnected() const;
    // QoS 0 or 1, never retained. nullptr when not connected or refused.
    mqtt::delivery_token_ptr publish(const std::string &topic, const QByteArray &payload, int qos);
    // Ends the connection abruptly so that the broker publishes the Will: a second client
    // with our client id connects (session takeover, MQTT 5 3.1.4), the broker closes our
    // connection without a DISCONNECT from us, which fires the Will, and the intruder leaves
    // cleanly. (Paho C++ 1.2 cannot send DISCONNECT reason 0x04 "with Will Message": its
    // disconnect options are version 0, whose reason code Paho C ignores.) The caller
    // ignores the lost() that follows. false when not connected or the intruder failed.
    bool dropWithWill();
    // A clean disconnect (no Will); nullptr when not connected.
    mqtt::token_ptr disconnect();

private:
    class ConnectListener;
    class TakeoverListener;
    mqtt::connect_options connectOptions(const std::string &willTopic, const QByteArray &willPayload) const;
    class SubscribeListener;

    Config m_config;
    Handlers m_handlers;
    std::unique_ptr<ConnectListener> m_connectListener;
    std::unique_ptr<SubscribeListener> m_subscribeListener;
    std::unique_ptr<TakeoverListener> m_takeoverListener;
    std::unique_ptr<mqtt::async_client> m_takeover;  // dropWithWill()'s intruder, until the next drop
    std::unique_ptr<mqtt::async_client> m_client;  // last: destroyed first
};

} // namespace fd::sim
