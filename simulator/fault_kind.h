#pragma once

#include <QString>

#include <array>
#include <optional>

namespace fd::sim {

// The malformed messages fleetdeck-sim injects with --faults RATE (that fraction of telemetry
// messages is replaced by one of these, chosen round-robin per device). Tests inject them
// and expect FleetDeck to reject each with the reason whose key is the fault's key.
enum class FaultKind {
    BadJson,         // payload is not JSON                       -> reject "bad_json"
    WrongType,       // "seq" is a string                         -> reject "wrong_type"
    Oversize,        // payload larger than 256 KiB               -> reject "oversize"
    BadDeviceId,     // topic carries an invalid device id        -> reject "bad_device_id"
    MissingMetrics,  // telemetry without "metrics"               -> reject "missing_field"
};

inline constexpr std::array<FaultKind, 5> kAllFaultKinds = {FaultKind::BadJson, FaultKind::WrongType,
                                                            FaultKind::Oversize, FaultKind::BadDeviceId,
                                                            FaultKind::MissingMetrics};

// Size of an Oversize payload: comfortably above PayloadCodec's 256 KiB default limit.
inline constexpr qsizetype kOversizeBytes = 300 * 1024;

// Stable key used in the manifest; equal to the RejectReason key FleetDeck reports.
QString faultKindKey(FaultKind kind);
std::optional<FaultKind> faultKindFromKey(const QString &key);

} // namespace fd::sim
