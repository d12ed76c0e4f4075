#include "simulator/sparkplug_host_watch.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace fd::sim {

SparkplugHostWatch::Change SparkplugHostWatch::apply(const QByteArray &statePayload)
{
    const QJsonObject o = QJsonDocument::fromJson(statePayload).object();
    const QJsonValue online = o.value(QStringLiteral("online"));
    const qint64 timestamp = o.value(QStringLiteral("timestamp")).toInteger(-1);
    if (!online.isBool() || timestamp < 0)
        return Change::Unreadable;
    if (m_timestamp >= 0 && timestamp < m_timestamp)
        return Change::None;  // an older host session's STATE, delivered late
    m_timestamp = timestamp;
    const bool was = m_online;
    m_online = online.toBool();
    if (m_online == was)
        return Change::None;
    return m_online ? Change::Online : Change::Offline;
}

} // namespace fd::sim
