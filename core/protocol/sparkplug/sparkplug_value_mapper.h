#pragma once

#include "core/domain/metric_value.h"
#include "core/protocol/sparkplug/sparkplug_types.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace fd {

// Turns decoded Sparkplug metrics into FleetDeck's typed MetricValues (docs/protocol.md,
// "Sparkplug B (host application)", value mapping):
//   Int8..Int64, UInt8..UInt64, DateTime   -> Int64 (a UInt64 / DateTime above INT64_MAX -> Double)
//   Float, Double                          -> Double
//   Boolean                                -> Bool
//   String, Text, UUID                     -> String (at most MetricValue::kMaxStringBytes)
//   Bytes, File, arrays, DataSet           -> a bounded String rendering ("[1, 2, 3]",
//                                             "DataSet 3 columns x 10 rows", "File a.bin (12 bytes)")
//   Template instance                      -> its members as "metric/member", recursively
//   Template definition, is_null, no value -> nothing
// Not thread-safe: it interns the flattened member names.
class SparkplugValueMapper
{
public:
    static constexpr qsizetype kMaxNameLength = 256;  // a metric or flattened member name, in characters
    static constexpr int kMaxFlattenDepth = 8;

    // Appends what metric (called name) maps to onto out; the reasons members of a template
    // were left out (invalid, nameless, too long a name) onto problems. Returns how many
    // values were appended.
    int append(const QString &name, const SparkplugMetric &metric, MetricValues *out, QStringList *problems);

    // The MetricValue of a value of a single-value datatype (Int8 ... UUID); nullopt for
    // any other datatype or a value of the wrong alternative.
    static std::optional<MetricValue> scalar(const QString &name, quint32 datatype, const SparkplugValue &value);
    // A bounded text for an array, Bytes, File, DataSet or Template value (also scalars).
    static QString render(quint32 datatype, const SparkplugValue &value, const std::optional<SparkplugMetaData> &metadata = {});
    // text cut to at most MetricValue::kMaxStringBytes characters, never inside a surrogate pair.
    static QString bounded(const QString &text, qsizetype maxChars = MetricValue::kMaxStringBytes);

private:
    int appendMember(const QString &name, const SparkplugMetric &metric, MetricValues *out, QStringList *problems, int depth);
    QString memberName(const QString &parent, const QString &member);

    QHash<QString, QString> m_names;
};

} // namespace fd
