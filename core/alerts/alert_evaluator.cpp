#include "core/alerts/alert_evaluator.h"

#include "core/ingest/fleet_state.h"

#include <QtAlgorithms>

#include <algorithm>
#include <limits>

namespace fd {
namespace {

using Outcome = SeriesRuleEvaluator::Outcome;
using Admission = SeriesRuleEvaluator::Admission;
constexpr qint64 kNever = RuleSeriesState::kNever;

bool sameString(const QString &a, const QString &b)
{
    return a.constData() == b.constData() || a == b;
}

// Whether the binding must be looked at on every value (else only when mayTrigger()).
bool alwaysActive(const AlertRule &rule, const RuleSeriesState &state)
{
    // A stuck rule with a tolerance keeps its own reference value; without, the series'
    // run of equal values (SeriesTrack::sameSinceTs) stands in while it is quiet.
    return !state.isQuiet() || (rule.kind == AlertRuleKind::Stuck && rule.tolerance != 0);
}

} // namespace

AlertEvaluator::AlertEvaluator() = default;
AlertEvaluator::~AlertEvaluator() = default;

void AlertEvaluator::unbind(Slot &slot, const std::vector<AlertRule> &rules)
{
    if (slot.rules.empty())
        return;
    QHash<qint64, RuleSeriesState> &kept = m_restored[slot.key];
    for (size_t i = 0; i < slot.rules.size(); ++i)
        kept.insert(rules[size_t(slot.rules[i])].id, std::move(slot.states[i]));
    slot.rules.clear();
    slot.states.clear();
    slot.timeRules.clear();
    slot.generation = 0;
}

void AlertEvaluator::setRules(const QList<AlertRule> &rules)
{
    std::vector<AlertRule> previous = std::move(m_rules);
    m_rules.clear();
    for (const AlertRule &r : rules) {
        if (r.enabled && r.isTelemetryRule() && r.validate().isEmpty())
            m_rules.push_back(r);
    }
    QHash<qint64, int> indexOfId;
    m_messages.clear();
    m_triggers.clear();
    m_scopes = ScopeIndex();
    for (int i = 0; i < int(m_rules.size()); ++i) {
        const AlertRule &r = m_rules[size_t(i)];
        indexOfId.insert(r.id, i);
        m_messages.push_back(r.conditionText());
        m_triggers.push_back(RuleTrigger::of(r));
        switch (r.scope.kind) {
        case AlertScope::Kind::All: m_scopes.all.push_back(i); break;
        case AlertScope::Kind::Source: m_scopes.bySource[r.scope.value].push_back(i); break;
        case AlertScope::Kind::Site: m_scopes.bySite[r.scope.value].push_back(i); break;
        case AlertScope::Kind::Model: m_scopes.byModel[r.scope.value].push_back(i); break;
        case AlertScope::Kind::Tag: m_scopes.byTag[r.scope.value].push_back(i); break;
        case AlertScope::Kind::Device: m_scopes.byDevice[r.scope.value].push_back(i); break;
        }
    }
    // Every slot's states go by rule id to its next bind(); a changed rule starts over but
    // keeps knowing that it fires (so that it clears when its new condition does).
    for (Slot &slot : m_slots)
        unbind(slot, previous);
    m_plans.clear();
    QHash<qint64, const AlertRule *> before;
    for (const AlertRule &r : previous)
        before.insert(r.id, &r);
    for (auto it = m_restored.begin(); it != m_restored.end(); ++it) {
        for (auto st = it->begin(); st != it->end();) {
            const auto now = indexOfId.constFind(st.key());
            const auto was = before.constFind(st.key());
            if (now == indexOfId.constEnd() && was != before.constEnd()) {
                st = it->erase(st);  // rule deleted or disabled
                continue;
            }
            if (now != indexOfId.constEnd() && was != before.constEnd()
                && !m_rules[size_t(*now)].sameDefinition(**was)) {
                const bool firing = st->firing;
                *st = RuleSeriesState();
                st->firing = firing;
                st->dirty = true;
            }
            ++st;
        }
    }
    for (auto it = m_sources.begin(); it != m_sources.end(); ++it) {
        for (auto s = it->offline.begin(); s != it->offline.end();) {
            if (!indexOfId.contains(s.key()))
                s = it->offline.erase(s);
            else
                ++s;
        }
    }
    ++m_generation;
}

void AlertEvaluator::restoreStates(const QList<RuleStateRecord> &states)
{
    for (const RuleStateRecord &r : states) {
        RuleSeriesState st;
        if (!RuleSeriesState::deserialize(r.state, &st))
            continue;
        st.dirty = false;
        if (r.device.path.isEmpty()) {
            m_sources[r.device.source].offline.insert(r.ruleId, std::move(st));
            continue;
        }
        const auto slot = m_slotOfKey.constFind(r.device);
        if (slot != m_slotOfKey.constEnd())
            unbind(m_slots[size_t(*slot)], m_rules);
        m_restored[r.device].insert(r.ruleId, std::move(st));
    }
}

AlertEvaluator::Slot &AlertEvaluator::slotFor(const DeviceKey &key, const FleetState &state, int knownIndex)
{
    const auto found = m_slotOfKey.constFind(key);
    if (found != m_slotOfKey.constEnd())
        return m_slots[size_t(*found)];
    const int index = knownIndex >= 0 ? knownIndex : state.indexOf(key);
    Slot slot;
    slot.key = key;
    slot.stateIndex = index;
    const int slotIndex = int(m_slots.size());
    m_slots.push_back(std::move(slot));
    m_slotOfKey.insert(key, slotIndex);
    if (index >= 0) {
        if (size_t(index) >= m_slotOfStateIndex.size())
            m_slotOfStateIndex.resize(size_t(index) + 1, -1);
        m_slotOfStateIndex[size_t(index)] = slotIndex;
    }
    return m_slots.back();
}

bool AlertEvaluator::attributesChanged(const Slot &slot, const Device &d) const
{
    return !sameString(slot.site, d.site) || !sameString(slot.model, d.model)
        || (slot.tags.constData() != d.tags.constData() && slot.tags != d.tags);
}

void AlertEvaluator::bind(Slot &slot, const Device &d)
{
    unbind(slot, m_rules);  // states of a rebind (attributes changed) by rule id
    QHash<qint64, RuleSeriesState> kept = m_restored.take(slot.key);
    // The series' tracks stay (they are the device's, not the rules').
    QVarLengthArray<MetricRange, 4> oldRanges = std::move(slot.metrics);
    slot.metrics.clear();
    slot.site = d.site;
    slot.model = d.model;
    slot.tags = d.tags;
    slot.generation = m_generation;
    slot.nextDueMs = 0;

    // The rules that may match, from the scope index, in rule order.
    std::vector<int> candidates = m_scopes.all;
    const auto take = [&candidates](const QHash<QString, std::vector<int>> &index, const QString &key) {
        const auto it = index.constFind(key);
        if (it != index.constEnd())
            candidates.insert(candidates.end(), it->cbegin(), it->cend());
    };
    take(m_scopes.bySource, slot.key.source);
    if (!d.site.isEmpty())
        take(m_scopes.bySite, d.site);
    if (!d.model.isEmpty())
        take(m_scopes.byModel, d.model);
    for (const QString &tag : d.tags)
        take(m_scopes.byTag, tag);
    take(m_scopes.byDevice, slot.key.path);
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

    std::vector<int> sampleRules;
    std::vector<int> anyTelemetry;
    std::vector<int> offline;
    for (int i : candidates) {
        const AlertRule &r = m_rules[size_t(i)];
        if (!r.scope.matches(slot.key.source, slot.key.path, d.site, d.model, d.tags))
            continue;
        if (r.kind == AlertRuleKind::Offline)
            offline.push_back(i);
        else if (r.kind == AlertRuleKind::NoData && r.metric.isEmpty())
            anyTelemetry.push_back(i);
        else
            sampleRules.push_back(i);
    }
    std::stable_sort(sampleRules.begin(), sampleRules.end(),
                     [this](int a, int b) { return m_rules[size_t(a)].metric < m_rules[size_t(b)].metric; });
    const auto add = [&](int rule) {
        RuleSeriesState st;
        const auto found = kept.find(m_rules[size_t(rule)].id);
        if (found != kept.end())
            st = std::move(found.value());
        slot.rules.push_back(rule);
        slot.states.push_back(std::move(st));
    };
    for (int rule : sampleRules) {
        const QString &metric = m_rules[size_t(rule)].metric;
        if (slot.metrics.isEmpty() || slot.metrics.back().metric != metric) {
            MetricRange range;
            range.metric = metric;
            range.begin = range.end = int(slot.rules.size());
            for (const MetricRange &old : oldRanges) {
                if (old.metric == metric)
                    range.track = old.track;
            }
            slot.metrics.append(range);
        }
        add(rule);
        MetricRange &range = slot.metrics.back();
        range.end = int(slot.rules.size());
        const RuleSeriesState &st = slot.states.back();
        const int bit = range.end - 1 - range.begin;
        if (bit < 64 && alwaysActive(m_rules[size_t(rule)], st))
            range.active |= quint64(1) << bit;
        if (range.track.lastTs == kNever || (st.lastTs != kNever && st.lastTs > range.track.lastTs))
            range.track.lastTs = st.lastTs;  // restored: late samples stay late after a restart
    }
    for (MetricRange &range : slot.metrics) {
        const std::vector<int> list(slot.rules.cbegin() + range.begin, slot.rules.cbegin() + range.end);
        const QByteArray key(reinterpret_cast<const char *>(list.data()), qsizetype(list.size() * sizeof(int)));
        auto &plan = m_plans[key];
        if (!plan)
            plan = std::make_shared<const RuleRangePlan>(m_rules, list);
        range.plan = plan;
    }
    slot.anyTelemetryBegin = int(slot.rules.size());
    for (int rule : anyTelemetry)
        add(rule);
    slot.offlineBegin = int(slot.rules.size());
    for (int rule : offline)
        add(rule);
    for (int i = 0; i < int(slot.rules.size()); ++i) {
        const AlertRule &r = m_rules[size_t(slot.rules[size_t(i)])];
        if (r.kind != AlertRuleKind::NoData && r.kind != AlertRuleKind::Offline)
            continue;
        int range = -1;
        for (int m = 0; m < slot.metrics.size() && r.kind == AlertRuleKind::NoData; ++m) {
            if (i >= slot.metrics[m].begin && i < slot.metrics[m].end)
                range = m;
        }
        slot.timeRules.append(TimeRule{i, range});
    }
}

AlertEvaluator::Slot *AlertEvaluator::slotOf(const TelemetrySample &sample, const FleetState &state, int deviceIndex)
{
    const QList<Device> &devices = state.devices();
    const auto holds = [&](const Slot &slot) {
        if (slot.stateIndex < 0 || slot.stateIndex >= devices.size())
            return false;
        const Device &d = devices.at(slot.stateIndex);
        return sameString(d.path.isEmpty() ? d.id : d.path, slot.key.path) && sameString(d.source, slot.key.source);
    };
    if (deviceIndex >= 0 && size_t(deviceIndex) < m_slotOfStateIndex.size()) {
        const int index = m_slotOfStateIndex[size_t(deviceIndex)];
        if (index >= 0 && m_slots[size_t(index)].stateIndex == deviceIndex && holds(m_slots[size_t(index)]))
            return &m_slots[size_t(index)];
    }
    Slot &slot = slotFor(sample.key(), state, deviceIndex);
    if (!holds(slot)) {
        // The state was rebuilt under us (indices moved): find the device again.
        slot.stateIndex = state.indexOf(slot.key);
        if (slot.stateIndex < 0)
            return nullptr;
        if (size_t(slot.stateIndex) >= m_slotOfStateIndex.size())
            m_slotOfStateIndex.resize(size_t(slot.stateIndex) + 1, -1);
        m_slotOfStateIndex[size_t(slot.stateIndex)] = int(&slot - m_slots.data());
    }
    return &slot;
}

void AlertEvaluator::evaluate(const TelemetrySample &sample, const FleetState &state, qint64 receivedMs,
                              int deviceIndex)
{
    if (m_rules.empty())
        return;
    Slot *found = slotOf(sample, state, deviceIndex);
    if (!found)
        return;  // not (or no longer) in the state
    Slot &slot = *found;
    const Device &device = state.devices().at(slot.stateIndex);
    if (slot.generation != m_generation || attributesChanged(slot, device))
        bind(slot, device);

    for (const MetricValue &m : sample.metrics) {
        for (MetricRange &range : slot.metrics) {
            if (range.metric.constData() != m.name.constData()) {
                if (range.metric != m.name)
                    continue;
                range.metric = m.name;  // the decoder's interned name: a pointer compare next time
            }
            evaluateRange(slot, range, sample.timestampMs, m, receivedMs);
            break;
        }
    }
    slot.anyTelemetry.lastReceiveMs = receivedMs;
    for (int i = slot.anyTelemetryBegin; i < slot.offlineBegin; ++i) {
        RuleSeriesState &st = slot.states[size_t(i)];
        if (!st.firing)
            continue;
        const Outcome o = SeriesRuleEvaluator::sample(m_rules[size_t(slot.rules[size_t(i)])], st, slot.anyTelemetry,
                                                      sample.timestampMs, 0.0);
        if (o != Outcome::None)
            emitOutcome(o, slot, i, receivedMs, QString());
    }
}

void AlertEvaluator::evaluateRange(Slot &slot, MetricRange &range, qint64 ts, const MetricValue &m,
                                   qint64 receivedMs)
{
    const Admission admission = SeriesRuleEvaluator::admit(range.track, ts);
    if (admission == Admission::Late) {
        range.track.lastReceiveMs = receivedMs;  // still data: no-data rules count it
        return;
    }
    if (admission == Admission::Reset) {
        range.active = 0;
        for (int i = range.begin; i < range.end; ++i) {
            RuleSeriesState &st = slot.states[size_t(i)];
            SeriesRuleEvaluator::resetHold(st);
            const int bit = i - range.begin;
            if (bit < 64 && alwaysActive(m_rules[size_t(slot.rules[size_t(i)])], st))
                range.active |= quint64(1) << bit;
            if (st.dirty)
                noteDirty(slot);
        }
        range.track = SeriesTrack();
    }
    const double v = m.value;
    const auto visit = [&](int i) {
        const int bit = i - range.begin;
        const bool active = bit >= 64 || ((range.active >> bit) & 1U);
        const int ruleIndex = slot.rules[size_t(i)];
        if (!active && !SeriesRuleEvaluator::mayTrigger(m_triggers[size_t(ruleIndex)], range.track, ts, v))
            return;
        const AlertRule &rule = m_rules[size_t(ruleIndex)];
        RuleSeriesState &st = slot.states[size_t(i)];
        const Outcome o = SeriesRuleEvaluator::sample(rule, st, range.track, ts, v);
        if (o != Outcome::None)
            emitOutcome(o, slot, i, rule.kind == AlertRuleKind::NoData ? receivedMs : ts, m.displayText());
        else if (st.dirty)
            noteDirty(slot);
        if (bit < 64) {
            if (alwaysActive(rule, st))
                range.active |= quint64(1) << bit;
            else
                range.active &= ~(quint64(1) << bit);
        }
    };
    if (range.plan && range.plan->usesMasks()) {
        // Only the bindings with work: those not quiet, and the quiet ones this value wakes.
        quint64 mask = range.active | range.plan->candidates(v, range.track.lastValue);
        while (mask != 0) {
            const int bit = qCountTrailingZeroBits(mask);
            mask &= mask - 1;
            visit(range.begin + bit);
        }
    } else {
        for (int i = range.begin; i < range.end; ++i)
            visit(i);
    }
    SeriesRuleEvaluator::advance(range.track, ts, v, receivedMs);
}

void AlertEvaluator::tick(const FleetState &state, qint64 nowMs)
{
    if (m_rules.empty())
        return;
    // Source-level offline alerts.
    for (auto it = m_sources.begin(); it != m_sources.end(); ++it) {
        for (const AlertRule &r : m_rules) {
            if (r.kind != AlertRuleKind::Offline)
                continue;
            const bool wholeSource = r.scope.kind == AlertScope::Kind::All
                || (r.scope.kind == AlertScope::Kind::Source && r.scope.value == it.key());
            if (!wholeSource)
                continue;
            RuleSeriesState &st = it->offline[r.id];
            const Outcome o = SeriesRuleEvaluator::offlineTick(r, st, !it->connected, it->sinceMs, nowMs);
            st.dirty = false;
            if (o == Outcome::None)
                continue;
            AlertTransition t;
            t.kind = o == Outcome::Raise ? AlertTransition::Kind::Raise : AlertTransition::Kind::Clear;
            t.ruleId = r.id;
            t.device = DeviceKey(it.key(), QString());
            t.tsMs = nowMs;
            t.message = o == Outcome::Raise ? QStringLiteral("source %1 unreachable").arg(it.key())
                                            : QStringLiteral("source %1 reachable again").arg(it.key());
            m_transitions.append(std::move(t));
        }
    }

    const QList<Device> &devices = state.devices();
    // A source's devices share its name's buffer: look it up once per run of them.
    const QChar *lastSourceData = nullptr;
    auto source = m_sources.constEnd();
    for (int i = 0; i < devices.size(); ++i) {
        const Device &d = devices.at(i);
        if (d.source.constData() != lastSourceData || lastSourceData == nullptr) {
            source = m_sources.constFind(d.source);
            lastSourceData = d.source.constData();
        }
        if (source == m_sources.constEnd() || !source->connected)
            continue;  // nobody can see this device now
        const int slotIndex = size_t(i) < m_slotOfStateIndex.size() ? m_slotOfStateIndex[size_t(i)] : -1;
        Slot &slot = slotIndex < 0 ? slotFor(d.key(), state, i) : m_slots[size_t(slotIndex)];
        if (slot.generation != m_generation || attributesChanged(slot, d))
            bind(slot, d);
        if (slot.timeRules.isEmpty() || (d.online == slot.lastOnline && nowMs < slot.nextDueMs))
            continue;  // nothing can be due yet (receipts and reconnects only push it later)
        if (d.online && !slot.lastOnline)
            slot.onlineSinceMs = nowMs;  // back: its silence starts now
        slot.lastOnline = d.online;
        qint64 nextDue = std::numeric_limits<qint64>::max();
        for (const TimeRule &tr : std::as_const(slot.timeRules)) {
            RuleSeriesState &st = slot.states[size_t(tr.binding)];
            const AlertRule &r = m_rules[size_t(slot.rules[size_t(tr.binding)])];
            Outcome o = Outcome::None;
            if (r.kind == AlertRuleKind::NoData) {
                if (!d.online && !st.firing)
                    continue;  // offline: its offline rules speak; silence is expected
                qint64 last = tr.range >= 0 ? slot.metrics[tr.range].track.lastReceiveMs
                                            : slot.anyTelemetry.lastReceiveMs;
                if (last != kNever)  // nothing could arrive before the source connected or the device came back
                    last = std::max({last, source->sinceMs, slot.onlineSinceMs});
                o = SeriesRuleEvaluator::noDataTick(r, st, last, nowMs);
                if (tr.range >= 0 && st.firing) {
                    // A firing no-data rule must see the next sample (to clear).
                    MetricRange &range = slot.metrics[tr.range];
                    const int bit = tr.binding - range.begin;
                    if (bit < 64)
                        range.active |= quint64(1) << bit;
                }
                if (!st.firing && last != kNever)
                    nextDue = std::min(nextDue, last + r.forMs);
            } else {
                const qint64 since = std::max(d.lastSeenMs, source->sinceMs);
                o = SeriesRuleEvaluator::offlineTick(r, st, !d.online, since, nowMs);
                if (!st.firing && !d.online)
                    nextDue = std::min(nextDue, since + r.forMs);
            }
            if (o != Outcome::None)
                emitOutcome(o, slot, tr.binding, nowMs, QString());
        }
        slot.nextDueMs = nextDue;
    }
}

void AlertEvaluator::setSourceState(const QString &source, bool connected, qint64 sinceMs)
{
    SourceInfo &info = m_sources[source];
    if (info.connected == connected && info.sinceMs != 0)
        return;
    info.connected = connected;
    info.sinceMs = sinceMs;
}

void AlertEvaluator::devicesRemoved(const QList<DeviceKey> &devices, const FleetState &state)
{
    if (devices.isEmpty())
        return;
    const QSet<DeviceKey> gone(devices.cbegin(), devices.cend());
    std::vector<Slot> kept;
    kept.reserve(m_slots.size());
    for (Slot &s : m_slots) {
        if (gone.contains(s.key)) {
            for (int rule : s.rules) {  // their saved states go too
                RuleStateRecord r;
                r.ruleId = m_rules[size_t(rule)].id;
                r.device = s.key;
                m_forgotten.append(std::move(r));
            }
            continue;
        }
        kept.push_back(std::move(s));
    }
    m_slots = std::move(kept);
    m_slotOfKey.clear();
    m_slotOfStateIndex.assign(size_t(state.devices().size()), -1);
    m_dirtySlots.clear();
    for (int i = 0; i < int(m_slots.size()); ++i) {
        Slot &s = m_slots[size_t(i)];
        s.queued = false;
        s.stateIndex = state.indexOf(s.key);
        m_slotOfKey.insert(s.key, i);
        if (s.stateIndex >= 0)
            m_slotOfStateIndex[size_t(s.stateIndex)] = i;
        if (std::any_of(s.states.cbegin(), s.states.cend(), [](const RuleSeriesState &st) { return st.dirty; })) {
            s.queued = true;
            m_dirtySlots.push_back(i);
        }
    }
    for (const DeviceKey &k : devices)
        m_restored.remove(k);
}

void AlertEvaluator::noteDirty(Slot &slot)
{
    if (!slot.queued) {
        slot.queued = true;
        m_dirtySlots.push_back(int(&slot - m_slots.data()));
    }
}

void AlertEvaluator::emitOutcome(Outcome o, Slot &slot, int binding, qint64 tsMs, const QString &value)
{
    noteDirty(slot);
    slot.nextDueMs = 0;  // a time rule may have changed: tick() looks again
    const int rule = slot.rules[size_t(binding)];
    AlertTransition t;
    t.kind = o == Outcome::Raise ? AlertTransition::Kind::Raise
           : o == Outcome::Update ? AlertTransition::Kind::Update
                                  : AlertTransition::Kind::Clear;
    t.ruleId = m_rules[size_t(rule)].id;
    t.device = slot.key;
    t.site = slot.site;
    t.tsMs = tsMs;
    t.value = value;
    t.message = m_messages[size_t(rule)];
    m_transitions.append(std::move(t));
}

QList<AlertTransition> AlertEvaluator::takeTransitions()
{
    return std::exchange(m_transitions, {});
}

QList<RuleStateRecord> AlertEvaluator::takeDirtyStates()
{
    QList<RuleStateRecord> out = std::exchange(m_forgotten, {});
    for (int index : m_dirtySlots) {
        if (index < 0 || size_t(index) >= m_slots.size())
            continue;
        Slot &s = m_slots[size_t(index)];
        s.queued = false;
        for (int i = 0; i < int(s.states.size()); ++i) {
            RuleSeriesState &st = s.states[size_t(i)];
            if (!st.dirty)
                continue;
            st.dirty = false;
            RuleStateRecord r;
            r.ruleId = m_rules[size_t(s.rules[size_t(i)])].id;
            r.device = s.key;
            if (st.isInteresting()) {
                for (const MetricRange &range : std::as_const(s.metrics)) {
                    if (i >= range.begin && i < range.end) {
                        st.lastTs = range.track.lastTs;
                        st.lastReceiveMs = range.track.lastReceiveMs;
                    }
                }
                r.state = st.serialize();
            }
            out.append(std::move(r));
        }
    }
    m_dirtySlots.clear();
    return out;
}

} // namespace fd
