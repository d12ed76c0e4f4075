#pragma once

#include "core/alerts/alert_evaluator.h"
#include "core/alerts/alert_transition.h"
#include "core/ingest/ingest_consumer.h"

#include <QElapsedTimer>
#include <QList>
#include <QTimer>

#include <functional>

namespace fd {

// The rule engine as an ingest consumer: evaluates every accepted sample against the rules
// on the ingest thread (AlertEvaluator), runs the receive-clock rules once a second, and
// hands what it found to whoever listens (AlertService), batched: transitions at most
// every kPublishIntervalMs, changed rule states at most every kStateIntervalMs.
//
// Until the rules arrive (setRules(), from AlertService once the operations store is read)
// batches are held, up to kMaxHeldSamples samples (beyond that the oldest are evaluated
// against no rules: counted in droppedBeforeRules()), so that nothing received at start-up
// escapes the rules.
//
// Called from other threads only through queued calls: setRules(), setSourceState().
class AlertEngine final : public IngestConsumer
{
    Q_OBJECT
public:
    static constexpr int kPublishIntervalMs = 200;
    static constexpr int kStateIntervalMs = 2000;
    static constexpr int kTickIntervalMs = 1000;
    static constexpr qsizetype kMaxHeldSamples = 200000;

    explicit AlertEngine(QObject *parent = nullptr);

    QString consumerName() const override { return QStringLiteral("alerts"); }
    void attach(FleetState &state) override;
    void consume(const IngestBatch &batch) override;
    void devicesDeleted(const QList<DeviceKey> &devices, quint64 deletionId) override;
    void flush() override;

    // On the engine's thread (AlertService reaches them through queued connections).
    void setRules(const QList<fd::AlertRule> &rules, const QList<fd::RuleStateRecord> &states);
    void setSourceState(const QString &source, bool connected, qint64 sinceMs);
    // Tests: the receive clock (default: the system clock, ms since epoch).
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }
    void tickNow();

    quint64 droppedBeforeRules() const { return m_dropped; }

signals:
    void transitions(const QList<fd::AlertTransition> &transitions);
    void statesChanged(const QList<fd::RuleStateRecord> &states);
    void rulesApplied(int ruleCount);

private:
    void publish();
    void publishStates();
    void schedule();

    FleetState *m_state = nullptr;
    AlertEvaluator m_evaluator;
    bool m_haveRules = false;
    QList<TelemetrySample> m_held;
    QList<qint64> m_heldReceived;
    quint64 m_dropped = 0;
    QTimer m_publishTimer;
    QTimer m_stateTimer;
    QTimer m_tickTimer;
    std::function<qint64()> m_clock;
};

} // namespace fd
