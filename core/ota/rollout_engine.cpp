#include "core/ota/rollout_engine.h"

#include <QCoreApplication>

#include <algorithm>
#include <limits>

// The rules (docs/ota.md "Rollouts"):
// - start(): Scheduled -> Running once plan.startAtMs is reached (tick() starts a due
//   Scheduled rollout too); the first wave (0 = canary when there is one) begins. On a rollout
//   already running (a restart) it only continues: rows in `dispatching` are the runner's to
//   reconcile and are never dispatched again here.
// - Dispatch (Running only, inside the maintenance window): pending devices of the current
//   wave in position order, as many as the rate allows (dispatches in the last 60 s,
//   counting the current attempt of every row; the rate grows by the plan's factor each time
//   rateIncreaseEvery devices updated). A dispatch commits the row as `dispatching` with
//   attempt+1, job id "<uid>-<attempt>" and dispatched_ms, and only then asks the runner to
//   publish (decision.publishJobs). jobPublished() moves it to `sent`.
// - statusReceived(): only for the row's current job id and never backwards (a terminal
//   row ignores everything; an in-progress row ignores earlier states). UPDATED -> updated;
//   FAILED / TIMED_OUT -> a retry (pending, next attempt) while attempt <= retries and the
//   rollout is running or paused, else terminal; REJECTED / ROLLED_BACK terminal. A
//   terminal device's retained job document is cleared (decision.clearJobs).
// - tick(): device timeouts (deviceTimeoutS since dispatched_ms -> timed_out, retry rule
//   applies), abort criteria, wave completion, dispatch.
// - A wave is complete when all its devices are terminal: success = updated * 100 / size
//   (floor). >= threshold: the next wave starts (NextWave) or the rollout pauses for
//   approval; below: it pauses with the numbers. resume() approves the next wave. The last
//   wave complete and at or above the threshold (or approved): Completed.
// - Abort criteria: executed = terminal devices other than skipped / cancelled (after
//   retries); failures of the kind (all = failed + rejected + timed_out + rolled_back); trips
//   when executed >= minExecuted and failures * 100 >= thresholdPct * executed. Aborting:
//   pending devices are skipped, devices in progress finish; Aborted once none is in
//   progress.
// - cancel(): Cancelled at once; pending and in-progress devices cancelled, their jobs
//   cleared; later statuses are ignored.

namespace fd {
namespace {

constexpr qsizetype kMaxReasonLength = 500;
constexpr qsizetype kMaxVersionLength = 64;

QString tr(const char *text)
{
    return QCoreApplication::translate("fd::RolloutEngine", text);
}

QString waveName(int wave)
{
    return wave == 0 ? tr("canary") : tr("wave %1").arg(wave);
}

bool countsAsExecuted(OtaDeviceState s)
{
    return isTerminal(s) && s != OtaDeviceState::Skipped && s != OtaDeviceState::Cancelled;
}

bool isFailureOfKind(OtaDeviceState s, RolloutAbortCriterion::Kind kind)
{
    switch (kind) {
    case RolloutAbortCriterion::Kind::Failed: return s == OtaDeviceState::Failed;
    case RolloutAbortCriterion::Kind::Rejected: return s == OtaDeviceState::Rejected;
    case RolloutAbortCriterion::Kind::TimedOut: return s == OtaDeviceState::TimedOut;
    case RolloutAbortCriterion::Kind::All: break;
    }
    return isFailure(s);
}

QString bounded(const QString &text, qsizetype max)
{
    return text.size() > max ? text.left(max) : text;
}

} // namespace

// The rows as one decision would leave them: the engine's rows plus this decision's
// changes (only the changed rows are copied), and the engine's counts kept up to date.
class RolloutEngine::Draft
{
public:
    Draft(const RolloutEngine &engine, qint64 nowMs)
        : rollout(engine.m_rollout)
        , now(nowMs)
        , counts(engine.m_counts)
        , waveCounts(engine.m_waveCounts)
        , m_engine(engine)
    {
    }

    const RolloutEngine &engine() const { return m_engine; }
    qsizetype size() const { return m_engine.m_devices.size(); }
    const RolloutDevice &row(qsizetype i) const
    {
        const auto it = m_changed.constFind(i);
        return it != m_changed.cend() ? *it : m_engine.m_devices[i];
    }
    void set(qsizetype i, RolloutDevice d)
    {
        const RolloutDevice &old = row(i);
        --counts[size_t(old.state)];
        --waveCounts[old.wave][size_t(old.state)];
        if (old.attempt > 0 && inRateWindow(old.dispatchedMs))
            --windowDelta;
        ++counts[size_t(d.state)];
        ++waveCounts[d.wave][size_t(d.state)];
        if (d.attempt > 0 && inRateWindow(d.dispatchedMs))
            ++windowDelta;
        d.updatedMs = now;
        m_changed.insert(i, std::move(d));
    }
    // Indexes of the rows this decision changed, in position order.
    QList<qsizetype> changedIndexes() const { return m_changed.keys(); }
    bool inRateWindow(qint64 t) const { return t > now - kRateWindowMs && t <= now; }
    int count(OtaDeviceState s) const { return counts[size_t(s)]; }

    void event(const QString &kind, const QString &actor, const QString &detail, bool operatorAction = false)
    {
        RolloutEvent e;
        e.rolloutId = rollout.id;
        e.tsMs = now;
        e.kind = kind;
        e.actor = actor;
        e.detail = detail;
        e.operatorAction = operatorAction;
        events.append(e);
    }
    void clearJob(const DeviceKey &key)
    {
        if (!clear.contains(key))
            clear.append(key);
    }

    RolloutDecision decision() const
    {
        RolloutDecision d;
        if (!(rollout == m_engine.m_rollout)) {
            Rollout r = rollout;
            r.updatedMs = now;
            d.changes.rollout = r;
        }
        for (auto it = m_changed.cbegin(); it != m_changed.cend(); ++it)
            d.changes.devices.append(*it);
        d.changes.events = events;
        d.publishJobs = publish;
        d.clearJobs = clear;
        return d;
    }

    static constexpr qint64 kRateWindowMs = 60 * 1000;

    Rollout rollout;
    QList<RolloutEvent> events;
    QList<OtaJobOrder> publish;
    QList<DeviceKey> clear;
    const qint64 now;
    RolloutEngine::Counts counts;
    QMap<int, RolloutEngine::Counts> waveCounts;
    int windowDelta = 0;  // dispatches in the rate window added (+) or replaced (-) by this decision

private:
    const RolloutEngine &m_engine;
    QMap<qsizetype, RolloutDevice> m_changed;  // by index: position order
};

// The rules over a draft (a friend of the engine to reach its private Draft and indexes).
struct RolloutEngineRules
{
    using D = RolloutEngine::Draft;
    using Counts = RolloutEngine::Counts;

    static int sum(const Counts &c, bool (*pred)(OtaDeviceState))
    {
        int n = 0;
        for (OtaDeviceState s : kAllOtaDeviceStates)
            n += pred(s) ? c[size_t(s)] : 0;
        return n;
    }
    static int total(const Counts &c)
    {
        return sum(c, [](OtaDeviceState) { return true; });
    }

    static int firstWave(const D &d) { return d.waveCounts.isEmpty() ? 1 : d.waveCounts.firstKey(); }
    static std::optional<int> nextWaveAfter(const D &d, int wave)
    {
        const auto it = d.waveCounts.upperBound(wave);
        return it == d.waveCounts.cend() ? std::nullopt : std::optional<int>(it.key());
    }
    static bool anyInProgress(const D &d)
    {
        return sum(d.counts, [](OtaDeviceState s) { return isInProgress(s); }) > 0;
    }
    static int updatedCount(const D &d) { return d.count(OtaDeviceState::Updated); }

    // A device reached `state` (terminal, or failed / timed_out that may be retried).
    static void finishDevice(D &d, qsizetype i, OtaDeviceState state, const QString &reason)
    {
        RolloutDevice row = d.row(i);
        const bool retryable = state == OtaDeviceState::Failed || state == OtaDeviceState::TimedOut;
        const bool live = d.rollout.state == RolloutState::Running || d.rollout.state == RolloutState::Paused;
        if (retryable && live && row.attempt <= d.rollout.plan.retries) {
            row.reason = tr("attempt %1 %2: %3; retrying")
                             .arg(row.attempt)
                             .arg(otaDeviceStateKey(state), bounded(reason, kMaxReasonLength));
            row.state = OtaDeviceState::Pending;
            row.jobId.clear();
            row.progress = 0;
        } else {
            row.state = state;
            row.reason = bounded(reason, kMaxReasonLength);
        }
        d.clearJob(row.key);
        d.set(i, row);
    }

    static void startIfDue(D &d, const QString &actor, bool operatorAction)
    {
        if (d.rollout.state != RolloutState::Scheduled || d.now < d.rollout.plan.startAtMs)
            return;
        d.rollout.state = RolloutState::Running;
        d.rollout.stateReason.clear();
        d.rollout.startedMs = d.now;
        d.rollout.currentWave = firstWave(d);
        d.event(QStringLiteral("started"), actor, QString(), operatorAction);
        d.event(QStringLiteral("wave_started"), rolloutSystemActor(), waveName(d.rollout.currentWave));
    }

    // Devices in progress for deviceTimeoutS since their dispatch time out (tick() only).
    static void checkTimeouts(D &d)
    {
        const RolloutState s = d.rollout.state;
        if (s != RolloutState::Running && s != RolloutState::Paused && s != RolloutState::Aborting)
            return;
        const qint64 timeoutMs = qint64(d.rollout.plan.deviceTimeoutS) * 1000;
        const std::multiset<qint64> &since = d.engine().m_inProgressSince;
        if (since.empty() || d.now - *since.begin() < timeoutMs)
            return;  // none due: no scan
        for (qsizetype i = 0; i < d.size(); ++i) {
            const RolloutDevice &row = d.row(i);
            if (isInProgress(row.state) && row.dispatchedMs > 0 && d.now - row.dispatchedMs >= timeoutMs)
                finishDevice(d, i, OtaDeviceState::TimedOut,
                             tr("no final status within %1 s").arg(d.rollout.plan.deviceTimeoutS));
        }
    }

    static void enterAborting(D &d, const QString &actor, const QString &reason, bool operatorAction)
    {
        d.rollout.state = RolloutState::Aborting;
        d.rollout.stateReason = reason;
        d.event(QStringLiteral("aborting"), actor, reason, operatorAction);
        if (d.count(OtaDeviceState::Pending) == 0)
            return;
        for (qsizetype i = 0; i < d.size(); ++i) {
            if (d.row(i).state != OtaDeviceState::Pending)
                continue;
            RolloutDevice row = d.row(i);
            row.state = OtaDeviceState::Skipped;
            row.reason = tr("not started: the rollout was aborted");
            d.set(i, row);
        }
    }

    static void checkAbort(D &d)
    {
        if (d.rollout.state != RolloutState::Running && d.rollout.state != RolloutState::Paused)
            return;
        const QList<RolloutAbortCriterion> &criteria = d.rollout.plan.abortCriteria;
        if (criteria.isEmpty())
            return;
        const int executed = sum(d.counts, countsAsExecuted);
        for (const RolloutAbortCriterion &crit : criteria) {
            int failures = 0;
            for (OtaDeviceState s : kAllOtaDeviceStates)
                failures += isFailureOfKind(s, crit.kind) ? d.count(s) : 0;
            if (executed < crit.minExecuted || qint64(failures) * 100 < qint64(crit.thresholdPct) * executed)
                continue;
            const QString kind = crit.kind == RolloutAbortCriterion::Kind::All
                                     ? tr("failed (any kind)")
                                     : RolloutAbortCriterion::kindKey(crit.kind);
            enterAborting(d, rolloutSystemActor(),
                          tr("abort criterion: %1 of %2 finished devices %3 (%4%), threshold %5% after %6")
                              .arg(failures)
                              .arg(executed)
                              .arg(kind)
                              .arg(qint64(failures) * 100 / executed)
                              .arg(crit.thresholdPct)
                              .arg(crit.minExecuted),
                          false);
            return;
        }
    }

    static void finishAbortIfDone(D &d)
    {
        if (d.rollout.state != RolloutState::Aborting || anyInProgress(d))
            return;
        d.rollout.state = RolloutState::Aborted;
        d.rollout.finishedMs = d.now;
        d.event(QStringLiteral("aborted"), rolloutSystemActor(), d.rollout.stateReason);
    }

    static void complete(D &d)
    {
        d.rollout.state = RolloutState::Completed;
        d.rollout.stateReason.clear();
        d.rollout.finishedMs = d.now;
        d.event(QStringLiteral("completed"), rolloutSystemActor(), tr("%1 devices updated").arg(updatedCount(d)));
    }

    // Starts the wave after the current one, or completes the rollout after the last.
    static void advance(D &d)
    {
        const auto next = nextWaveAfter(d, d.rollout.currentWave);
        if (!next) {
            complete(d);
            return;
        }
        d.rollout.currentWave = *next;
        d.event(QStringLiteral("wave_started"), rolloutSystemActor(), waveName(*next));
    }

    static bool waveDone(const D &d, int wave, int *size, int *updated)
    {
        const Counts c = d.waveCounts.value(wave, Counts{});
        *size = total(c);
        *updated = c[size_t(OtaDeviceState::Updated)];
        return sum(c, [](OtaDeviceState s) { return isTerminal(s); }) == *size;
    }

    static void checkWaves(D &d)
    {
        for (int guard = 0; guard < 1000; ++guard) {
            const RolloutState s = d.rollout.state;
            if (s != RolloutState::Running && s != RolloutState::Paused)
                return;
            int size = 0;
            int updated = 0;
            const int wave = d.rollout.currentWave;
            if (!waveDone(d, wave, &size, &updated))
                return;
            const int pct = size > 0 ? int(qint64(updated) * 100 / size) : 100;
            const bool passed = pct >= d.rollout.plan.successThresholdPct;
            const auto next = nextWaveAfter(d, wave);
            QString pauseReason;
            if (!passed)
                pauseReason = tr("%1: %2% updated, below the %3% threshold")
                                  .arg(waveName(wave))
                                  .arg(pct)
                                  .arg(d.rollout.plan.successThresholdPct);
            else if (next
                     && (s == RolloutState::Paused || d.rollout.plan.afterWave == RolloutPlan::AfterWave::PauseForApproval))
                pauseReason = tr("%1 finished: %2% updated; approve to start %3")
                                  .arg(waveName(wave))
                                  .arg(pct)
                                  .arg(waveName(*next));
            if (pauseReason.isEmpty()) {
                if (s == RolloutState::Paused)
                    return;  // the last wave passed while paused: resume completes it
                d.event(QStringLiteral("wave_finished"), rolloutSystemActor(),
                        tr("%1: %2 of %3 updated (%4%)").arg(waveName(wave)).arg(updated).arg(size).arg(pct));
                advance(d);
                continue;
            }
            if (s == RolloutState::Paused && d.rollout.stateReason == pauseReason)
                return;  // already reported
            d.event(QStringLiteral("wave_finished"), rolloutSystemActor(),
                    tr("%1: %2 of %3 updated (%4%)").arg(waveName(wave)).arg(updated).arg(size).arg(pct));
            if (s == RolloutState::Running)
                d.event(QStringLiteral("paused"), rolloutSystemActor(), pauseReason);
            d.rollout.state = RolloutState::Paused;
            d.rollout.stateReason = pauseReason;
            return;
        }
    }

    static void dispatch(D &d)
    {
        if (d.rollout.state != RolloutState::Running)
            return;
        const int wave = d.rollout.currentWave;
        if (d.waveCounts.value(wave, Counts{})[size_t(OtaDeviceState::Pending)] == 0)
            return;
        const RolloutPlan &plan = d.rollout.plan;
        if (plan.window && !plan.window->contains(d.now))
            return;
        const int rate = plan.currentRatePerMinute(updatedCount(d));
        qsizetype allowed = std::numeric_limits<qsizetype>::max();
        if (rate > 0) {
            const auto [first, last] = d.engine().dispatchWindow(d.now);
            allowed = qMax<qsizetype>(0, rate - (last - first) - d.windowDelta);
        }
        if (allowed == 0)
            return;
        // Candidates in position order: committed pending rows of the wave and rows this
        // decision made pending (retries); each checked against the draft.
        std::set<qsizetype> candidates;
        for (qsizetype i : d.changedIndexes()) {
            if (d.row(i).wave == wave && d.row(i).state == OtaDeviceState::Pending)
                candidates.insert(i);
        }
        const auto committed = d.engine().m_pending.constFind(wave);
        auto it = committed != d.engine().m_pending.cend() ? committed->cbegin() : std::set<qsizetype>::const_iterator();
        const auto end = committed != d.engine().m_pending.cend() ? committed->cend() : it;
        auto extra = candidates.cbegin();
        while (allowed > 0 && (it != end || extra != candidates.cend())) {
            qsizetype i = 0;
            if (extra == candidates.cend() || (it != end && *it < *extra)) {
                i = *it++;
            } else {
                i = *extra++;
                if (it != end && *it == i)
                    ++it;
            }
            const RolloutDevice &current = d.row(i);
            if (current.wave != wave || current.state != OtaDeviceState::Pending)
                continue;
            RolloutDevice row = current;
            row.attempt += 1;
            row.jobId = RolloutEngine::jobIdFor(d.rollout.uid, row.attempt);
            row.state = OtaDeviceState::Dispatching;
            row.dispatchedMs = d.now;
            row.progress = 0;
            d.clear.removeAll(row.key);  // the new job document replaces the old one
            d.publish.append(OtaJobOrder{row.key, row.deviceId, row.jobId, row.attempt});
            d.set(i, row);
            --allowed;
        }
    }
};

RolloutEngine::RolloutEngine(Rollout rollout, QList<RolloutDevice> devices)
    : m_rollout(std::move(rollout))
    , m_devices(std::move(devices))
{
    std::stable_sort(m_devices.begin(), m_devices.end(),
                     [](const RolloutDevice &a, const RolloutDevice &b) { return a.position < b.position; });
    for (qsizetype i = 0; i < m_devices.size(); ++i) {
        m_index.insert(m_devices[i].key, i);
        track(i, m_devices[i], +1);
    }
}

void RolloutEngine::track(qsizetype index, const RolloutDevice &row, int sign)
{
    m_counts[size_t(row.state)] += sign;
    m_waveCounts[row.wave][size_t(row.state)] += sign;
    if (row.state == OtaDeviceState::Pending) {
        if (sign > 0)
            m_pending[row.wave].insert(index);
        else
            m_pending[row.wave].erase(index);
    }
    if (row.attempt > 0) {
        if (sign > 0) {
            m_dispatchTimes.insert(std::upper_bound(m_dispatchTimes.begin(), m_dispatchTimes.end(), row.dispatchedMs),
                                   row.dispatchedMs);
        } else {
            const auto it = std::lower_bound(m_dispatchTimes.begin(), m_dispatchTimes.end(), row.dispatchedMs);
            if (it != m_dispatchTimes.end() && *it == row.dispatchedMs)
                m_dispatchTimes.erase(it);
        }
    }
    if (isInProgress(row.state)) {
        if (sign > 0) {
            m_inProgressSince.insert(row.dispatchedMs);
        } else {
            const auto it = m_inProgressSince.find(row.dispatchedMs);
            if (it != m_inProgressSince.end())
                m_inProgressSince.erase(it);
        }
    }
}

std::pair<qsizetype, qsizetype> RolloutEngine::dispatchWindow(qint64 nowMs) const
{
    const auto first = std::upper_bound(m_dispatchTimes.begin(), m_dispatchTimes.end(), nowMs - Draft::kRateWindowMs);
    const auto last = std::upper_bound(first, m_dispatchTimes.end(), nowMs);
    return {first - m_dispatchTimes.begin(), last - m_dispatchTimes.begin()};
}

QString RolloutEngine::jobIdFor(const QString &uid, int attempt)
{
    return uid + QLatin1Char('-') + QString::number(attempt);
}

void RolloutEngine::settle(Draft &draft) const
{
    RolloutEngineRules::checkAbort(draft);
    RolloutEngineRules::finishAbortIfDone(draft);
    RolloutEngineRules::checkWaves(draft);
    RolloutEngineRules::dispatch(draft);
}

RolloutDecision RolloutEngine::finish(Draft &draft) const
{
    return draft.decision();
}

RolloutDecision RolloutEngine::start(qint64 nowMs, const QString &actor)
{
    m_lastNowMs = nowMs;
    Draft d(*this, nowMs);
    RolloutEngineRules::startIfDue(d, actor, true);
    settle(d);
    return finish(d);
}

RolloutDecision RolloutEngine::pause(qint64 nowMs, const QString &actor, const QString &reason)
{
    m_lastNowMs = nowMs;
    Draft d(*this, nowMs);
    if (d.rollout.state != RolloutState::Running && d.rollout.state != RolloutState::Scheduled)
        return {};
    d.rollout.state = RolloutState::Paused;
    d.rollout.stateReason = reason.trimmed().isEmpty() ? tr("paused by %1").arg(actor)
                                                        : bounded(reason.trimmed(), kMaxReasonLength);
    d.event(QStringLiteral("paused"), actor, d.rollout.stateReason, true);
    return finish(d);
}

RolloutDecision RolloutEngine::resume(qint64 nowMs, const QString &actor)
{
    m_lastNowMs = nowMs;
    Draft d(*this, nowMs);
    if (d.rollout.state != RolloutState::Paused)
        return {};
    d.event(QStringLiteral("resumed"), actor, d.rollout.stateReason, true);
    d.rollout.stateReason.clear();
    if (d.rollout.startedMs == 0) {
        d.rollout.state = RolloutState::Scheduled;
        RolloutEngineRules::startIfDue(d, actor, false);
    } else {
        d.rollout.state = RolloutState::Running;
        int size = 0;
        int updated = 0;
        // Approval: a finished wave (whatever its success) lets the next one start.
        if (RolloutEngineRules::waveDone(d, d.rollout.currentWave, &size, &updated))
            RolloutEngineRules::advance(d);
    }
    settle(d);
    return finish(d);
}

RolloutDecision RolloutEngine::abort(qint64 nowMs, const QString &actor, const QString &reason)
{
    m_lastNowMs = nowMs;
    Draft d(*this, nowMs);
    const RolloutState s = d.rollout.state;
    if (s != RolloutState::Scheduled && s != RolloutState::Running && s != RolloutState::Paused)
        return {};
    RolloutEngineRules::enterAborting(d, actor,
                                      reason.trimmed().isEmpty() ? tr("aborted by %1").arg(actor)
                                                                 : bounded(reason.trimmed(), kMaxReasonLength),
                                      true);
    settle(d);
    return finish(d);
}

RolloutDecision RolloutEngine::cancel(qint64 nowMs, const QString &actor)
{
    m_lastNowMs = nowMs;
    Draft d(*this, nowMs);
    if (fd::isTerminal(d.rollout.state))
        return {};
    d.rollout.state = RolloutState::Cancelled;
    d.rollout.stateReason = tr("cancelled by %1").arg(actor);
    d.rollout.finishedMs = nowMs;
    d.event(QStringLiteral("cancelled"), actor, QString(), true);
    for (qsizetype i = 0; i < d.size(); ++i) {
        const RolloutDevice &current = d.row(i);
        if (isTerminal(current.state))
            continue;
        RolloutDevice row = current;
        if (isInProgress(row.state))
            d.clearJob(row.key);
        row.state = OtaDeviceState::Cancelled;
        row.reason = tr("rollout cancelled");
        d.set(i, row);
    }
    return finish(d);
}

RolloutDecision RolloutEngine::jobPublished(const DeviceKey &device, const QString &jobId, qint64 nowMs)
{
    m_lastNowMs = nowMs;
    const auto it = m_index.constFind(device);
    if (it == m_index.cend())
        return {};
    Draft d(*this, nowMs);
    RolloutDevice row = d.row(*it);
    if (row.state != OtaDeviceState::Dispatching || row.jobId != jobId)
        return {};
    row.state = OtaDeviceState::Sent;
    d.set(*it, row);
    return finish(d);
}

RolloutDecision RolloutEngine::statusReceived(const DeviceKey &device, const OtaStatus &status, qint64 nowMs)
{
    m_lastNowMs = nowMs;
    const auto it = m_index.constFind(device);
    if (it == m_index.cend() || fd::isTerminal(m_rollout.state))
        return {};
    const qsizetype i = *it;
    Draft d(*this, nowMs);
    RolloutDevice row = d.row(i);
    if (row.jobId.isEmpty() || status.jobId != row.jobId || isTerminal(row.state))
        return {};  // a stale attempt, or after the end
    const OtaDeviceState s = status.state;
    if (s < OtaDeviceState::Queued)
        return {};  // not a wire state
    const int progress = qBound(0, status.progress, 100);
    if (!isTerminal(s)) {
        if (s < row.state || (s == row.state && progress == row.progress))
            return {};  // backwards, or nothing new
        row.state = s;
        row.progress = progress;
        d.set(i, row);
        return finish(d);  // progress only: waves, abort criteria and the rate are unchanged
    } else if (s == OtaDeviceState::Updated) {
        row.state = s;
        row.progress = 100;
        row.toVersion = bounded(status.fwVersion, kMaxVersionLength);
        row.reason = bounded(status.reason, kMaxReasonLength);
        d.set(i, row);
        d.clearJob(row.key);
    } else {
        const QString reason = status.reason.isEmpty() ? otaDeviceStateWireName(s) : status.reason;
        RolloutEngineRules::finishDevice(d, i, s, reason);
    }
    settle(d);
    return finish(d);
}

RolloutDecision RolloutEngine::tick(qint64 nowMs)
{
    m_lastNowMs = nowMs;
    Draft d(*this, nowMs);
    RolloutEngineRules::startIfDue(d, rolloutSystemActor(), false);
    RolloutEngineRules::checkTimeouts(d);
    settle(d);
    return finish(d);
}

qint64 RolloutEngine::nextDeadlineMs() const
{
    const RolloutState s = m_rollout.state;
    if (fd::isTerminal(s))
        return 0;
    if (s == RolloutState::Scheduled)
        return qMax<qint64>(m_rollout.plan.startAtMs, 1);
    qint64 next = 0;
    const auto consider = [&next](qint64 t) {
        if (t > 0 && (next == 0 || t < next))
            next = t;
    };
    if (!m_inProgressSince.empty())
        consider(*m_inProgressSince.begin() + qint64(m_rollout.plan.deviceTimeoutS) * 1000);
    const auto pending = m_pending.constFind(m_rollout.currentWave);
    if (s == RolloutState::Running && pending != m_pending.cend() && !pending->empty()) {
        const qint64 now = m_lastNowMs;
        const RolloutPlan &plan = m_rollout.plan;
        if (plan.window && !plan.window->contains(now)) {
            consider(plan.window->nextOpeningMs(now));
        } else {
            const int rate = plan.currentRatePerMinute(m_counts[size_t(OtaDeviceState::Updated)]);
            const auto [first, last] = dispatchWindow(now);
            if (rate > 0 && last - first >= rate)
                consider(m_dispatchTimes[size_t(last - rate)] + Draft::kRateWindowMs);  // the slot that frees first
            else
                consider(qMax<qint64>(now, 1));
        }
    }
    return next;
}

void RolloutEngine::committed(const RolloutChanges &changes)
{
    if (changes.rollout)
        m_rollout = *changes.rollout;
    for (const RolloutDevice &row : changes.devices) {
        const auto it = m_index.constFind(row.key);
        if (it == m_index.cend())
            continue;
        track(*it, m_devices[*it], -1);
        m_devices[*it] = row;
        track(*it, row, +1);
    }
}

} // namespace fd
