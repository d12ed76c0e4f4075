#pragma once

#include "core/alerts/rule_series_state.h"
#include "core/domain/alert_rule.h"

namespace fd {

// One rule on one series, sample by sample (docs/alerts.md, "Evaluation"): the condition
// fires once it has held for for_s of sample time and clears at the first sample that meets
// the clear condition (held clear_for_s). Pure functions over RuleSeriesState; the hot path
// of alert evaluation (no allocation except an Occurrences rule's first occurrences).
//
// Time is the samples' own: a sample older than the newest one seen never changes anything,
// unless it is more than kClockResetMs older (the device's clock was set back: the series
// starts over from it); an equal timestamp is evaluated without time passing; a gap of more
// than max(kMaxHoldGapMs, for_s, clear_for_s) between two samples restarts a hold (nobody
// saw the condition hold in between).
class SeriesRuleEvaluator
{
public:
    enum class Outcome : quint8 { None, Raise, Update, Clear };

    static constexpr qint64 kClockResetMs = 10 * 60 * 1000;
    static constexpr qint64 kMaxHoldGapMs = 10 * 60 * 1000;
    static constexpr qint64 kUpdateIntervalMs = 10 * 1000;

    // A numeric sample (NaN values are ignored by every kind). For NoData rules it records
    // the receipt (receivedMs) and clears a firing alert.
    static Outcome sample(const AlertRule &rule, RuleSeriesState &state, qint64 tsMs, double value,
                          qint64 receivedMs);

    // Receive-clock rules at nowMs. NoData: fires when nothing arrived since
    // state.lastReceiveMs for for_s. Offline: `condition` is the device's offline state and
    // sinceMs when it went offline.
    static Outcome noDataTick(const AlertRule &rule, RuleSeriesState &state, qint64 nowMs);
    static Outcome offlineTick(const AlertRule &rule, RuleSeriesState &state, bool offline, qint64 sinceMs,
                               qint64 nowMs);

private:
    static Outcome hold(const AlertRule &rule, RuleSeriesState &state, qint64 tsMs, bool condition,
                        bool clearCondition);
    static Outcome occurrence(const AlertRule &rule, RuleSeriesState &state, qint64 tsMs, double value);
};

} // namespace fd
