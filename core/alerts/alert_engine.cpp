#include "core/alerts/alert_engine.h"

#include "core/ingest/fleet_state.h"

#include <QDateTime>

namespace fd {

AlertEngine::AlertEngine(QObject *parent)
    : IngestConsumer(parent)
    , m_publishTimer(this)
    , m_stateTimer(this)
    , m_tickTimer(this)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    qRegisterMetaType<QList<fd::AlertTransition>>();
    qRegisterMetaType<QList<fd::RuleStateRecord>>();
    qRegisterMetaType<QList<fd::AlertRule>>();
    m_publishTimer.setSingleShot(true);
    m_publishTimer.setInterval(kPublishIntervalMs);
    connect(&m_publishTimer, &QTimer::timeout, this, &AlertEngine::publish);
    m_stateTimer.setSingleShot(true);
    m_stateTimer.setInterval(kStateIntervalMs);
    connect(&m_stateTimer, &QTimer::timeout, this, &AlertEngine::publishStates);
    m_tickTimer.setInterval(kTickIntervalMs);
    connect(&m_tickTimer, &QTimer::timeout, this, &AlertEngine::tickNow);
}

void AlertEngine::attach(FleetState &state)
{
    m_state = &state;
}

void AlertEngine::consume(const IngestBatch &batch)
{
    if (batch.samples.isEmpty() || !m_state)
        return;
    if (!m_haveRules) {
        for (const TelemetrySample &s : batch.samples) {
            if (m_held.size() >= kMaxHeldSamples) {
                m_held.removeFirst();
                m_heldReceived.removeFirst();
                ++m_dropped;
            }
            m_held.append(s);
            m_heldReceived.append(batch.receivedMs);
        }
        return;
    }
    const bool indexed = batch.deviceIndices.size() == batch.samples.size();
    for (qsizetype i = 0; i < batch.samples.size(); ++i)
        m_evaluator.evaluate(batch.samples.at(i), *m_state, batch.receivedMs, indexed ? batch.deviceIndices.at(i) : -1);
    schedule();
}

void AlertEngine::devicesDeleted(const QList<DeviceKey> &devices, quint64)
{
    if (m_state)
        m_evaluator.devicesRemoved(devices, *m_state);
    schedule();
}

void AlertEngine::setRules(const QList<AlertRule> &rules, const QList<RuleStateRecord> &states)
{
    m_evaluator.setRules(rules);
    m_evaluator.restoreStates(states);
    const bool first = !m_haveRules;
    m_haveRules = true;
    if (first && m_state) {
        const QList<TelemetrySample> held = std::exchange(m_held, {});
        const QList<qint64> received = std::exchange(m_heldReceived, {});
        for (qsizetype i = 0; i < held.size(); ++i)
            m_evaluator.evaluate(held.at(i), *m_state, received.at(i));
    }
    if (!m_tickTimer.isActive())
        m_tickTimer.start();
    emit rulesApplied(m_evaluator.ruleCount());
    schedule();
}

void AlertEngine::setSourceState(const QString &source, bool connected, qint64 sinceMs)
{
    m_evaluator.setSourceState(source, connected, sinceMs);
}

void AlertEngine::tickNow()
{
    if (!m_state || !m_haveRules)
        return;
    m_evaluator.tick(*m_state, m_clock());
    schedule();
}

void AlertEngine::schedule()
{
    if (m_evaluator.hasTransitions() && !m_publishTimer.isActive())
        m_publishTimer.start();
    if (!m_stateTimer.isActive())
        m_stateTimer.start();
}

void AlertEngine::publish()
{
    QList<AlertTransition> out = m_evaluator.takeTransitions();
    if (!out.isEmpty())
        emit transitions(out);
}

void AlertEngine::publishStates()
{
    QList<RuleStateRecord> out = m_evaluator.takeDirtyStates();
    if (!out.isEmpty())
        emit statesChanged(out);
}

void AlertEngine::flush()
{
    m_publishTimer.stop();
    m_stateTimer.stop();
    publish();
    publishStates();
}

} // namespace fd
