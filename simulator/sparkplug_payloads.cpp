#include "simulator/sparkplug_payloads.h"

#include "protocol/sparkplug/sparkplug_b.pb.h"

namespace fd::sim {

namespace pb = fleetdeck::sparkplug_b;

QByteArray SparkplugPayloads::serialize(const pb::Payload &payload)
{
    std::string bytes;
    payload.SerializeToString(&bytes);
    return QByteArray(bytes.data(), qsizetype(bytes.size()));
}

QByteArray SparkplugPayloads::death(quint8 bdSeq, qint64 nowMs)
{
    pb::Payload payload;
    payload.set_timestamp(quint64(nowMs));
    pb::Payload::Metric *m = payload.add_metrics();
    m->set_name("bdSeq");
    m->set_timestamp(quint64(nowMs));
    m->set_datatype(pb::Int64);
    m->set_long_value(bdSeq);
    return serialize(payload);
}

} // namespace fd::sim
