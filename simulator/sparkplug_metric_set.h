#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>
#include <variant>

namespace fleetdeck::sparkplug_b {
class Payload;
class Payload_Metric;
}

namespace fd::sim {

// A metric value of one of the scalar Sparkplug datatypes the simulator uses; the metric's
// datatype decides which alternative it holds.
using SparkplugValue = std::variant<bool, qint32, quint32, qint64, quint64, float, double, QString>;

// The metrics of one edge node or device, as its BIRTH declares them (name, alias, datatype,
// value) and its DATA reports them (alias and value only, changed ones since the last
// DATA). Writes from NCMD/DCMD find a metric by alias or name and must carry its datatype.
class SparkplugMetricSet
{
public:
    struct Metric
    {
        QString name;
        quint64 alias = 0;
        quint32 datatype = 0;  // Sparkplug code: 3 Int32, 4 Int64, 7 UInt32, 9 Float, ...
        SparkplugValue value;
        bool writable = false;  // read-only ones carry the property readOnly = true
        bool changed = false;   // since the last DATA
    };

    enum class WriteResult { Applied, UnknownMetric, ReadOnly, WrongType };

    // Adds a metric; the datatype follows from the value's alternative.
    void add(const QString &name, quint64 alias, SparkplugValue initial, bool writable = false);
    // Sets the value (the same alternative as declared); marks it changed when it differs.
    void set(const QString &name, SparkplugValue value);
    const SparkplugValue *value(const QString &name) const;
    const QList<Metric> &metrics() const { return m_metrics; }

    // Every metric with name, alias, datatype, value and timestamp (BIRTH); clears "changed".
    void appendBirth(fleetdeck::sparkplug_b::Payload &payload, qint64 nowMs);
    // The changed metrics by alias only (DATA); clears "changed". false: nothing changed.
    bool appendChanged(fleetdeck::sparkplug_b::Payload &payload, qint64 nowMs);
    // Every metric by alias only, changed or not (DATA before any BIRTH: a node that forgot).
    void appendAllByAlias(fleetdeck::sparkplug_b::Payload &payload, qint64 nowMs) const;
    // A command's metric: found by alias (when it has one) or name; applied when writable and
    // its value has the declared datatype. *name: the metric's name when found.
    WriteResult write(const fleetdeck::sparkplug_b::Payload_Metric &metric, QString *name = nullptr);
    // Finds a metric of a command by alias or name; nullptr when unknown.
    const Metric *find(const fleetdeck::sparkplug_b::Payload_Metric &metric) const;

    // {name: value} of every metric (the manifest).
    QJsonObject valuesJson() const;

    static quint32 datatypeOf(const SparkplugValue &value);
    static QJsonValue toJson(const SparkplugValue &value);
    static QString writeResultText(WriteResult result);

private:
    Metric *findMutable(const fleetdeck::sparkplug_b::Payload_Metric &metric);

    QList<Metric> m_metrics;
};

} // namespace fd::sim
