#pragma once

#include <QString>
#include <QStringView>

#include <array>
#include <optional>

namespace fd {

// Where one device is in a rollout (rollout_devices.state). Persisted and shown by key
// ("pending", "timed_out", ...), exchanged with devices by wire name ("QUEUED", ...).
//   pending      not dispatched yet (or waiting for its next attempt after a retry)
//   dispatching  committed for a job document, publish not confirmed yet (runner reconciles)
//   sent         the job document was published (PUBACK)
//   queued .. updating   reported by the device
//   terminal: updated failed rejected timed_out rolled_back skipped cancelled
// failed and timed_out may be retried (a new attempt: back to pending); rejected never.
enum class OtaDeviceState : quint8 {
    Pending, Dispatching, Sent, Queued, Downloading, Downloaded, Verified, Updating,
    Updated, Failed, Rejected, TimedOut, RolledBack, Skipped, Cancelled
};

inline constexpr std::array<OtaDeviceState, 15> kAllOtaDeviceStates = {
    OtaDeviceState::Pending, OtaDeviceState::Dispatching, OtaDeviceState::Sent, OtaDeviceState::Queued,
    OtaDeviceState::Downloading, OtaDeviceState::Downloaded, OtaDeviceState::Verified, OtaDeviceState::Updating,
    OtaDeviceState::Updated, OtaDeviceState::Failed, OtaDeviceState::Rejected, OtaDeviceState::TimedOut,
    OtaDeviceState::RolledBack, OtaDeviceState::Skipped, OtaDeviceState::Cancelled};

QString otaDeviceStateKey(OtaDeviceState state);  // "pending", ..., "timed_out", ...
std::optional<OtaDeviceState> otaDeviceStateFromKey(QStringView key);  // exact key
// Upper-case wire name of a state a device reports ("QUEUED" .. "ROLLED_BACK"); empty for
// the console-side states (pending, dispatching, sent, skipped, cancelled).
QString otaDeviceStateWireName(OtaDeviceState state);
// Parses a status message's "state" (exact upper case); nullopt for anything else,
// including the console-side states.
std::optional<OtaDeviceState> otaDeviceStateFromWireName(QStringView name);
// updated failed rejected timed_out rolled_back skipped cancelled.
bool isTerminal(OtaDeviceState state);
// A job is out for the device: dispatching .. updating.
bool isInProgress(OtaDeviceState state);
// A terminal state counted as a failure by abort criteria of kind "all":
// failed rejected timed_out rolled_back.
bool isFailure(OtaDeviceState state);

// Where a rollout is (rollouts.state).
//   scheduled  created, not started (or waiting for its start time)
//   running    dispatching waves
//   paused     no new dispatch (operator, approval for the next wave, success threshold
//              missed); devices already in progress go on; state_reason says why
//   aborting   abort decided: pending devices skipped, devices in progress may finish
//   aborted    abort done (none in progress any more)
//   cancelled  stopped at once: jobs cleared, every unfinished device cancelled
//   completed  every targeted device finished (terminal), none skipped by abort/cancel
enum class RolloutState : quint8 { Scheduled, Running, Paused, Aborting, Aborted, Cancelled, Completed };

inline constexpr std::array<RolloutState, 7> kAllRolloutStates = {
    RolloutState::Scheduled, RolloutState::Running, RolloutState::Paused, RolloutState::Aborting,
    RolloutState::Aborted, RolloutState::Cancelled, RolloutState::Completed};

QString rolloutStateKey(RolloutState state);  // "scheduled", ...
std::optional<RolloutState> rolloutStateFromKey(QStringView key);
// aborted cancelled completed: nothing will change any more.
bool isTerminal(RolloutState state);

} // namespace fd
