#pragma once

#include "core/domain/sparkplug_session.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace fd {

// A Sparkplug B command ready to publish (QoS 0, not retained): NCMD to an edge node or
// DCMD to a device behind one. name is the tracked command's name ("rebirth", "write").
struct SparkplugCommandMessage
{
    QString name;
    QString topic;
    QByteArray payload;
};

// Builds the commands a host application sends. Paths are DeviceKey paths of a Sparkplug
// source: "group/node" (an edge node) or "group/node/device".
class SparkplugCommandBuilder
{
public:
    // NCMD `Node Control/Rebirth` = true to the edge node of path (for a device: its node).
    // nullopt (*error) when path is not a Sparkplug node or device path.
    static std::optional<SparkplugCommandMessage> rebirth(const QString &path, qint64 nowMs, QString *error = nullptr);

    // Writes metric (NCMD for a node, DCMD for a device) with the datatype its BIRTH
    // declared (definition) and its alias when it has one. valueText is what an operator
    // typed: parsed for that datatype ("true"/"false"/"1"/"0" for Boolean; integers in the
    // type's range; a finite number for Float/Double; any text for String, Text and UUID;
    // ms since epoch for DateTime). nullopt with *error when the metric is not writable, the
    // path is not Sparkplug's, or the value does not fit ("300 is out of range for UInt8").
    static std::optional<SparkplugCommandMessage> write(const QString &path, const QString &metric,
                                                        const SparkplugMetricDefinition &definition,
                                                        const QString &valueText, qint64 nowMs,
                                                        QString *error = nullptr);

    // "Int8", "Float", ... for a datatype code; "Unknown (99)" for a code it does not know.
    static QString datatypeName(quint32 datatype);
};

} // namespace fd
