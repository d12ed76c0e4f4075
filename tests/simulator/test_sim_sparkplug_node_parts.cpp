// The parts of fleetdeck-sim's Sparkplug edge node that need no broker: what a BIRTH and a
// DATA carry (SparkplugMetricSet, the node and device models), how NCMD/DCMD payloads are
// applied (SparkplugCommandApplier), the NDEATH payload, and the primary host's STATE rules
// (SparkplugHostWatch).
#include "simulator/sparkplug_command_applier.h"
#include "simulator/sparkplug_device_model.h"
#include "simulator/sparkplug_host_watch.h"
#include "simulator/sparkplug_node_model.h"
#include "simulator/sparkplug_payloads.h"

#include "protocol/sparkplug/sparkplug_b.pb.h"

#include <QSet>
#include <QTest>

using namespace fd::sim;
using namespace Qt::StringLiterals;
namespace pb = fleetdeck::sparkplug_b;

namespace {

QByteArray command(const std::function<void(pb::Payload &)> &fill)
{
    pb::Payload p;
    p.set_timestamp(1);
    fill(p);
    return SparkplugPayloads::serialize(p);
}

const pb::Payload::Metric *byName(const pb::Payload &p, const std::string &name)
{
    for (const pb::Payload::Metric &m : p.metrics()) {
        if (m.name() == name)
            return &m;
    }
    return nullptr;
}

} // namespace

class TestSimSparkplugNodeParts : public QObject
{
    Q_OBJECT
private slots:
    void nodeBirthDeclaresEveryMetric();
    void deviceBirthAndAliasOnlyData();
    void aliasesAreUniqueWithinANode();
    void modelsAreDeterministic();
    void appliesRebirthAndWrites();
    void refusesBadCommands();
    void deathCarriesBdSeq();
    void hostWatchFollowsTimestamps();
};

void TestSimSparkplugNodeParts::nodeBirthDeclaresEveryMetric()
{
    SparkplugNodeModel node(0, u"Plant-1"_s, 1000, 7);
    QCOMPARE(node.id(), u"gw-01"_s);
    node.setBdSeq(42);
    pb::Payload birth;
    node.metrics().appendBirth(birth, 1000);
    for (const pb::Payload::Metric &m : birth.metrics()) {
        QVERIFY2(m.has_name() && m.has_alias() && m.has_datatype() && m.timestamp() == 1000, m.name().c_str());
    }
    const pb::Payload::Metric *bdSeq = byName(birth, "bdSeq");
    QVERIFY(bdSeq);
    QCOMPARE(bdSeq->datatype(), quint32(pb::Int64));
    QCOMPARE(bdSeq->long_value(), quint64(42));
    const pb::Payload::Metric *rebirth = byName(birth, "Node Control/Rebirth");
    QVERIFY(rebirth);
    QCOMPARE(rebirth->datatype(), quint32(pb::Boolean));
    QVERIFY(!rebirth->boolean_value());
    QCOMPARE(byName(birth, "Properties/Site")->string_value(), std::string("Plant-1"));
    for (const char *name : {"Properties/Name", "Properties/Model", "Properties/Firmware"}) {
        QVERIFY(byName(birth, name));
        QCOMPARE(byName(birth, name)->datatype(), quint32(pb::String));
    }
    QCOMPARE(byName(birth, "temperature")->datatype(), quint32(pb::Float));
    QCOMPARE(byName(birth, "cpu_load")->datatype(), quint32(pb::Double));
    QCOMPARE(byName(birth, "uptime_s")->datatype(), quint32(pb::Int64));
    QCOMPARE(byName(birth, "rssi")->datatype(), quint32(pb::Int32));
    QCOMPARE(byName(birth, "report_interval_ms")->datatype(), quint32(pb::UInt32));
    // Read-only metrics say so (the host offers writes for the others only).
    QCOMPARE(byName(birth, "temperature")->properties().keys(0), std::string("readOnly"));
    QVERIFY(!byName(birth, "report_interval_ms")->has_properties());
}

void TestSimSparkplugNodeParts::deviceBirthAndAliasOnlyData()
{
    SparkplugDeviceModel device(0, 0, 7);
    QCOMPARE(device.id(), u"boiler-01"_s);
    pb::Payload birth;
    device.metrics().appendBirth(birth, 5);
    const QHash<std::string, quint32> types{{"Process/Temperature", pb::Float},   {"Process/Pressure", pb::Double},
                                             {"parts_count", pb::UInt32}, {"runtime_s", pb::Int64},
                                             {"alarm_code", pb::Int32},   {"running", pb::Boolean},
                                             {"mode", pb::String},        {"setpoint", pb::Float}};
    for (auto it = types.cbegin(); it != types.cend(); ++it) {
        QVERIFY2(byName(birth, it.key()), it.key().c_str());
        QCOMPARE(byName(birth, it.key())->datatype(), it.value());
    }
    QVERIFY(!byName(birth, "setpoint")->has_properties());  // the writable one

    pb::Payload quiet;
    QVERIFY(!device.metrics().appendChanged(quiet, 6));  // nothing changed since the BIRTH
    for (int i = 0; i < 5; ++i)
        device.step(1000);
    pb::Payload data;
    QVERIFY(device.metrics().appendChanged(data, 7));
    for (const pb::Payload::Metric &m : data.metrics()) {
        QVERIFY(!m.has_name());  // alias only, like real gateways
        QVERIFY(m.has_alias());
        QVERIFY(!m.has_datatype());
        QCOMPARE(m.timestamp(), quint64(7));
    }
}

void TestSimSparkplugNodeParts::aliasesAreUniqueWithinANode()
{
    QSet<quint64> aliases;
    int metrics = 0;
    SparkplugNodeModel node(3, u"G"_s, 1000, 1);
    for (const SparkplugMetricSet::Metric &m : node.metrics().metrics()) {
        aliases.insert(m.alias);
        ++metrics;
    }
    for (int d = 0; d < 100; ++d) {
        SparkplugDeviceModel device(3, d, 1);
        for (const SparkplugMetricSet::Metric &m : device.metrics().metrics()) {
            aliases.insert(m.alias);
            ++metrics;
        }
    }
    QCOMPARE(aliases.size(), metrics);
}

void TestSimSparkplugNodeParts::modelsAreDeterministic()
{
    SparkplugDeviceModel a(1, 2, 99);
    SparkplugDeviceModel b(1, 2, 99);
    for (int i = 0; i < 50; ++i) {
        a.step(500);
        b.step(500);
    }
    QCOMPARE(a.metrics().valuesJson(), b.metrics().valuesJson());
    const double setpoint = a.metrics().valuesJson().value(u"setpoint"_s).toDouble();
    const double temperature = a.metrics().valuesJson().value(u"Process/Temperature"_s).toDouble();
    QVERIFY2(std::abs(temperature - setpoint) < 20 || temperature < 40, "drifts slowly around its setpoint");
}

void TestSimSparkplugNodeParts::appliesRebirthAndWrites()
{
    SparkplugNodeModel node(0, u"G"_s, 1000, 1);
    std::vector<SparkplugDeviceModel> devices;
    devices.emplace_back(0, 0, 1);
    devices.emplace_back(0, 1, 1);

    // Rebirth by name (SparkplugCommandBuilder's form) and by alias.
    SparkplugCommandApplier::Outcome out = SparkplugCommandApplier::apply(QString(), command([](pb::Payload &p) {
        auto *m = p.add_metrics();
        m->set_name("Node Control/Rebirth");
        m->set_datatype(pb::Boolean);
        m->set_boolean_value(true);
    }), node, devices);
    QVERIFY(out.rebirth);
    QCOMPARE(out.refused, 0);
    out = SparkplugCommandApplier::apply(QString(), command([](pb::Payload &p) {
        auto *m = p.add_metrics();
        m->set_alias(2);
        m->set_boolean_value(true);
    }), node, devices);
    QVERIFY(out.rebirth);

    // DCMD: the setpoint by name + alias with its datatype; echoed by the next DATA.
    out = SparkplugCommandApplier::apply(u"compressor-02"_s, command([](pb::Payload &p) {
        auto *m = p.add_metrics();
        m->set_name("setpoint");
        m->set_alias(209);
        m->set_datatype(pb::Float);
        m->set_float_value(51.5f);
    }), node, devices);
    QCOMPARE(out.writes, 1);
    QCOMPARE(out.written, &devices[1].metrics());
    pb::Payload echo;
    QVERIFY(out.written->appendChanged(echo, 1));
    QCOMPARE(echo.metrics_size(), 1);
    QCOMPARE(echo.metrics(0).alias(), quint64(209));
    QCOMPARE(echo.metrics(0).float_value(), 51.5f);

    // NCMD by alias only: report_interval_ms, kept within its range.
    out = SparkplugCommandApplier::apply(QString(), command([](pb::Payload &p) {
        auto *m = p.add_metrics();
        m->set_alias(11);
        m->set_datatype(pb::UInt32);
        m->set_int_value(5);
    }), node, devices);
    QCOMPARE(out.writes, 1);
    QVERIFY(out.intervalChanged);
    QCOMPARE(node.reportIntervalMs(), SparkplugNodeModel::kMinReportIntervalMs);
}

void TestSimSparkplugNodeParts::refusesBadCommands()
{
    SparkplugNodeModel node(0, u"G"_s, 1000, 1);
    std::vector<SparkplugDeviceModel> devices;
    devices.emplace_back(0, 0, 1);
    auto refusedWith = [&](const QString &device, const QByteArray &payload, const QString &note) {
        const SparkplugCommandApplier::Outcome out = SparkplugCommandApplier::apply(device, payload, node, devices);
        if (out.writes != 0 || out.rebirth || out.refused != 1 || out.notes.size() != 1 || !out.notes.first().contains(note)) {
            qWarning() << out.writes << out.rebirth << out.refused << out.notes;
            return false;
        }
        return true;
    };
    QVERIFY(refusedWith(QString(), QByteArray("\xff\xff\xff", 3), u"unreadable NCMD"_s));
    QVERIFY(refusedWith(u"nope-09"_s, command([](pb::Payload &p) { p.add_metrics()->set_alias(102); }),
                        u"unknown device nope-09"_s));
    QVERIFY(refusedWith(u"boiler-01"_s, command([](pb::Payload &p) {
        auto *m = p.add_metrics();
        m->set_alias(102);  // temperature: read-only
        m->set_float_value(1);
    }), u"Process/Temperature refused: read-only"_s));
    QVERIFY(refusedWith(u"boiler-01"_s, command([](pb::Payload &p) {
        auto *m = p.add_metrics();
        m->set_name("setpoint");
        m->set_datatype(pb::Double);  // declared Float
        m->set_double_value(1);
    }), u"setpoint refused: value of another datatype"_s));
    QVERIFY(refusedWith(u"boiler-01"_s, command([](pb::Payload &p) {
        auto *m = p.add_metrics();
        m->set_name("setpoint");
        m->set_string_value("hot");
    }), u"setpoint refused: value of another datatype"_s));
    QVERIFY(refusedWith(QString(), command([](pb::Payload &p) { p.add_metrics()->set_name("no such"); }),
                        u"unknown metric"_s));
    // A rebirth = false is no rebirth and no write.
    const SparkplugCommandApplier::Outcome out = SparkplugCommandApplier::apply(QString(), command([](pb::Payload &p) {
        auto *m = p.add_metrics();
        m->set_name("Node Control/Rebirth");
        m->set_boolean_value(false);
    }), node, devices);
    QVERIFY(!out.rebirth);
    QCOMPARE(out.writes, 0);
}

void TestSimSparkplugNodeParts::deathCarriesBdSeq()
{
    pb::Payload death;
    const QByteArray bytes = SparkplugPayloads::death(255, 1234);
    QVERIFY(death.ParseFromArray(bytes.constData(), int(bytes.size())));
    QVERIFY(!death.has_seq());
    QCOMPARE(death.timestamp(), quint64(1234));
    QCOMPARE(death.metrics_size(), 1);
    QCOMPARE(death.metrics(0).name(), std::string("bdSeq"));
    QCOMPARE(death.metrics(0).datatype(), quint32(pb::Int64));
    QCOMPARE(death.metrics(0).long_value(), quint64(255));
}

void TestSimSparkplugNodeParts::hostWatchFollowsTimestamps()
{
    using Change = SparkplugHostWatch::Change;
    SparkplugHostWatch watch(u"scada"_s);
    QVERIFY(watch.enabled());
    QCOMPARE(watch.apply(R"({"online":true,"timestamp":100})"), Change::Online);
    QCOMPARE(watch.apply(R"({"online":true,"timestamp":150})"), Change::None);
    QCOMPARE(watch.apply(R"({"online":false,"timestamp":120})"), Change::None);  // an older session's Will
    QVERIFY(watch.isOnline());
    QCOMPARE(watch.apply(R"({"online":false,"timestamp":150})"), Change::Offline);
    QCOMPARE(watch.apply(R"({"online":true})"), Change::Unreadable);
    QCOMPARE(watch.apply("ONLINE"), Change::Unreadable);
    QCOMPARE(watch.apply(R"({"online":true,"timestamp":200})"), Change::Online);
    QVERIFY(!SparkplugHostWatch().enabled());
}

QTEST_GUILESS_MAIN(TestSimSparkplugNodeParts)
#include "test_sim_sparkplug_node_parts.moc"
