#pragma once

#include <QString>

namespace fd::sim {

// Sparkplug B topics of one edge node: spBv1.0/{group}/{type}/{node}[/{device}].
class SparkplugTopics
{
public:
    SparkplugTopics(QString group, QString node) : m_group(std::move(group)), m_node(std::move(node)) {}

    std::string node(const char *type) const
    {
        return QString(QStringLiteral("spBv1.0/") + m_group + u'/' + QLatin1String(type) + u'/' + m_node).toStdString();
    }
    std::string device(const char *type, const QString &device) const
    {
        return node(type) + '/' + device.toStdString();
    }
    std::string deviceCommands() const { return node("DCMD") + "/+"; }
    static std::string state(const QString &hostId) { return QString(QStringLiteral("spBv1.0/STATE/") + hostId).toStdString(); }

private:
    QString m_group;
    QString m_node;
};

} // namespace fd::sim
