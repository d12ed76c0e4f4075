#include "models/reject_reason_labels.h"

#include <QCoreApplication>

namespace fd {

QString rejectReasonLabel(RejectReason reason)
{
    switch (reason) {
    case RejectReason::BadJson: return QCoreApplication::translate("fd::RejectReason", "Bad JSON");
    case RejectReason::WrongType: return QCoreApplication::translate("fd::RejectReason", "Wrong type");
    case RejectReason::MissingField: return QCoreApplication::translate("fd::RejectReason", "Missing field");
    case RejectReason::BadDeviceId: return QCoreApplication::translate("fd::RejectReason", "Bad device id");
    case RejectReason::Oversize: return QCoreApplication::translate("fd::RejectReason", "Oversize");
    case RejectReason::UnknownTopic: return QCoreApplication::translate("fd::RejectReason", "Unknown topic");
    case RejectReason::Unstorable: return QCoreApplication::translate("fd::RejectReason", "Unstorable");
    case RejectReason::FutureTimestamp: return QCoreApplication::translate("fd::RejectReason", "Future timestamp");
    case RejectReason::DeviceLimit: return QCoreApplication::translate("fd::RejectReason", "Device limit");
    case RejectReason::MetricLimit: return QCoreApplication::translate("fd::RejectReason", "Metric limit");
    }
    return rejectReasonKey(reason);
}

QString rejectReasonDescription(RejectReason reason)
{
    switch (reason) {
    case RejectReason::BadJson: return QCoreApplication::translate("fd::RejectReason", "The payload is not a JSON object.");
    case RejectReason::WrongType: return QCoreApplication::translate("fd::RejectReason", "A known field has the wrong JSON type, e.g. \"seq\" sent as a string.");
    case RejectReason::MissingField: return QCoreApplication::translate("fd::RejectReason", "A required field is missing, e.g. telemetry without \"metrics\".");
    case RejectReason::BadDeviceId: return QCoreApplication::translate("fd::RejectReason", "The device id in the topic is not 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-'.");
    case RejectReason::Oversize: return QCoreApplication::translate("fd::RejectReason", "The payload is larger than the configured limit.");
    case RejectReason::UnknownTopic: return QCoreApplication::translate("fd::RejectReason", "The topic is under the fleet prefix but is not a topic of protocol v1.");
    case RejectReason::FutureTimestamp: return QCoreApplication::translate("fd::RejectReason", "The telemetry's \"ts\" is later than the time it was received plus the allowed clock skew (Settings; default one hour): the device's clock is wrong. Rejected, not clamped, so no value is stored at a time it was not measured.");
    case RejectReason::Unstorable: return QCoreApplication::translate("fd::RejectReason", "The message was decoded, but the local cache refused what it contains (see the log for SQLite's reason); everything else was saved.");
    case RejectReason::DeviceLimit: return QCoreApplication::translate("fd::RejectReason", "A new device of a connection that already has its maximum number of devices (Settings > Ingest Limits). Known devices keep working.");
    case RejectReason::MetricLimit: return QCoreApplication::translate("fd::RejectReason", "Metric names new to a device that already reports its maximum number of metrics (Settings > Ingest Limits) were dropped; the message's other values were applied.");
    }
    return rejectReasonKey(reason);
}

} // namespace fd
