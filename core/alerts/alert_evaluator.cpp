#include "core/alerts/alert_evaluator.h"

#include "core/ingest/fleet_state.h"

#include <algorithm>

namespace fd {
namespace {

using Outcome = SeriesRuleEvaluator::Outcome;

bool sameString(const QString &a, const QString &b)
{
    return a.constData() == b.constData() || a == b;
}

} // namespace

AlertEvaluator::AlertEvaluator() = default;
AlertEvaluator::~AlertEvaluator() = default;

void AlertEvaluator::setRules(const QList<AlertRule> &rules)
{
    // Keep every slot's states by rule id; bind() takes them over where the rule is the same.
    QHash<qint64, const AlertRule *> old;
    std::vector<AlertRule> previous = std::move(m_rules);
    for (const AlertRule &r : previous)
        old.insert(r.id, &r);

    m_rules.clear();
    for (const AlertRule &r : rules) {
        if (r.enabled && r.validate().isEmpty())
            m_rules.push_back(r);
    }
    QHash<qint64, int> indexOfId;
    for (int i = 0; i < int(m_rules.size()); ++i)
        indexOfId.insert(m_rules[size_t(i)].id, i);

    // Move each slot's bindings onto the new rule indices now (states must not be lost to
    // a lazy rebind that no longer knows the old rules).
    for (Slot &slot : m_slots) {
        QHash<qint64, RuleSeriesState> kept;
        for (Binding &b : slot.bindings) {
            const AlertRule &was = previous[size_t(b.rule)];
            const auto now = indexOfId.constFind(was.id);
            if (now == indexOfId.constEnd())
                continue;  // rule gone or disabled
            RuleSeriesState st = std::move(b.state);
            if (!m_rules[size_t(*now)].sameDefinition(was)) {
                const bool firing = st.firing;
                st = RuleSeriesState();
                st.firing = firing;
                st.dirty = true;
            }
            kept.insert(was.id, std::move(st));
        }
        slot.bindings.clear();
        slot.metrics.clear();
        if (!kept.isEmpty())
            m_restored[slot.key].insert(kept);
        slot.generation = 0;  // rebind on next use
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
        if (slot != m_slotOfKey.constEnd()) {
            // Already bound: hand it to the slot at its next rebind.
            m_slots[size_t(*slot)].generation = 0;
            Slot &s = m_slots[size_t(*slot)];
            QHash<qint64, RuleSeriesState> kept;
            for (Binding &b : s.bindings)
                kept.insert(m_rules[size_t(b.rule)].id, std::move(b.state));
            s.bindings.clear();
            s.metrics.clear();
            kept.insert(r.ruleId, std::move(st));
            m_restored[r.device].insert(kept);
        } else {
            m_restored[r.device].insert(r.ruleId, std::move(st));
        }
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
    return !sameString(slot.site, d.site) || !sameString(slot.model, d.model);
}

void AlertEvaluator::bind(Slot &slot, const Device &d)
{
    QHash<qint64, RuleSeriesState> kept;
    for (Binding &b : slot.bindings)
        kept.insert(m_rules[size_t(b.rule)].id, std::move(b.state));
    const auto restored = m_restored.find(slot.key);
    if (restored != m_restored.end()) {
        for (auto it = restored->begin(); it != restored->end(); ++it)
            kept.insert(it.key(), std::move(it.value()));
        m_restored.erase(restored);
    }
    slot.bindings.clear();
    slot.metrics.clear();
    slot.site = d.site;
    slot.model = d.model;
    slot.generation = m_generation;

    const QStringList noTags;
    std::vector<int> sampleRules;
    std::vector<int> anyTelemetry;
    std::vector<int> offline;
    for (int i = 0; i < int(m_rules.size()); ++i) {
        const AlertRule &r = m_rules[size_t(i)];
        if (!r.scope.matches(slot.key.source, slot.key.path, d.site, d.model, noTags))
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
        Binding b{rule, {}};
        const auto st = kept.find(m_rules[size_t(rule)].id);
        if (st != kept.end())
            b.state = std::move(st.value());
        slot.bindings.push_back(std::move(b));
    };
    for (int rule : sampleRules) {
        const QString &metric = m_rules[size_t(rule)].metric;
        if (slot.metrics.isEmpty() || slot.metrics.back().metric != metric)
            slot.metrics.append(MetricRange{metric, int(slot.bindings.size()), int(slot.bindings.size())});
        add(rule);
        slot.metrics.back().end = int(slot.bindings.size());
    }
    slot.anyTelemetryBegin = int(slot.bindings.size());
    for (int rule : anyTelemetry)
        add(rule);
    slot.offlineBegin = int(slot.bindings.size());
    for (int rule : offline)
        add(rule);
}

void AlertEvaluator::evaluate(const TelemetrySample &sample, const FleetState &state, qint64 receivedMs)
{
    if (m_rules.empty())
        return;
    Slot &slot = slotFor(sample.key(), state, -1);
    if (slot.stateIndex < 0 || slot.stateIndex >= state.devices().size())
        return;  // not (or no longer) in the state
    const Device &device = state.devices().at(slot.stateIndex);
    if (slot.generation != m_generation || attributesChanged(slot, device))
        bind(slot, device);

    for (const MetricValue &m : sample.metrics) {
        for (const MetricRange &range : slot.metrics) {
            if (!sameString(range.metric, m.name))
                continue;
            for (int i = range.begin; i < range.end; ++i) {
                Binding &b = slot.bindings[size_t(i)];
                const Outcome o = SeriesRuleEvaluator::sample(m_rules[size_t(b.rule)], b.state, sample.timestampMs,
                                                              m.value, receivedMs);
                if (o != Outcome::None)
                    emitOutcome(o, slot, b, o == Outcome::Clear && m_rules[size_t(b.rule)].kind == AlertRuleKind::NoData
                                                ? receivedMs
                                                : sample.timestampMs,
                                m.displayText());
                else if (b.state.dirty)
                    noteDirty(slot, b);
            }
            break;
        }
    }
    for (int i = slot.anyTelemetryBegin; i < slot.offlineBegin; ++i) {
        Binding &b = slot.bindings[size_t(i)];
        const Outcome o = SeriesRuleEvaluator::sample(m_rules[size_t(b.rule)], b.state, sample.timestampMs, 0.0,
                                                      receivedMs);
        if (o != Outcome::None)
            emitOutcome(o, slot, b, receivedMs, QString());
    }
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
    for (int i = 0; i < devices.size(); ++i) {
        const Device &d = devices.at(i);
        const auto source = m_sources.constFind(d.source);
        if (source == m_sources.constEnd() || !source->connected)
            continue;  // nobody can see this device now
        int slotIndex = size_t(i) < m_slotOfStateIndex.size() ? m_slotOfStateIndex[size_t(i)] : -1;
        Slot *slot = nullptr;
        if (slotIndex < 0) {
            slot = &slotFor(d.key(), state, i);
        } else {
            slot = &m_slots[size_t(slotIndex)];
        }
        if (slot->generation != m_generation || attributesChanged(*slot, d))
            bind(*slot, d);
        const int end = int(slot->bindings.size());
        for (int b = 0; b < end; ++b) {
            Binding &binding = slot->bindings[size_t(b)];
            const AlertRule &r = m_rules[size_t(binding.rule)];
            Outcome o = Outcome::None;
            if (r.kind == AlertRuleKind::NoData) {
                if (binding.state.lastReceiveMs != RuleSeriesState::kNever
                    && binding.state.lastReceiveMs < source->sinceMs)
                    binding.state.lastReceiveMs = source->sinceMs;  // nothing could arrive before
                o = SeriesRuleEvaluator::noDataTick(r, binding.state, nowMs);
            } else if (r.kind == AlertRuleKind::Offline) {
                const qint64 since = std::max(d.lastSeenMs, source->sinceMs);
                o = SeriesRuleEvaluator::offlineTick(r, binding.state, !d.online, since, nowMs);
            } else {
                continue;
            }
            if (o != Outcome::None)
                emitOutcome(o, *slot, binding, nowMs, QString());
        }
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
    QSet<DeviceKey> gone(devices.cbegin(), devices.cend());
    std::vector<Slot> kept;
    kept.reserve(m_slots.size());
    for (Slot &s : m_slots) {
        if (gone.contains(s.key)) {
            // Its saved states go too.
            for (const Binding &b : s.bindings) {
                RuleStateRecord r;
                r.ruleId = m_rules[size_t(b.rule)].id;
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
        for (const Binding &b : s.bindings) {
            if (b.state.dirty) {
                s.queued = true;
                m_dirtySlots.push_back(i);
                break;
            }
        }
    }
    for (const DeviceKey &k : devices)
        m_restored.remove(k);
}

void AlertEvaluator::noteDirty(Slot &slot, Binding &binding)
{
    Q_UNUSED(binding);
    if (!slot.queued) {
        slot.queued = true;
        m_dirtySlots.push_back(int(&slot - m_slots.data()));
    }
}

void AlertEvaluator::emitOutcome(Outcome o, const Slot &slot, Binding &binding, qint64 tsMs, const QString &value)
{
    noteDirty(const_cast<Slot &>(slot), binding);
    const AlertRule &r = m_rules[size_t(binding.rule)];
    AlertTransition t;
    t.kind = o == Outcome::Raise ? AlertTransition::Kind::Raise
           : o == Outcome::Update ? AlertTransition::Kind::Update
                                  : AlertTransition::Kind::Clear;
    t.ruleId = r.id;
    t.device = slot.key;
    t.site = slot.site;
    t.tsMs = tsMs;
    t.value = value;
    t.message = r.conditionText();
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
        for (Binding &b : s.bindings) {
            if (!b.state.dirty)
                continue;
            b.state.dirty = false;
            RuleStateRecord r;
            r.ruleId = m_rules[size_t(b.rule)].id;
            r.device = s.key;
            if (b.state.isInteresting())
                r.state = b.state.serialize();
            out.append(std::move(r));
        }
    }
    m_dirtySlots.clear();
    return out;
}

} // namespace fd
