#pragma once

#include "core/domain/device_status.h"
#include "core/domain/reject_reason.h"
#include "core/domain/sparkplug_session.h"
#include "core/domain/telemetry_sample.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace fd {

// Where a MessageDecoder puts what it made of one message: the normalised events every
// protocol maps onto. The ingest pipeline implements it; the decoders never see the fleet
// state, the storage or the models, and the pipeline never knows which protocol spoke.
//
// Events refer to a device by a handle from device(): the device's path in the source
// (segments joined by '/', valid UTF-8 with no '+', '#' or control characters, checked by
// the decoder), looked up without allocating when the device is known.
class DecodeSink
{
public:
    virtual ~DecodeSink() = default;

    // The handle of the device at path, or -1 if the sink refuses the path outright; its id
    // string, shared by the events of this message. A device the sink does not know yet
    // becomes one only when an event of it is accepted (status, death, metrics; subject to
    // the sink's limits): a reject of it is counted for its path without creating it.
    virtual int device(QByteArrayView path) = 0;
    virtual const QString &deviceId(int handle) const = 0;

    // Status / birth: the device is online (or says it is not), with attributes.
    virtual void status(int handle, const DeviceStatus &status) = 0;
    // Death: the device went away at tsMs (0: now): offline, and its values are STALE from
    // tsMs on (Device::staleSinceMs) until its next status or metrics event. A decoder
    // reports an edge node's death for the node and for each of its devices.
    virtual void death(int handle, qint64 tsMs) = 0;
    // The Sparkplug B session facts of an edge node or device (bdSeq, birth and death counts,
    // last rebirth cause, the BIRTH's metric definitions), replacing the known ones.
    virtual void session(int handle, const SparkplugSession &session) = 0;
    // A batch of typed metric values with the device's timestamp (and sequence number).
    virtual void metrics(int handle, TelemetrySample &&sample) = 0;
    // A reject with its reason, attributed to a device (handle >= 0) or to the source as a
    // whole (-1: the topic names no valid device).
    virtual void reject(int handle, RejectReason reason, const QString &detail) = 0;
    // A device's answer to a command, handed to the source's command service unparsed.
    // By path, not handle: an answer never creates a device.
    virtual void commandResponse(QByteArrayView path, const QByteArray &payload) = 0;
    // A message the protocol itself sends to a device of this source (Sparkplug: NCMD
    // `Node Control/Rebirth`), published through the source's command service, tracked and
    // logged like an operator's command but not answered. name is the command's name
    // ("rebirth"), reason why it is sent (logged, shown with the command).
    virtual void sendToDevice(QByteArrayView path, const QString &name, const QString &topic,
                              const QByteArray &payload, const QString &reason) = 0;
};

} // namespace fd
