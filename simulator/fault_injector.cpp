#include "simulator/fault_injector.h"

#include "core/protocol/topic_scheme.h"
#include "simulator/simulated_device.h"

namespace fd::sim {

FaultInjector::Message FaultInjector::make(FaultKind kind, const SimulatedDevice &device, const TopicScheme &topics,
                                           qint64 nowMs)
{
    const QString id = device.identity().id;
    const QByteArray ts = QByteArray::number(nowMs);
    const QByteArray seq = QByteArray::number(device.nextSeq());
    Message m{topics.telemetryTopic(id), {}};
    switch (kind) {
    case FaultKind::BadJson:
        m.payload = "{\"ts\":" + ts + ",\"seq\":" + seq + ",\"metrics\":{\"temperature\":";  // truncated
        break;
    case FaultKind::WrongType:
        m.payload = "{\"ts\":" + ts + ",\"seq\":\"" + seq + "\",\"metrics\":{\"temperature\":21.5}}";
        break;
    case FaultKind::Oversize: {
        m.payload = "{\"ts\":" + ts + ",\"seq\":" + seq + ",\"metrics\":{\"temperature\":21.5},\"blob\":\"";
        m.payload += QByteArray(kOversizeBytes, 'x');
        m.payload += "\"}";
        break;
    }
    case FaultKind::BadDeviceId:
        // Spaces and '!' are not allowed in device ids ([A-Za-z0-9._-]{1,64}).
        m.topic = topics.telemetryTopic(id + QStringLiteral(" bad!id"));
        m.payload = "{\"ts\":" + ts + ",\"seq\":" + seq + ",\"metrics\":{\"temperature\":21.5}}";
        break;
    case FaultKind::MissingMetrics:
        m.payload = "{\"ts\":" + ts + ",\"seq\":" + seq + "}";
        break;
    }
    return m;
}

} // namespace fd::sim
