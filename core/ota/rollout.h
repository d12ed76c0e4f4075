#pragma once

#include "core/domain/device_key.h"
#include "core/ota/ota_device_state.h"
#include "core/ota/rollout_plan.h"

#include <QString>
#include <QtGlobal>

namespace fd {

// One row of the operations store's rollouts table (schema v3).
struct Rollout
{
    qint64 id = 0;          // assigned by the store (the printed rollout id)
    QString uid;            // 8 random hex chars; job ids are "<uid>-<attempt>"
    QString name;
    QString artifactId;
    RolloutState state = RolloutState::Scheduled;
    RolloutPlan plan;
    QString targetsJson;    // the target filter as given, for display
    int currentWave = 0;    // 0 = canary (when the plan has one), then 1..n
    QString stateReason;    // why it is paused / aborting / aborted
    qint64 createdMs = 0;
    QString createdBy;
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
    qint64 updatedMs = 0;

    friend bool operator==(const Rollout &, const Rollout &) = default;
};

// One row of rollout_devices: a targeted device and where it is.
struct RolloutDevice
{
    qint64 rolloutId = 0;
    DeviceKey key;          // source + device_path
    QString deviceId;       // last path element (protocol v1 device id)
    QString model;
    QString fromVersion;
    int wave = 1;
    int position = 0;       // dispatch order within the rollout (0-based)
    OtaDeviceState state = OtaDeviceState::Pending;
    int attempt = 0;        // jobs sent so far (0: none)
    QString jobId;          // "<uid>-<attempt>" of the current attempt; '' when none
    int progress = 0;       // 0..100
    QString reason;
    QString toVersion;      // what the device reported with UPDATED
    qint64 dispatchedMs = 0;
    qint64 updatedMs = 0;

    friend bool operator==(const RolloutDevice &, const RolloutDevice &) = default;
};

// One row of rollout_events: the rollout's timeline.
struct RolloutEvent
{
    qint64 id = 0;          // assigned by the store
    qint64 rolloutId = 0;
    qint64 tsMs = 0;
    QString kind;           // created started wave_started wave_finished paused resumed aborting
                            // aborted cancelled completed ...
    QString actor;          // operator, or "fleetdeck" for automatic transitions
    QString detail;
    // Not stored in rollout_events: an operator action, also written to the audit log
    // (action "rollout.<kind>", object rollout/<id>) by RolloutTable::applyChanges.
    bool operatorAction = false;

    friend bool operator==(const RolloutEvent &, const RolloutEvent &) = default;
};

// The actor of automatic transitions.
inline QString rolloutSystemActor() { return QStringLiteral("fleetdeck"); }

} // namespace fd
