#pragma once

#include "core/domain/connection_state.h"

#include <QtGlobal>

namespace fd {

// What FleetDeck can honestly say about a device right now: the device's own last status
// (online / offline) only while its source is connected. While the source is not connected
// (disconnected, connecting, reconnecting, failed) nobody can see the device: Unknown. The
// device keeps its last reported status; only what is shown and filtered is derived here,
// in this one place.
enum class DevicePresence : quint8 {
    Offline,
    Unknown,
    Online,  // the order is the sort order of the status column (ascending)
};

// True when the source's devices can be seen (their status is current).
constexpr bool isSourceVisible(ConnectionState source)
{
    return source == ConnectionState::Connected;
}

constexpr DevicePresence devicePresence(bool reportedOnline, bool sourceVisible)
{
    if (!sourceVisible)
        return DevicePresence::Unknown;
    return reportedOnline ? DevicePresence::Online : DevicePresence::Offline;
}

constexpr DevicePresence devicePresence(bool reportedOnline, ConnectionState source)
{
    return devicePresence(reportedOnline, isSourceVisible(source));
}

} // namespace fd
