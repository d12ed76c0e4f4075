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
    return std::max(std::max(SeriesRuleEvaluator::kMaxHoldGapMs, rule.forMs), rule.clearForMs);
}

// The rate's value as the rule's direction reads it; NaN without a previous sample.
double directedRate(const AlertRule &rule, const SeriesTrack &track, qint64 ts, double v)
{
    if (std::isnan(track.lastValue) || track.lastTs == kNever || ts <= track.lastTs)
        return std::numeric_limits<double>::quiet_NaN();
    const double perSecond = (v - track.lastValue) * 1000.0 / double(ts - track.lastTs);
    switch (rule.direction) {
    case AlertRule::Direction::Any: return std::fabs(perSecond);
    case AlertRule::Direction::Rise: return perSecond;
    case AlertRule::Direction::Fall: return -perSecond;
    }
    return perSecond;
}

} // namespace

SeriesRuleEvaluator::Admission SeriesRuleEvaluator::admit(const SeriesTrack &track, qint64 ts)
{
    if (track.lastTs == kNever || ts >= track.lastTs)
        return Admission::InOrder;
    return track.lastTs - ts <= kClockResetMs ? Admission::Late : Admission::Reset;
}

void SeriesRuleEvaluator::advance(SeriesTrack &track, qint64 ts, double v, qint64 receivedMs)
{
    track.lastReceiveMs = receivedMs;
    if (std::isnan(v))
        return;
    if (track.lastTs == kNever || ts >= track.lastTs || track.lastTs - ts > kClockResetMs) {
        if (!(v == track.lastValue) || track.sameSinceTs == kNever || ts < track.lastTs) {
            track.sameSinceTs = ts;  // a new run of equal values starts
            track.sameCount = 1;
        } else if (ts > track.lastTs) {
            ++track.sameCount;
        }
        track.lastTs = ts;
        track.lastValue = v;
    }
}

void SeriesRuleEvaluator::resetHold(RuleSeriesState &s)
{
    setCondSince(s, kNever);
    setClearSince(s, kNever);
    s.reference = std::numeric_limits<double>::quiet_NaN();
    if (!s.occurrences.empty()) {
        s.occurrences.clear();
        s.dirty = true;
    }
}

bool SeriesRuleEvaluator::rateExceeds(const RuleTrigger &rule, const SeriesTrack &track, qint64 ts, double v)
{
    if (std::isnan(track.lastValue) || track.lastTs == kNever || ts <= track.lastTs)
        return false;
    const double perSecond = (v - track.lastValue) * 1000.0 / double(ts - track.lastTs);
    switch (rule.direction) {
    case AlertRule::Direction::Any: return std::fabs(perSecond) > rule.a;
    case AlertRule::Direction::Rise: return perSecond > rule.a;
    case AlertRule::Direction::Fall: return -perSecond > rule.a;
    }
    return true;
}

Outcome SeriesRuleEvaluator::sample(const AlertRule &rule, RuleSeriesState &s, const SeriesTrack &track, qint64 ts,
                                    double v)
{
    if (rule.kind == AlertRuleKind::NoData) {
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
    if (track.lastTs != kNever && ts - track.lastTs > gapLimit(rule)) {
        // Nobody saw the condition hold over the gap.
        setCondSince(s, kNever);
        setClearSince(s, kNever);
        s.reference = std::numeric_limits<double>::quiet_NaN();
    }

    switch (rule.kind) {
    case AlertRuleKind::Above: {
        const bool explicitClear = !std::isnan(rule.clearThreshold);
        return hold(rule, s, ts, v > rule.threshold, explicitClear ? v < rule.clearThreshold : !(v > rule.threshold));
    }
    case AlertRuleKind::Below: {
        const bool explicitClear = !std::isnan(rule.clearThreshold);
        return hold(rule, s, ts, v < rule.threshold, explicitClear ? v > rule.clearThreshold : !(v < rule.threshold));
    }
    case AlertRuleKind::Outside: {
        const bool outside = v < rule.low || v > rule.high;
        const bool inside = v >= rule.effectiveClearLow() && v <= rule.effectiveClearHigh();
        return hold(rule, s, ts, outside, inside);
    }
    case AlertRuleKind::Occurrences:
        return occurrence(rule, s, ts, v);
    case AlertRuleKind::Rate: {
        const double rate = directedRate(rule, track, ts, v);
        if (std::isnan(rate))
            return Outcome::None;
        return hold(rule, s, ts, rate > rule.threshold, rate <= rule.effectiveClear());
    }
    case AlertRuleKind::Stuck: {
        if (rule.tolerance == 0 && std::isnan(s.reference) && v == track.lastValue
            && track.sameSinceTs != kNever) {
            // Woken from quiet (mayTrigger: the value repeats): the run began when the
            // series first took this value.
            s.reference = v;
            s.runSamples = quint16(std::min<quint32>(track.sameCount, 0xFFFF));
            setCondSince(s, track.sameSinceTs);
        }
        const bool same = !std::isnan(s.reference) && std::fabs(v - s.reference) <= rule.tolerance;
        if (!same) {
            s.reference = v;
            s.runSamples = 1;
            setCondSince(s, ts);  // a new run starts: unchanged since now
        } else {
            if (track.lastTs == kNever || ts > track.lastTs)
                s.runSamples = s.runSamples < 0xFFFF ? quint16(s.runSamples + 1) : s.runSamples;
            if (s.condSince == kNever)
                setCondSince(s, ts);
        }
        // Not enough samples yet: the hold keeps running from the run's start.
        const Outcome o = !s.firing && s.runSamples < kMinStuckSamples ? Outcome::None : hold(rule, s, ts, true, !same);
        if (rule.tolerance == 0 && !same && !s.firing) {
            // Back to quiet: the series' own run of equal values takes over.
            s.reference = std::numeric_limits<double>::quiet_NaN();
            s.runSamples = 0;
            setCondSince(s, kNever);
        }
        return o;
    }
    case AlertRuleKind::NoData:
    case AlertRuleKind::Offline:
    case AlertRuleKind::CertificateExpiring:
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
        // Occurrences that fell out of the window no longer count: a quiet rule again.
        if (!s.occurrences.empty() && ts - s.occurrences.back() > rule.windowMs) {
            s.occurrences.clear();
            s.dirty = true;
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

Outcome SeriesRuleEvaluator::noDataTick(const AlertRule &rule, RuleSeriesState &s, qint64 lastReceiveMs, qint64 nowMs)
{
    if (s.firing || lastReceiveMs == kNever)
        return Outcome::None;
    if (nowMs - lastReceiveMs < rule.forMs)
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
