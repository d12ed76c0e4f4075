#include "core/ota/ota_device_state.h"

namespace fd {
namespace {

struct StateName
{
    OtaDeviceState state;
    const char *key;
    const char *wire;  // "" for console-side states
};

constexpr StateName kStateNames[] = {
    {OtaDeviceState::Pending, "pending", ""},
    {OtaDeviceState::Dispatching, "dispatching", ""},
    {OtaDeviceState::Sent, "sent", ""},
    {OtaDeviceState::Queued, "queued", "QUEUED"},
    {OtaDeviceState::Downloading, "downloading", "DOWNLOADING"},
    {OtaDeviceState::Downloaded, "downloaded", "DOWNLOADED"},
    {OtaDeviceState::Verified, "verified", "VERIFIED"},
    {OtaDeviceState::Updating, "updating", "UPDATING"},
    {OtaDeviceState::Updated, "updated", "UPDATED"},
    {OtaDeviceState::Failed, "failed", "FAILED"},
    {OtaDeviceState::Rejected, "rejected", "REJECTED"},
    {OtaDeviceState::TimedOut, "timed_out", "TIMED_OUT"},
    {OtaDeviceState::RolledBack, "rolled_back", "ROLLED_BACK"},
    {OtaDeviceState::Skipped, "skipped", ""},
    {OtaDeviceState::Cancelled, "cancelled", ""},
};

constexpr const char *kRolloutStateKeys[] = {"scheduled", "running", "paused", "aborting",
                                             "aborted", "cancelled", "completed"};

} // namespace

QString otaDeviceStateKey(OtaDeviceState state)
{
    return QString::fromLatin1(kStateNames[int(state)].key);
}

std::optional<OtaDeviceState> otaDeviceStateFromKey(QStringView key)
{
    for (const StateName &n : kStateNames) {
        if (key == QLatin1StringView(n.key))
            return n.state;
    }
    return std::nullopt;
}

QString otaDeviceStateWireName(OtaDeviceState state)
{
    return QString::fromLatin1(kStateNames[int(state)].wire);
}

std::optional<OtaDeviceState> otaDeviceStateFromWireName(QStringView name)
{
    if (name.isEmpty())
        return std::nullopt;
    for (const StateName &n : kStateNames) {
        if (name == QLatin1StringView(n.wire))
            return n.state;
    }
    return std::nullopt;
}

bool isTerminal(OtaDeviceState state)
{
    return state >= OtaDeviceState::Updated;
}

bool isInProgress(OtaDeviceState state)
{
    return state >= OtaDeviceState::Dispatching && state <= OtaDeviceState::Updating;
}

bool isFailure(OtaDeviceState state)
{
    return state == OtaDeviceState::Failed || state == OtaDeviceState::Rejected || state == OtaDeviceState::TimedOut
           || state == OtaDeviceState::RolledBack;
}

QString rolloutStateKey(RolloutState state)
{
    return QString::fromLatin1(kRolloutStateKeys[int(state)]);
}

std::optional<RolloutState> rolloutStateFromKey(QStringView key)
{
    for (RolloutState s : kAllRolloutStates) {
        if (key == QLatin1StringView(kRolloutStateKeys[int(s)]))
            return s;
    }
    return std::nullopt;
}

bool isTerminal(RolloutState state)
{
    return state == RolloutState::Aborted || state == RolloutState::Cancelled || state == RolloutState::Completed;
}

} // namespace fd
