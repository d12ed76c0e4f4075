#pragma once

#include <QString>

#include <array>

namespace fd {

// Why an incoming message was rejected. Values are persisted (SQLite) by their key(),
// never by number, so the order may change.
enum class RejectReason {
    BadJson,        // payload is not a JSON object
    WrongType,      // a known field has the wrong JSON type (e.g. "seq":"7")
    MissingField,   // a required field is absent (telemetry without "metrics")
    BadDeviceId,    // device id in the topic does not match [A-Za-z0-9._-]{1,64}
    Oversize,       // payload larger than the configured limit
    UnknownTopic,   // under the prefix but not a topic of protocol v1
    Unstorable,     // decoded, but the cache refused what it contains (see StorageReject)
    FutureTimestamp, // "ts" later than the receive time plus the allowed clock skew
    DeviceLimit,    // a new device of a source that has its maximum of devices (IngestLimits)
    MetricLimit,    // metric names new to a device that has its maximum of metrics; the
                    // message's other values are still applied (counted once per message)
};

inline constexpr std::array<RejectReason, 10> kAllRejectReasons = {
    RejectReason::BadJson,     RejectReason::WrongType,    RejectReason::MissingField,    RejectReason::BadDeviceId,
    RejectReason::Oversize,    RejectReason::UnknownTopic, RejectReason::Unstorable,      RejectReason::FutureTimestamp,
    RejectReason::DeviceLimit, RejectReason::MetricLimit};

// Stable machine key: "bad_json", "wrong_type", ... Used in storage, JSON and logs.
QString rejectReasonKey(RejectReason reason);
// Parses a key written by rejectReasonKey(); returns false for an unknown key.
bool rejectReasonFromKey(const QString &key, RejectReason *out);

} // namespace fd
