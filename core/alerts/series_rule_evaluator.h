#pragma once

#include "core/alerts/rule_series_state.h"
#include "core/domain/alert_rule.h"

#include <cmath>
#include <limits>

namespace fd {

// One series (one metric of one device) as every rule on it sees it: its newest sample,
// the value before, and when it was last received. Shared by the rules of the series, so a
// rule that has nothing to do never touches its own state.
struct SeriesTrack
{
    qint64 lastTs = RuleSeriesState::kNever;
    double lastValue = std::numeric_limits<double>::quiet_NaN();
    qint64 sameSinceTs = RuleSeriesState::kNever;  // lastValue first seen (this run of equal values)
    quint32 sameCount = 0;                         // samples in that run
    qint64 lastReceiveMs = RuleSeriesState::kNever;
};

// What decides whether a quiet rule could change on a value (SeriesRuleEvaluator::mayTrigger),
// packed small: the rule engine reads one per rule per value from a contiguous array.
struct RuleTrigger
{
    AlertRuleKind kind = AlertRuleKind::Above;
    AlertRule::Direction direction = AlertRule::Direction::Any;
    bool above = true;  // Occurrences
    double a = 0;       // threshold, or low
    double b = 0;       // high; Stuck: tolerance

    static RuleTrigger of(const AlertRule &rule)
    {
        RuleTrigger t;
        t.kind = rule.kind;
        t.direction = rule.direction;
        t.above = rule.conditionAbove;
        t.a = rule.kind == AlertRuleKind::Outside ? rule.low : rule.threshold;
        t.b = rule.kind == AlertRuleKind::Stuck ? rule.tolerance : rule.high;
        return t;
    }
};

// Rules on one series, sample by sample (docs/alerts.md, "Evaluation"): a rule fires once
// its condition has held for for_s of sample time and clears at the first sample that meets
// the clear condition (held clear_for_s). Pure functions; the hot path of alert evaluation.
//
// Time is the samples' own: admit() decides per series. A sample older than the newest one
// seen changes nothing (Late), unless it is more than kClockResetMs older (Reset: the
// device's clock was set back; the series starts over from it, resetHold() on each rule);
// an equal timestamp is evaluated without time passing; a gap of more than
// max(kMaxHoldGapMs, for_s, clear_for_s) between two samples restarts a hold (nobody saw the
// condition hold in between).
class SeriesRuleEvaluator
{
public:
    enum class Outcome : quint8 { None, Raise, Update, Clear };
    enum class Admission : quint8 { InOrder, Late, Reset };

    static constexpr qint64 kClockResetMs = 10 * 60 * 1000;
    static constexpr qint64 kMaxHoldGapMs = 10 * 60 * 1000;
    static constexpr qint64 kUpdateIntervalMs = 10 * 1000;
    // A stuck sensor is one that repeated its value over for_s in at least this many samples
    // (two equal readings a minute apart prove nothing).
    static constexpr quint32 kMinStuckSamples = 5;

    // What the sample at tsMs is to the series (the series is not changed).
    static Admission admit(const SeriesTrack &track, qint64 tsMs);
    // After the rules saw the sample: the series moves on (Reset: starts over from it).
    static void advance(SeriesTrack &track, qint64 tsMs, double value, qint64 receivedMs);
    // The clock went back: the rule forgets its hold (its firing state stays).
    static void resetHold(RuleSeriesState &state);

    // Whether a rule with nothing pending or firing (RuleSeriesState::isQuiet()) could change
    // on this value; when false, sample() would return None without changing anything.
    static bool mayTrigger(const RuleTrigger &rule, const SeriesTrack &track, qint64 tsMs, double value)
    {
        switch (rule.kind) {
        case AlertRuleKind::Above: return value > rule.a;
        case AlertRuleKind::Below: return value < rule.a;
        case AlertRuleKind::Outside: return value < rule.a || value > rule.b;
        case AlertRuleKind::Occurrences: return rule.above ? value > rule.a : value < rule.a;
        case AlertRuleKind::Rate: return rateExceeds(rule, track, tsMs, value);
        case AlertRuleKind::Stuck: return rule.b != 0 || value == track.lastValue;  // b: tolerance
        case AlertRuleKind::NoData:
        case AlertRuleKind::Offline:
        case AlertRuleKind::CertificateExpiring: return false;
        }
        return true;
    }

    // One admitted numeric sample (NaN values are ignored by every kind) of the series
    // `track` (as it was before this sample). NoData rules: clears a firing alert.
    static Outcome sample(const AlertRule &rule, RuleSeriesState &state, const SeriesTrack &track, qint64 tsMs,
                          double value);

    // Receive-clock rules at nowMs. NoData: fires when nothing arrived since lastReceiveMs
    // for for_s (never heard: nothing to miss). Offline: the device is offline since sinceMs.
    static Outcome noDataTick(const AlertRule &rule, RuleSeriesState &state, qint64 lastReceiveMs, qint64 nowMs);
    static Outcome offlineTick(const AlertRule &rule, RuleSeriesState &state, bool offline, qint64 sinceMs,
                               qint64 nowMs);

private:
    static bool rateExceeds(const RuleTrigger &rule, const SeriesTrack &track, qint64 tsMs, double value);
    static Outcome hold(const AlertRule &rule, RuleSeriesState &state, qint64 tsMs, bool condition,
                        bool clearCondition);
    static Outcome occurrence(const AlertRule &rule, RuleSeriesState &state, qint64 tsMs, double value);
};

// One rule on one series (tests, the rule preview): admit, evaluate, advance.
struct SingleRuleSeries
{
    SeriesTrack track;
    RuleSeriesState state;

    SeriesRuleEvaluator::Outcome feed(const AlertRule &rule, qint64 tsMs, double value, qint64 receivedMs)
    {
        using E = SeriesRuleEvaluator;
        const E::Admission a = E::admit(track, tsMs);
        if (a == E::Admission::Late)
            return E::Outcome::None;
        if (a == E::Admission::Reset) {
            E::resetHold(state);
            track = SeriesTrack();
        }
        const E::Outcome o = E::sample(rule, state, track, tsMs, value);
        E::advance(track, tsMs, value, receivedMs);
        return o;
    }
};

} // namespace fd
