#include "core/alerts/series_rule_evaluator.h"

#include <algorithm>
#include <cmath>

namespace fd {
namespace {

using Outcome = SeriesRuleEvaluator::Outcome;
constexpr qint64 kNever = RuleSeriesState::kNever;

void setCondSince(RuleSeriesState &s, qint64 t)
{
    if (s.condSince != t) {
        // Only the start and the end of a pending hold are worth saving, not each sample.
        if ((s.condSince == kNever) != (t == kNever))
            s.dirty = true;
        s.condSince = t;
    }
}

void setClearSince(RuleSeriesState &s, qint64 t)
{
    if (s.clearSince != t) {
        if ((s.clearSince == kNever) != (t == kNever))
            s.dirty = true;
        s.clearSince = t;
    }
}

qint64 gapLimit(const AlertRule &rule)
{
    return std::max({SeriesRuleEvaluator::kMaxHoldGapMs, rule.forMs, rule.clearForMs});
}

} // namespace

Outcome SeriesRuleEvaluator::sample(const AlertRule &rule, RuleSeriesState &s, qint64 ts, double v,
                                    qint64 receivedMs)
{
    if (rule.kind == AlertRuleKind::NoData) {
        s.lastReceiveMs = receivedMs;
        if (s.firing) {
            s.firing = false;
            s.dirty = true;
            s.condSince = kNever;
            return Outcome::Clear;
        }
        return Outcome::None;
    }
    if (std::isnan(v))
        return Outcome::None;

    // Time: out of order, clock set back, gaps.
    if (s.lastTs != kNever) {
        if (ts < s.lastTs) {
            if (s.lastTs - ts <= kClockResetMs)
                return Outcome::None;  // late: never reopens or clears by itself
            // The device clock went back: start the series over from here.
            setCondSince(s, kNever);
            setClearSince(s, kNever);
            s.reference = std::numeric_limits<double>::quiet_NaN();
            if (!s.occurrences.empty()) {
                s.occurrences.clear();
                s.dirty = true;
            }
        } else if (ts - s.lastTs > gapLimit(rule)) {
            setCondSince(s, kNever);
            setClearSince(s, kNever);
            s.reference = std::numeric_limits<double>::quiet_NaN();
        }
    }
    const qint64 previousTs = s.lastTs;
    const bool timeMoved = previousTs == kNever || ts > previousTs;
    if (timeMoved || ts < previousTs)
        s.lastTs = ts;

    switch (rule.kind) {
    case AlertRuleKind::Above: {
        const double clear = rule.effectiveClear();
        const bool explicitClear = !std::isnan(rule.clearThreshold);
        return hold(rule, s, ts, v > rule.threshold, explicitClear ? v < clear : !(v > rule.threshold));
    }
    case AlertRuleKind::Below: {
        const double clear = rule.effectiveClear();
        const bool explicitClear = !std::isnan(rule.clearThreshold);
        return hold(rule, s, ts, v < rule.threshold, explicitClear ? v > clear : !(v < rule.threshold));
    }
    case AlertRuleKind::Outside: {
        const bool outside = v < rule.low || v > rule.high;
        const bool inside = v >= rule.effectiveClearLow() && v <= rule.effectiveClearHigh();
        return hold(rule, s, ts, outside, inside);
    }
    case AlertRuleKind::Occurrences:
        return occurrence(rule, s, ts, v);
    case AlertRuleKind::Rate: {
        const double previous = s.reference;
        const bool havePrevious = !std::isnan(previous) && previousTs != kNever && ts > previousTs;
        s.reference = v;
        if (!havePrevious)
            return Outcome::None;
        const double perSecond = (v - previous) * 1000.0 / double(ts - previousTs);
        double signedRate = perSecond;
        if (rule.direction == AlertRule::Direction::Any)
            signedRate = std::fabs(perSecond);
        else if (rule.direction == AlertRule::Direction::Fall)
            signedRate = -perSecond;
        return hold(rule, s, ts, signedRate > rule.threshold, signedRate <= rule.effectiveClear());
    }
    case AlertRuleKind::Stuck: {
        const bool same = !std::isnan(s.reference) && std::fabs(v - s.reference) <= rule.tolerance;
        if (!same) {
            s.reference = v;
            setCondSince(s, ts);  // a new run starts: unchanged since now
        } else if (s.condSince == kNever) {
            setCondSince(s, ts);
        }
        // The run's start is the hold's start; hold() keeps an existing condSince.
        return hold(rule, s, ts, true, !same);
    }
    case AlertRuleKind::NoData:
    case AlertRuleKind::Offline:
        break;
    }
    return Outcome::None;
}

Outcome SeriesRuleEvaluator::hold(const AlertRule &rule, RuleSeriesState &s, qint64 ts, bool condition,
                                  bool clearCondition)
{
    if (!s.firing) {
        if (!condition) {
            setCondSince(s, kNever);
            return Outcome::None;
        }
        if (s.condSince == kNever)
            setCondSince(s, ts);
        if (ts - s.condSince < rule.forMs)
            return Outcome::None;
        s.firing = true;
        s.dirty = true;
        setClearSince(s, kNever);
        s.lastUpdateTs = ts;
        return Outcome::Raise;
    }
    if (clearCondition) {
        if (s.clearSince == kNever)
            setClearSince(s, ts);
        if (ts - s.clearSince < rule.clearForMs)
            return Outcome::None;
        s.firing = false;
        s.dirty = true;
        setClearSince(s, kNever);
        // Stuck: the moved value starts a new run (condSince set by the caller).
        if (rule.kind != AlertRuleKind::Stuck)
            setCondSince(s, kNever);
        return Outcome::Clear;
    }
    setClearSince(s, kNever);
    if (condition && (s.lastUpdateTs == kNever || ts - s.lastUpdateTs >= kUpdateIntervalMs)) {
        s.lastUpdateTs = ts;
        return Outcome::Update;
    }
    return Outcome::None;
}

Outcome SeriesRuleEvaluator::occurrence(const AlertRule &rule, RuleSeriesState &s, qint64 ts, double v)
{
    const bool hit = rule.conditionAbove ? v > rule.threshold : v < rule.threshold;
    if (hit) {
        if (s.occurrences.size() >= size_t(rule.count))
            s.occurrences.erase(s.occurrences.begin());
        s.occurrences.push_back(ts);
        s.dirty = true;
    }
    if (!s.firing) {
        if (hit && s.occurrences.size() >= size_t(rule.count) && ts - s.occurrences.front() <= rule.windowMs) {
            s.firing = true;
            s.lastUpdateTs = ts;
            return Outcome::Raise;
        }
        return Outcome::None;
    }
    // Firing: clears once a whole window (plus clear_for_s) passed without an occurrence.
    if (!hit && !s.occurrences.empty() && ts - s.occurrences.back() >= rule.windowMs + rule.clearForMs) {
        s.firing = false;
        s.occurrences.clear();
        s.dirty = true;
        return Outcome::Clear;
    }
    if (hit && (s.lastUpdateTs == kNever || ts - s.lastUpdateTs >= kUpdateIntervalMs)) {
        s.lastUpdateTs = ts;
        return Outcome::Update;
    }
    return Outcome::None;
}

Outcome SeriesRuleEvaluator::noDataTick(const AlertRule &rule, RuleSeriesState &s, qint64 nowMs)
{
    if (s.firing || s.lastReceiveMs == kNever)
        return Outcome::None;
    if (nowMs - s.lastReceiveMs < rule.forMs)
        return Outcome::None;
    s.firing = true;
    s.dirty = true;
    return Outcome::Raise;
}

Outcome SeriesRuleEvaluator::offlineTick(const AlertRule &rule, RuleSeriesState &s, bool offline, qint64 sinceMs,
                                         qint64 nowMs)
{
    if (!offline) {
        if (s.firing) {
            s.firing = false;
            s.dirty = true;
            setCondSince(s, kNever);
            return Outcome::Clear;
        }
        setCondSince(s, kNever);
        return Outcome::None;
    }
    if (s.firing)
        return Outcome::None;
    setCondSince(s, sinceMs);
    if (nowMs - sinceMs < rule.forMs)
        return Outcome::None;
    s.firing = true;
    s.dirty = true;
    return Outcome::Raise;
}

} // namespace fd
