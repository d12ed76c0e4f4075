#pragma once

#include "core/domain/device_key.h"
#include "core/ota/ota_status_message.h"
#include "core/ota/rollout.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QtGlobal>

#include <array>
#include <optional>
#include <set>
#include <vector>

namespace fd {

// A job document to publish (retained) for one device.
struct OtaJobOrder
{
    DeviceKey device;
    QString deviceId;
    QString jobId;
    int attempt = 0;

    friend bool operator==(const OtaJobOrder &, const OtaJobOrder &) = default;
};

// What one decision changes in the store: one transaction.
struct RolloutChanges
{
    std::optional<Rollout> rollout;  // the row as it must become (if changed)
    QList<RolloutDevice> devices;    // rows as they must become
    QList<RolloutEvent> events;      // appended (+ an audit entry for operator actions)
    bool isEmpty() const { return !rollout && devices.isEmpty() && events.isEmpty(); }
};

struct RolloutDecision
{
    RolloutChanges changes;          // commit first...
    QList<OtaJobOrder> publishJobs;  // ...then publish these job documents (retained)
    QList<DeviceKey> clearJobs;      // ...and clear these retained job documents
    bool isEmpty() const { return changes.isEmpty() && publishJobs.isEmpty() && clearJobs.isEmpty(); }
};

// The rollout state machine: pure and synchronous (no I/O, no timers; the clock is passed
// in). Every function returns a decision: what to commit, then what to publish and clear.
// The engine's own rows move only in committed(), after the store committed the decision's
// changes; a decision that is not committed changes nothing. Never two decisions in flight.
// The rules (waves, rate, timeouts, retries, abort criteria, windows) are in docs/ota.md
// "Rollouts" and at the top of rollout_engine.cpp.
class RolloutEngine
{
public:
    RolloutEngine(Rollout rollout, QList<RolloutDevice> devices);

    // Operator actions (actor for the audit): each returns what to commit and do.
    RolloutDecision start(qint64 nowMs, const QString &actor);
    RolloutDecision pause(qint64 nowMs, const QString &actor, const QString &reason);
    RolloutDecision resume(qint64 nowMs, const QString &actor);  // also "approve next wave"
    RolloutDecision abort(qint64 nowMs, const QString &actor, const QString &reason);
    RolloutDecision cancel(qint64 nowMs, const QString &actor);

    // Device and transport events.
    RolloutDecision jobPublished(const DeviceKey &d, const QString &jobId, qint64 nowMs);  // PUBACK
    RolloutDecision statusReceived(const DeviceKey &d, const OtaStatus &s, qint64 nowMs);
    RolloutDecision tick(qint64 nowMs);  // rate limit, timeouts, waves, windows, abort checks
    qint64 nextDeadlineMs() const;       // when tick() next has something to do (0: none)

    // After the store committed decision.changes: applies the rows in memory.
    void committed(const RolloutChanges &changes);

    const Rollout &rollout() const { return m_rollout; }
    const QList<RolloutDevice> &devices() const { return m_devices; }

    // The job id of an attempt: "<uid>-<attempt>".
    static QString jobIdFor(const QString &uid, int attempt);

private:
    friend struct RolloutEngineRules;
    class Draft;
    using Counts = std::array<int, kAllOtaDeviceStates.size()>;
    void settle(Draft &draft) const;
    RolloutDecision finish(Draft &draft) const;
    // Adds (sign +1) or removes (-1) a row from the indexes below.
    void track(qsizetype index, const RolloutDevice &row, int sign);
    // Dispatches of committed rows (current attempts) in (nowMs - 60 s, nowMs].
    std::pair<qsizetype, qsizetype> dispatchWindow(qint64 nowMs) const;

    Rollout m_rollout;
    QList<RolloutDevice> m_devices;      // ordered by position
    QHash<DeviceKey, qsizetype> m_index; // key -> index in m_devices
    qint64 m_lastNowMs = 0;              // the clock of the last call (nextDeadlineMs)
    // Indexes of the committed rows, so that a decision costs O(changes + log n), not O(n):
    Counts m_counts{};                   // devices by state
    QMap<int, Counts> m_waveCounts;      // wave -> devices by state
    QMap<int, std::set<qsizetype>> m_pending;  // wave -> indexes of pending rows
    std::vector<qint64> m_dispatchTimes; // sorted dispatched_ms of rows with attempt > 0
    std::multiset<qint64> m_inProgressSince;   // dispatched_ms of rows in progress
};

} // namespace fd
