#pragma once

#include "core/alerts/alert_transition.h"
#include "core/alerts/rule_range_plan.h"
#include "core/alerts/rule_series_state.h"
#include "core/alerts/series_rule_evaluator.h"
#include "core/domain/alert_rule.h"
#include "core/domain/device.h"
#include "core/domain/telemetry_sample.h"

#include <QHash>
#include <QSet>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVarLengthArray>

#include <memory>
#include <vector>

namespace fd {

class FleetState;

// Every rule on every device: the rule engine without threads (AlertEngine runs it on the
// ingest thread; the rule preview and the benchmark run it directly).
//
// Cost: a device gets a slot the first time it is seen, holding the rules its scope
// matches, grouped by metric (rebuilt when its site, model or tags change, or the rules
// do). A sample then costs one hash lookup of the device plus, per metric value, the rules
// of that metric on that device: independent of how many rules other scopes hold.
//
// Receive-clock rules (offline, no data) run in tick(), only for sources that are
// connected (setSourceState): a source that is not connected cannot tell us anything about
// its devices. Instead, each offline rule that covers a whole source (scope all or that
// source) raises one source-level alert (device path empty) after for_s without a
// connection, and clears it when the source is back.
class AlertEvaluator
{
public:
    AlertEvaluator();
    ~AlertEvaluator();

    // Replaces the rules (disabled ones are kept out). A rule whose id and definition stay
    // keeps its state; a changed one starts over, but keeps knowing that it fires (so that
    // it clears when its new clear condition holds).
    void setRules(const QList<AlertRule> &rules);
    int ruleCount() const { return int(m_rules.size()); }
    // Saved states (AlertService loads them at start): taken by the slots as they are built.
    void restoreStates(const QList<RuleStateRecord> &states);

    // One accepted sample; state holds its device (after the batch), at deviceIndex when
    // known (IngestBatch::deviceIndices: saves a lookup), else -1.
    void evaluate(const TelemetrySample &sample, const FleetState &state, qint64 receivedMs, int deviceIndex = -1);
    // Offline and no-data rules at nowMs (receive clock), over every device of state.
    void tick(const FleetState &state, qint64 nowMs);
    void setSourceState(const QString &source, bool connected, qint64 sinceMs);
    // FleetState::removeDevices() happened: indices shifted, those devices are gone.
    void devicesRemoved(const QList<DeviceKey> &devices, const FleetState &state);

    QList<AlertTransition> takeTransitions();
    bool hasTransitions() const { return !m_transitions.isEmpty(); }
    // States changed in a way worth saving since the last call (an empty state: forget it).
    QList<RuleStateRecord> takeDirtyStates();

    // Slots held (tests, diagnostics).
    int deviceSlots() const { return int(m_slots.size()); }

private:
    // A rule's series on one device: rule r sees the values of range `metric`.
    struct MetricRange
    {
        QString metric;  // adopts the samples' interned name, so the next match is a pointer compare
        int begin = 0;
        int end = 0;
        quint64 active = 0;  // bit i: binding begin+i is not quiet (beyond 64: always evaluated)
        SeriesTrack track;
        std::shared_ptr<const RuleRangePlan> plan;  // shared by devices with the same rules
    };
    struct TimeRule
    {
        int binding;
        int range;  // NoData with a metric: its range; -1: any telemetry (or Offline)
    };
    struct Slot
    {
        DeviceKey key;
        int stateIndex = -1;
        quint64 generation = 0;
        QString site;
        QString model;
        QStringList tags;
        // Bindings: sample rules by metric, then no-data rules without a metric, then offline.
        std::vector<int> rules;  // rule index per binding (compact: read on every sample)
        std::vector<RuleSeriesState> states;  // per binding: touched only when it has work
        QVarLengthArray<MetricRange, 4> metrics;
        int anyTelemetryBegin = 0;  // [anyTelemetryBegin, offlineBegin): no-data, any telemetry
        int offlineBegin = 0;       // [offlineBegin, end): offline
        SeriesTrack anyTelemetry;   // receipt of any telemetry
        QVarLengthArray<TimeRule, 4> timeRules;  // tick()
        qint64 nextDueMs = 0;       // tick(): no time rule can fire before, if `online` stays
        bool lastOnline = true;
        qint64 onlineSinceMs = 0;   // when tick() last saw it come back online
        bool queued = false;        // in m_dirtySlots
    };
    struct SourceInfo
    {
        bool connected = false;
        qint64 sinceMs = 0;
        QHash<qint64, RuleSeriesState> offline;  // source-level offline state per rule id
    };

    Slot &slotFor(const DeviceKey &key, const FleetState &state, int knownIndex);
    // The slot of the sample's device with a valid stateIndex, or nullptr if not in state.
    Slot *slotOf(const TelemetrySample &sample, const FleetState &state, int deviceIndex);
    void bind(Slot &slot, const Device &device);
    bool attributesChanged(const Slot &slot, const Device &device) const;
    // Moves a slot's states into m_restored (by rule id) for its next bind().
    void unbind(Slot &slot, const std::vector<AlertRule> &rules);
    void evaluateRange(Slot &slot, MetricRange &range, qint64 tsMs, const MetricValue &value, qint64 receivedMs);
    void emitOutcome(SeriesRuleEvaluator::Outcome outcome, Slot &slot, int binding, qint64 tsMs, const QString &value);
    void noteDirty(Slot &slot);

    std::vector<AlertRule> m_rules;
    std::vector<QString> m_messages;  // per rule: conditionText(), made once
    std::vector<RuleTrigger> m_triggers;  // per rule, contiguous: the hot path's view
    QHash<QByteArray, std::shared_ptr<const RuleRangePlan>> m_plans;  // by list of rule indices
    // Rules by scope, so binding a device costs the rules that may match it, not all rules.
    struct ScopeIndex
    {
        std::vector<int> all;
        QHash<QString, std::vector<int>> bySource;
        QHash<QString, std::vector<int>> bySite;
        QHash<QString, std::vector<int>> byModel;
        QHash<QString, std::vector<int>> byTag;
        QHash<QString, std::vector<int>> byDevice;  // by path (the rule may also name a source)
    };
    ScopeIndex m_scopes;
    quint64 m_generation = 1;
    std::vector<Slot> m_slots;
    QHash<DeviceKey, int> m_slotOfKey;
    std::vector<int> m_slotOfStateIndex;  // FleetState index -> slot, -1 none yet
    QHash<QString, SourceInfo> m_sources;
    QHash<DeviceKey, QHash<qint64, RuleSeriesState>> m_restored;  // not yet taken by a slot
    std::vector<int> m_dirtySlots;
    QList<AlertTransition> m_transitions;
    QList<RuleStateRecord> m_forgotten;  // states of removed devices: delete them
};

} // namespace fd
