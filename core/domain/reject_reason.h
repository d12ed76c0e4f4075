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
    // Sparkplug B (docs/protocol.md, "Sparkplug B (host application)"):
    BadProtobuf,    // the payload is not a Sparkplug B protobuf payload (truncated, garbage)
    UnsupportedMetric, // metrics whose value does not match their datatype, of an unknown
                    // datatype, or over a limit; the payload's other metrics are applied
    SequenceGap,    // seq out of order and not filled within the reorder timeout: rebirth requested
    UnknownAlias,   // DATA naming an alias its BIRTH did not declare (dropped; rebirth requested)
    NoSession,      // DATA / BIRTH of an edge node or device without a current session (before
                    // its BIRTH, after its death): not guessed at, rebirth requested
};

inline constexpr std::array<RejectReason, 15> kAllRejectReasons = {
    RejectReason::BadJson,     RejectReason::WrongType,    RejectReason::MissingField,    RejectReason::BadDeviceId,
    RejectReason::Oversize,    RejectReason::UnknownTopic, RejectReason::Unstorable,      RejectReason::FutureTimestamp,
    RejectReason::DeviceLimit, RejectReason::MetricLimit,  RejectReason::BadProtobuf,     RejectReason::UnsupportedMetric,
    RejectReason::SequenceGap, RejectReason::UnknownAlias, RejectReason::NoSession};

// Stable machine key: "bad_json", "wrong_type", ... Used in storage, JSON and logs.
QString rejectReasonKey(RejectReason reason);
// Parses a key written by rejectReasonKey(); returns false for an unknown key.
bool rejectReasonFromKey(const QString &key, RejectReason *out);

} // namespace fd
