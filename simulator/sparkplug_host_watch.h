#pragma once

#include <QByteArray>
#include <QString>

namespace fd::sim {

// An edge node's view of its primary host application (Sparkplug 3.0, "Edge Node Session
// Establishment"): the host's STATE {"online":bool,"timestamp":ms} messages, applied only
// when their timestamp is not older than the last one accepted.
class SparkplugHostWatch
{
public:
    enum class Change {
        None,       // nothing new (an older or unreadable STATE, or no change)
        Online,     // the host is online now
        Offline,    // the host went offline
        Unreadable, // not a STATE payload
    };

    explicit SparkplugHostWatch(QString hostId = QString()) : m_hostId(std::move(hostId)) {}

    bool enabled() const { return !m_hostId.isEmpty(); }
    const QString &hostId() const { return m_hostId; }
    bool isOnline() const { return m_online; }
    Change apply(const QByteArray &statePayload);

private:
    QString m_hostId;
    bool m_online = false;
    qint64 m_timestamp = -1;  // of the last STATE accepted; -1: none yet
};

} // namespace fd::sim
