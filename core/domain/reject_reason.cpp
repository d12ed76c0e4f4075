#include "core/domain/reject_reason.h"

namespace fd {

QString rejectReasonKey(RejectReason reason)
{
    switch (reason) {
    case RejectReason::BadJson: return QStringLiteral("bad_json");
    case RejectReason::WrongType: return QStringLiteral("wrong_type");
    case RejectReason::MissingField: return QStringLiteral("missing_field");
    case RejectReason::BadDeviceId: return QStringLiteral("bad_device_id");
    case RejectReason::Oversize: return QStringLiteral("oversize");
    case RejectReason::UnknownTopic: return QStringLiteral("unknown_topic");
    case RejectReason::Unstorable: return QStringLiteral("unstorable");
    case RejectReason::FutureTimestamp: return QStringLiteral("future_timestamp");
    case RejectReason::DeviceLimit: return QStringLiteral("device_limit");
    case RejectReason::MetricLimit: return QStringLiteral("metric_limit");
    case RejectReason::BadProtobuf: return QStringLiteral("bad_protobuf");
    case RejectReason::UnsupportedMetric: return QStringLiteral("unsupported_metric");
    case RejectReason::SequenceGap: return QStringLiteral("seq_gap");
    case RejectReason::UnknownAlias: return QStringLiteral("unknown_alias");
    case RejectReason::NoSession: return QStringLiteral("no_session");
    }
    return QStringLiteral("unknown");
}

bool rejectReasonFromKey(const QString &key, RejectReason *out)
{
    for (RejectReason r : kAllRejectReasons) {
        if (rejectReasonKey(r) == key) {
            *out = r;
            return true;
        }
    }
    return false;
}

} // namespace fd
