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
    case RejectReason::BadProtobuf: return QCoreApplication::translate("fd::RejectReason", "Bad protobuf");
    case RejectReason::UnsupportedMetric: return QCoreApplication::translate("fd::RejectReason", "Unsupported metric");
    case RejectReason::SequenceGap: return QCoreApplication::translate("fd::RejectReason", "Sequence gap");
    case RejectReason::UnknownAlias: return QCoreApplication::translate("fd::RejectReason", "Unknown alias");
    case RejectReason::NoSession: return QCoreApplication::translate("fd::RejectReason", "No session");
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
    case RejectReason::BadProtobuf: return QCoreApplication::translate("fd::RejectReason", "The payload of a Sparkplug B message is not a Sparkplug B protobuf payload (truncated or garbage).");
    case RejectReason::UnsupportedMetric: return QCoreApplication::translate("fd::RejectReason", "Sparkplug B metrics whose value does not match their datatype, of an unknown datatype, or over a limit (array size, template depth) were dropped; the message's other metrics were applied.");
    case RejectReason::SequenceGap: return QCoreApplication::translate("fd::RejectReason", "A Sparkplug B message was missing from an edge node's sequence (seq) and did not arrive within the reorder timeout: the messages held were applied in order and FleetDeck asked the edge node for a rebirth.");
    case RejectReason::UnknownAlias: return QCoreApplication::translate("fd::RejectReason", "Sparkplug B DATA used a metric alias its BIRTH did not declare: those values were dropped and FleetDeck asked the edge node for a rebirth.");
    case RejectReason::NoSession: return QCoreApplication::translate("fd::RejectReason", "Sparkplug B DATA or a device BIRTH came from an edge node or device without a current session (before its BIRTH, after its death or a lost connection): FleetDeck does not guess, it asked the edge node for a rebirth.");
    }
    return rejectReasonKey(reason);
}

} // namespace fd
