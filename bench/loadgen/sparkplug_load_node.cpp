#include "bench/loadgen/sparkplug_load_node.h"

namespace fd::bench {

namespace sp = fleetdeck::sparkplug_b;

namespace {

struct MetricSpec
{
    const char *name;
    sp::DataType type;
};

constexpr MetricSpec kDeviceMetrics[SparkplugLoadNode::kMetricsPerDevice] = {
    {"temperature", sp::Float}, {"humidity", sp::Float}, {"pressure", sp::Double},
    {"rssi", sp::Int32},        {"running", sp::Boolean},
};

constexpr quint64 kRebirthAlias = 1;  // "Node Control/Rebirth"; device metrics follow

void addBdSeq(sp::Payload *payload, quint64 bdSeq)
{
    sp::Payload_Metric *m = payload->add_metrics();
    m->set_name("bdSeq");
    m->set_datatype(sp::Int64);  // as Eclipse Tahu; the value is in long_value either way
    m->set_long_value(bdSeq);
}

} // namespace

SparkplugLoadNode::SparkplugLoadNode(const std::string &group, const std::string &nodeId,
                                     std::vector<int> deviceNumbers, quint64 bdSeq)
    : m_deviceNumbers(std::move(deviceNumbers))
    , m_bdSeq(bdSeq % 256)
{
    const std::string base = "spBv1.0/" + group + '/';
    m_nbirthTopic = base + "NBIRTH/" + nodeId;
    m_ndeathTopic = base + "NDEATH/" + nodeId;
    m_dbirthTopics.reserve(m_deviceNumbers.size());
    m_ddataTopics.reserve(m_deviceNumbers.size());
    for (int n : m_deviceNumbers) {
        const std::string device = '/' + nodeId + "/dev-" + std::to_string(n);
        m_dbirthTopics.push_back(base + "DBIRTH" + device);
        m_ddataTopics.push_back(base + "DDATA" + device);
    }
    m_counters.assign(m_deviceNumbers.size(), 0);

    sp::Payload death;
    addBdSeq(&death, m_bdSeq);
    death.SerializeToString(&m_ndeath);

    for (int i = 0; i < kMetricsPerDevice; ++i)
        m_data.add_metrics();
}

quint64 SparkplugLoadNode::takeSeq()
{
    const quint64 seq = m_seq;
    m_seq = (m_seq + 1) % 256;
    return seq;
}

quint64 SparkplugLoadNode::alias(std::size_t device, int metric) const
{
    return kRebirthAlias + 1 + quint64(device) * kMetricsPerDevice + quint64(metric);
}

void SparkplugLoadNode::setValue(sp::Payload_Metric *metric, std::size_t device, int index) const
{
    const quint64 counter = m_counters[device];
    const int phase = int((counter + quint64(m_deviceNumbers[device]) * 7) % 100);
    switch (index) {
    case 0:
        metric->set_float_value(18.0f + float(phase) * 0.1f);
        break;
    case 1:
        metric->set_float_value(40.0f + float((phase * 3) % 200) * 0.1f);
        break;
    case 2:
        metric->set_double_value(1013.25 + double(phase) * 0.01);
        break;
    case 3:
        // Int32 travels in the uint32 int_value field, two's complement (the specification).
        metric->set_int_value(static_cast<quint32>(qint32(-50 - phase / 3)));
        break;
    default:
        metric->set_boolean_value((counter / 50) % 2 == 0);
        break;
    }
}

void SparkplugLoadNode::nbirth(qint64 nowMs, std::string *out)
{
    m_seq = 0;
    sp::Payload p;
    p.set_timestamp(quint64(nowMs));
    p.set_seq(takeSeq());
    addBdSeq(&p, m_bdSeq);
    p.mutable_metrics(0)->set_timestamp(quint64(nowMs));
    sp::Payload_Metric *rebirth = p.add_metrics();
    rebirth->set_name("Node Control/Rebirth");
    rebirth->set_alias(kRebirthAlias);
    rebirth->set_timestamp(quint64(nowMs));
    rebirth->set_datatype(sp::Boolean);
    rebirth->set_boolean_value(false);
    p.SerializeToString(out);
}

void SparkplugLoadNode::dbirth(std::size_t device, qint64 nowMs, std::string *out)
{
    sp::Payload p;
    p.set_timestamp(quint64(nowMs));
    p.set_seq(takeSeq());
    for (int i = 0; i < kMetricsPerDevice; ++i) {
        sp::Payload_Metric *m = p.add_metrics();
        m->set_name(kDeviceMetrics[i].name);
        m->set_alias(alias(device, i));
        m->set_timestamp(quint64(nowMs));
        m->set_datatype(kDeviceMetrics[i].type);
        setValue(m, device, i);
    }
    p.SerializeToString(out);
}

void SparkplugLoadNode::ddata(std::size_t device, qint64 nowMs, std::string *out)
{
    ++m_counters[device];
    m_data.set_timestamp(quint64(nowMs));
    m_data.set_seq(takeSeq());
    for (int i = 0; i < kMetricsPerDevice; ++i) {
        sp::Payload_Metric *m = m_data.mutable_metrics(i);
        m->set_alias(alias(device, i));
        m->set_timestamp(quint64(nowMs));
        setValue(m, device, i);
    }
    m_data.SerializeToString(out);
}

} // namespace fd::bench
