#pragma once

#include <QByteArray>
#include <QString>

#include <functional>

namespace mqtt {
class connect_options;
}

namespace fd {

// A client's presence on the broker, as a pair of retained messages stamped with one
// session time T per connection (the Sparkplug B host STATE; docs/protocol.md):
//   - the offline message is the connection's Will (and is published before a clean
//     disconnect), so the broker announces a lost client;
//   - the online message is published once the broker has answered every subscription of
//     the new connection (subscribe first, then announce), with the same T.
struct PresenceMessage
{
    QString topic;
    int qos = 1;
    bool retained = true;
    std::function<QByteArray(bool online, qint64 sessionMs)> payload;

    bool isEnabled() const { return !topic.isEmpty() && payload != nullptr; }
};

// The presence of one MqttClient through its connects (on the client's thread).
class SessionPresence
{
public:
    void setMessage(PresenceMessage message) { m_message = std::move(message); }
    const PresenceMessage &message() const { return m_message; }
    bool isEnabled() const { return m_message.isEnabled(); }

    // A connect attempt starts at nowMs: a new session time, and the offline message as the
    // Will in options (nothing when disabled).
    void beginAttempt(mqtt::connect_options *options, qint64 nowMs);
    // Connected, with this many subscriptions sent: true when the online message is due
    // now (no subscription to wait for).
    bool connected(int subscriptions);
    // A subscription was answered (granted or refused): true when the online message is due.
    bool subscribed();
    // The online message was published (or the connection went away): nothing is due.
    void announced()
    {
        m_awaitingSubacks = -1;
        m_announced = true;
    }
    // The online message of this connection was published (announced()).
    bool isAnnounced() const { return m_announced; }

    qint64 sessionMs() const { return m_sessionMs; }
    QByteArray payload(bool online) const { return isEnabled() ? m_message.payload(online, m_sessionMs) : QByteArray(); }

private:
    PresenceMessage m_message;
    qint64 m_sessionMs = 0;
    int m_awaitingSubacks = -1;  // -1: not waiting
    bool m_announced = false;
};

} // namespace fd
