#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace fd::sim {

// The Sparkplug misbehaviour fleetdeck-sim injects (--sparkplug-fault), each on one edge node
// (node=N, 1-based) at a time after the simulator started. What a host application must cope
// with (docs: simulator/README.md, "Sparkplug faults"):
enum class SparkplugFaultKind {
    SeqGap,           // skips one seq number in its DATA (a lost message)
    StaleNdeath,      // while alive, publishes an NDEATH carrying the previous session's bdSeq
    DataBeforeBirth,  // after its first connect, sends DATA for a while before any BIRTH
    AliasOnly,        // ignores its primary host's restart: alias-only DATA until an NCMD rebirth
    DieRebirth,       // drops its connection (the broker fires the NDEATH Will), reconnects later
};

// One --sparkplug-fault KIND[:key=value;...] entry.
struct SparkplugFaultSpec
{
    SparkplugFaultKind kind = SparkplugFaultKind::SeqGap;
    int node = 1;                      // 1-based edge node number (gw-01 is 1)
    double startS = 5;                 // seconds after the start (alias_only: from then on)
    std::optional<double> periodS;     // repeat every S seconds (seq_gap, stale_ndeath, die_rebirth)
    double downS = 3;                  // die_rebirth: seconds without a connection
    double durationS = 5;              // data_before_birth: seconds of DATA before the BIRTH

    static constexpr double kMaxSeconds = 366.0 * 86400.0;
    static constexpr int kMaxFaults = 100;

    // One or more entries separated by commas, or the named set "demo"; appended to *out.
    // false with a reason naming the entry and key.
    static bool parse(const QString &text, QList<SparkplugFaultSpec> *out, QString *error);
    // The canonical form, which parses back to an equal spec.
    QString toString() const;

    static QString kindKey(SparkplugFaultKind kind);  // "seq_gap", ...
    static std::optional<SparkplugFaultKind> kindFromKey(const QString &key);
    static QStringList kindKeys();

    bool operator==(const SparkplugFaultSpec &other) const = default;
};

} // namespace fd::sim
