#pragma once

#include <QHash>
#include <QString>

#include <memory>

namespace fd {

// What a Sparkplug B edge node or device declared about one metric in its last BIRTH:
// the alias DATA and CMD messages may use instead of the name, the Sparkplug datatype code
// (1 Int8 ... 34 DateTimeArray; the specification's, see sparkplug_b.proto) and whether an
// operator may write it (NCMD/DCMD): every scalar metric unless the BIRTH's properties say
// `readOnly` = true; never the "bdSeq" metric nor anything under "Node Control/" except
// "Node Control/Rebirth" (which has its own action).
struct SparkplugMetricDefinition
{
    quint64 alias = 0;
    bool hasAlias = false;
    quint32 datatype = 0;
    bool writable = false;
    // The BIRTH carried this Int8 … UInt32 metric in long_value instead of the
    // specification's int_value (Eclipse Tahu's JavaScript library does so for UInt32, and
    // reads a command's UInt32 only from there): writes use long_value too.
    bool integerInLongValue = false;

    friend bool operator==(const SparkplugMetricDefinition &, const SparkplugMetricDefinition &) = default;
};

using SparkplugMetricDefinitions = QHash<QString, SparkplugMetricDefinition>;

// The Sparkplug B session facts of an edge node ("group/node") or of a device behind one
// ("group/node/device"), kept by the host application (SparkplugDecoder) and shown in the
// inventory. All zero / empty for protocol v1 devices (isSparkplug() false).
struct SparkplugSession
{
    qint64 bdSeq = -1;           // of the node's current (or last) session; -1: never born. Devices: their node's.
    quint32 births = 0;          // NBIRTH (node) or DBIRTH (device) messages accepted
    quint32 deaths = 0;          // NDEATH / DDEATH accepted, and broker losses while it was online
    qint64 lastBirthMs = 0;      // receive time of the last BIRTH
    qint64 lastDeathMs = 0;      // time of the last death (the death's timestamp, or the broker loss)
    QString lastRebirthCause;    // why the host last asked the node for a rebirth; empty: never
    qint64 lastRebirthMs = 0;
    // The metrics declared by the last BIRTH (shared between copies; replaced, never edited,
    // at each BIRTH). Null until a BIRTH was seen in this run of FleetDeck: writes need it.
    std::shared_ptr<const SparkplugMetricDefinitions> metrics;

    bool isSparkplug() const { return bdSeq >= 0 || births > 0 || deaths > 0 || metrics != nullptr; }
    const SparkplugMetricDefinition *definition(const QString &metric) const
    {
        if (!metrics)
            return nullptr;
        const auto it = metrics->constFind(metric);
        return it == metrics->cend() ? nullptr : &it.value();
    }

    // Equal counters and cause, and the same definitions object.
    friend bool operator==(const SparkplugSession &a, const SparkplugSession &b)
    {
        return a.bdSeq == b.bdSeq && a.births == b.births && a.deaths == b.deaths && a.lastBirthMs == b.lastBirthMs
            && a.lastDeathMs == b.lastDeathMs && a.lastRebirthCause == b.lastRebirthCause
            && a.lastRebirthMs == b.lastRebirthMs && a.metrics == b.metrics;
    }
};

} // namespace fd
