// fleetdeck-sim's Sparkplug B edge nodes against a real mosquitto: what a host application
// sees on spBv1.0/# (decoded with the protobuf classes), its commands (built by FleetDeck's
// SparkplugCommandBuilder) and every --sparkplug-fault.
#include "core/protocol/sparkplug/sparkplug_command_builder.h"
#include "core/transport/mqtt_client.h"
#include "tests/support/broker_fixture.h"

#include "protocol/sparkplug/sparkplug_b.pb.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;
namespace pb = fleetdeck::sparkplug_b;

namespace {

struct Record
{
    QString type;    // NBIRTH, DBIRTH, NDATA, DDATA, NDEATH, ...
    QString node;
    QString device;  // DBIRTH/DDATA/DCMD
    pb::Payload payload;
    bool parsed = false;
};

// Everything under spBv1.0/, in arrival order.
struct Observer
{
    explicit Observer(MqttClient &client)
    {
        QObject::connect(&client, &MqttClient::messagesReceived, &client, [this](const MqttMessageBatch &batch) {
            for (const MqttMessage &m : batch) {
                const QStringList parts = QString::fromUtf8(m.topic).split(u'/');
                if (parts.size() < 4 || parts.at(1) == u"STATE")
                    continue;
                Record r;
                r.type = parts.at(2);
                r.node = parts.at(3);
                r.device = parts.value(4);
                r.parsed = r.payload.ParseFromArray(m.payload.constData(), int(m.payload.size()));
                records.append(r);
            }
        });
    }
    QList<Record> of(const QString &node, const QString &type = QString()) const
    {
        QList<Record> out;
        for (const Record &r : records) {
            if (r.node == node && (type.isEmpty() || r.type == type))
                out.append(r);
        }
        return out;
    }
    int count(const QString &node, const QString &type) const { return int(of(node, type).size()); }
    QList<Record> records;
};

std::optional<quint64> bdSeqOf(const Record &r)
{
    for (const pb::Payload::Metric &m : r.payload.metrics()) {
        if (m.name() == "bdSeq" && m.datatype() == pb::Int64)
            return m.long_value();
    }
    return std::nullopt;
}

bool isSeqMessage(const QString &type)
{
    return type == u"NBIRTH" || type == u"DBIRTH" || type == u"NDATA" || type == u"DDATA";
}

// The seq steps of a node's messages that are not +1 (mod 256); an NBIRTH restarts at 0.
QList<QPair<quint64, quint64>> seqJumps(const QList<Record> &records)
{
    QList<QPair<quint64, quint64>> jumps;
    std::optional<quint64> last;
    for (const Record &r : records) {
        if (!isSeqMessage(r.type))
            continue;
        const quint64 seq = r.payload.seq();
        if (r.type == u"NBIRTH") {
            if (seq != 0)
                jumps.append({last.value_or(999), seq});
        } else if (last && seq != (*last + 1) % 256) {
            jumps.append({*last, seq});
        }
        last = seq;
    }
    return jumps;
}

} // namespace

class TestSimulatorSparkplug : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void birthsAliasOnlyDataAndWillWhenKilled();
    void rebirthAndWritesFromTheHost();
    void cleanStopPublishesNdeathAndWritesTheManifest();
    void v1DevicesAndEdgeNodesShareABroker();
    void faultSeqGap();
    void faultStaleNdeath();
    void faultDataBeforeBirth();
    void faultAliasOnlyAfterHostRestart();
    void faultDieRebirth();

private:
    void startSim(QProcess &process, const QStringList &args);
    void sendRebirth(const QString &node);

    QString m_sim;
    std::unique_ptr<test::BrokerFixture> m_broker;
    std::unique_ptr<MqttClient> m_client;
    std::unique_ptr<Observer> m_seen;
    QTemporaryDir m_dir;
};

void TestSimulatorSparkplug::initTestCase()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    m_sim = QStringLiteral(FLEETDECK_BIN_DIR) + u"/fleetdeck-sim"_s;
    QVERIFY2(QFileInfo(m_sim).isExecutable(), "build fleetdeck-sim first");
}

void TestSimulatorSparkplug::init()
{
    m_broker = std::make_unique<test::BrokerFixture>();
    QString error;
    QVERIFY2(m_broker->start(&error), qPrintable(error));
    m_client = std::make_unique<MqttClient>();
    m_seen = std::make_unique<Observer>(*m_client);
    QSignalSpy subscribed(m_client.get(), &MqttClient::subscribed);
    m_client->subscribe(u"spBv1.0/#"_s, 1);
    m_client->connectToBroker(m_broker->profile(5));
    QVERIFY(subscribed.wait(10000));  // SUBACK before the simulator starts
}

void TestSimulatorSparkplug::cleanup()
{
    m_client.reset();
    m_seen.reset();
    m_broker.reset();
}

void TestSimulatorSparkplug::startSim(QProcess &process, const QStringList &args)
{
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(m_sim, QStringList{u"--broker"_s, m_broker->url()} + args);
    QVERIFY(process.waitForStarted(5000));
}

void TestSimulatorSparkplug::sendRebirth(const QString &node)
{
    QString error;
    const std::optional<SparkplugCommandMessage> cmd =
        SparkplugCommandBuilder::rebirth(u"Plant-1/"_s + node, QDateTime::currentMSecsSinceEpoch(), &error);
    QVERIFY2(cmd, qPrintable(error));
    QVERIFY(m_client->publish(cmd->topic, cmd->payload, 0));
}

void TestSimulatorSparkplug::birthsAliasOnlyDataAndWillWhenKilled()
{
    QProcess sim;
    startSim(sim, {u"--sparkplug-nodes"_s, u"2"_s, u"--sparkplug-devices"_s, u"3"_s, u"--sparkplug-interval-ms"_s, u"50"_s});
    QTRY_VERIFY_WITH_TIMEOUT(m_seen->count(u"gw-01"_s, u"NBIRTH"_s) == 1 && m_seen->count(u"gw-02"_s, u"NBIRTH"_s) == 1, 10000);
    // 256+ messages per node: seq wraps (50 ms, a DATA per node and device).
    QTRY_VERIFY_WITH_TIMEOUT(m_seen->of(u"gw-01"_s).size() > 300 && m_seen->of(u"gw-02"_s).size() > 300, 30000);
    QCOMPARE(m_seen->records.size(), qsizetype(std::count_if(m_seen->records.cbegin(), m_seen->records.cend(),
                                                                 [](const Record &r) { return r.parsed; })));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QHash<QString, quint64> bdSeqs;
    for (const QString &node : {u"gw-01"_s, u"gw-02"_s}) {
        const QList<Record> all = m_seen->of(node);
        const Record &nbirth = all.first();
        QCOMPARE(nbirth.type, u"NBIRTH"_s);
        QCOMPARE(nbirth.payload.seq(), quint64(0));
        QVERIFY(qAbs(qint64(nbirth.payload.timestamp()) - now) < 60000);  // ms since the epoch
        const std::optional<quint64> bdSeq = bdSeqOf(nbirth);
        QVERIFY(bdSeq);
        bdSeqs[node] = *bdSeq;
        QHash<quint64, quint32> declared;  // alias -> datatype, over NBIRTH and DBIRTHs
        QStringList names;
        for (int i = 0; i < 4; ++i) {
            const Record &birth = all.at(i);
            QCOMPARE(birth.type, i == 0 ? u"NBIRTH"_s : u"DBIRTH"_s);
            QCOMPARE(birth.payload.seq(), quint64(i));
            for (const pb::Payload::Metric &m : birth.payload.metrics()) {
                QVERIFY2(m.has_name() && m.has_alias() && m.has_datatype(), m.name().c_str());
                QVERIFY2(!declared.contains(m.alias()), "aliases are unique within the node");
                declared.insert(m.alias(), m.datatype());
                if (i == 0)
                    names << QString::fromStdString(m.name());
            }
        }
        for (const QString &name : {u"Node Control/Rebirth"_s, u"Properties/Name"_s, u"Properties/Model"_s,
                                    u"Properties/Firmware"_s, u"Properties/Site"_s})
            QVERIFY2(names.contains(name), qPrintable(name));
        QCOMPARE(QSet<QString>({all.at(1).device, all.at(2).device, all.at(3).device}).size(), 3);
        int data = 0;
        for (const Record &r : all.mid(4)) {
            QVERIFY2(r.type == u"NDATA" || r.type == u"DDATA", qPrintable(r.type));
            ++data;
            for (const pb::Payload::Metric &m : r.payload.metrics()) {
                QVERIFY(!m.has_name());  // alias only
                QVERIFY2(declared.contains(m.alias()), "an alias its BIRTH declared");
            }
        }
        QVERIFY(data > 250);
        QVERIFY2(seqJumps(all).isEmpty(), "seq +1 over NBIRTH, DBIRTH, NDATA, DDATA, wrapping 255 -> 0");
        bool wrapped = false;
        for (qsizetype i = 1; i < all.size(); ++i)
            wrapped = wrapped || (all.at(i - 1).payload.seq() == 255 && all.at(i).payload.seq() == 0);
        QVERIFY(wrapped);
    }

    sim.kill();  // SIGKILL: the broker publishes each node's Will
    QVERIFY(sim.waitForFinished(5000));
    QTRY_VERIFY_WITH_TIMEOUT(m_seen->count(u"gw-01"_s, u"NDEATH"_s) == 1 && m_seen->count(u"gw-02"_s, u"NDEATH"_s) == 1, 10000);
    for (const QString &node : {u"gw-01"_s, u"gw-02"_s}) {
        const Record death = m_seen->of(node, u"NDEATH"_s).first();
        QCOMPARE(bdSeqOf(death), std::optional<quint64>(bdSeqs.value(node)));
        QVERIFY(!death.payload.has_seq());
    }
}

void TestSimulatorSparkplug::rebirthAndWritesFromTheHost()
{
    QProcess sim;
    startSim(sim, {u"--sparkplug-nodes"_s, u"1"_s, u"--sparkplug-devices"_s, u"2"_s, u"--sparkplug-interval-ms"_s, u"200"_s});
    QTRY_COMPARE_WITH_TIMEOUT(m_seen->count(u"gw-01"_s, u"DBIRTH"_s), 2, 10000);
    const quint64 bdSeq = *bdSeqOf(m_seen->of(u"gw-01"_s, u"NBIRTH"_s).first());
    QTRY_VERIFY_WITH_TIMEOUT(m_seen->count(u"gw-01"_s, u"DDATA"_s) >= 4, 10000);

    sendRebirth(u"gw-01"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_seen->count(u"gw-01"_s, u"DBIRTH"_s), 4, 10000);
    const QList<Record> births = m_seen->of(u"gw-01"_s, u"NBIRTH"_s);
    QCOMPARE(births.size(), 2);
    QCOMPARE(births.last().payload.seq(), quint64(0));
    QCOMPARE(bdSeqOf(births.last()), std::optional<quint64>(bdSeq));  // same session
    QCOMPARE(m_seen->count(u"gw-01"_s, u"NDEATH"_s), 0);

    // The setpoint as the host writes it: the datatype and alias its DBIRTH declared.
    quint64 alias = 0;
    const Record dbirth = m_seen->of(u"gw-01"_s, u"DBIRTH"_s).last();
    QCOMPARE(dbirth.device, u"compressor-02"_s);
    for (const pb::Payload::Metric &m : dbirth.payload.metrics()) {
        if (m.name() == "setpoint") {
            QCOMPARE(m.datatype(), quint32(pb::Float));
            alias = m.alias();
        }
    }
    QVERIFY(alias > 0);
    SparkplugMetricDefinition def;
    def.alias = alias;
    def.hasAlias = true;
    def.datatype = pb::Float;
    def.writable = true;
    QString error;
    const std::optional<SparkplugCommandMessage> write = SparkplugCommandBuilder::write(
        u"Plant-1/gw-01/compressor-02"_s, u"setpoint"_s, def, u"42.5"_s, QDateTime::currentMSecsSinceEpoch(), &error);
    QVERIFY2(write, qPrintable(error));
    QCOMPARE(write->topic, u"spBv1.0/Plant-1/DCMD/gw-01/compressor-02"_s);
    QVERIFY(m_client->publish(write->topic, write->payload, 0));
    auto echoed = [&] {
        for (const Record &r : m_seen->of(u"gw-01"_s, u"DDATA"_s)) {
            for (const pb::Payload::Metric &m : r.payload.metrics()) {
                if (r.device == u"compressor-02" && m.alias() == alias && m.float_value() == 42.5f)
                    return true;
            }
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(echoed(), 5000);

    // A node metric by NCMD: the DATA period, echoed in NDATA.
    def.alias = 11;
    def.datatype = pb::UInt32;
    const std::optional<SparkplugCommandMessage> interval = SparkplugCommandBuilder::write(
        u"Plant-1/gw-01"_s, u"report_interval_ms"_s, def, u"500"_s, QDateTime::currentMSecsSinceEpoch(), &error);
    QVERIFY2(interval, qPrintable(error));
    QVERIFY(m_client->publish(interval->topic, interval->payload, 0));
    auto intervalEchoed = [&] {
        for (const Record &r : m_seen->of(u"gw-01"_s, u"NDATA"_s)) {
            for (const pb::Payload::Metric &m : r.payload.metrics()) {
                if (m.alias() == 11 && m.int_value() == 500)
                    return true;
            }
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(intervalEchoed(), 5000);
    QVERIFY(seqJumps(m_seen->of(u"gw-01"_s)).isEmpty());
}

void TestSimulatorSparkplug::cleanStopPublishesNdeathAndWritesTheManifest()
{
    const QString manifest = m_dir.filePath(u"sparkplug.json"_s);
    QProcess sim;
    startSim(sim, {u"--sparkplug-nodes"_s, u"2"_s, u"--sparkplug-devices"_s, u"4"_s, u"--sparkplug-group"_s,
                   u"Plant-Nord"_s, u"--manifest"_s, manifest});
    QTRY_VERIFY_WITH_TIMEOUT(m_seen->count(u"gw-02"_s, u"DBIRTH"_s) == 4 && m_seen->count(u"gw-01"_s, u"DBIRTH"_s) == 4, 10000);
    const quint64 bdSeq = *bdSeqOf(m_seen->of(u"gw-01"_s, u"NBIRTH"_s).first());
    sim.terminate();  // SIGTERM: an intentional disconnect publishes the NDEATH first
    QVERIFY(sim.waitForFinished(15000));
    QCOMPARE(sim.exitStatus(), QProcess::NormalExit);
    QCOMPARE(sim.exitCode(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(m_seen->count(u"gw-01"_s, u"NDEATH"_s) == 1 && m_seen->count(u"gw-02"_s, u"NDEATH"_s) == 1, 5000);
    QCOMPARE(bdSeqOf(m_seen->of(u"gw-01"_s, u"NDEATH"_s).first()), std::optional<quint64>(bdSeq));

    QFile file(manifest);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(root.value(u"devices"_s).toArray().size(), 0);  // no protocol v1 devices
    const QJsonObject sp = root.value(u"sparkplug"_s).toObject();
    QCOMPARE(sp.value(u"group"_s).toString(), u"Plant-Nord"_s);
    const QJsonArray nodes = sp.value(u"nodes"_s).toArray();
    QCOMPARE(nodes.size(), 2);
    const QJsonObject gw1 = nodes.at(0).toObject();
    QCOMPARE(gw1.value(u"path"_s).toString(), u"Plant-Nord/gw-01"_s);
    QCOMPARE(gw1.value(u"bd_seq"_s).toInteger(), qint64(bdSeq));
    QCOMPARE(gw1.value(u"births"_s).toInt(), 1);
    QCOMPARE(gw1.value(u"metrics"_s).toObject().value(u"Properties/Site"_s).toString(), u"Plant-Nord"_s);
    const QJsonArray devices = gw1.value(u"devices"_s).toArray();
    QCOMPARE(devices.size(), 4);
    QCOMPARE(devices.at(0).toObject().value(u"path"_s).toString(), u"Plant-Nord/gw-01/boiler-01"_s);
    QVERIFY(devices.at(0).toObject().value(u"metrics"_s).toObject().contains(u"setpoint"_s));
}

void TestSimulatorSparkplug::v1DevicesAndEdgeNodesShareABroker()
{
    int v1Status = 0;
    connect(m_client.get(), &MqttClient::messagesReceived, this, [&](const MqttMessageBatch &batch) {
        for (const MqttMessage &m : batch)
            v1Status += m.topic.startsWith("fleetdeck/v1/") && m.topic.endsWith("/status") ? 1 : 0;
    });
    m_client->subscribe(u"fleetdeck/v1/+/status"_s, 1);
    QSignalSpy subscribed(m_client.get(), &MqttClient::subscribed);
    QVERIFY(subscribed.wait(5000));
    QProcess sim;
    startSim(sim, {u"--devices"_s, u"3"_s, u"--sparkplug-nodes"_s, u"1"_s, u"--sparkplug-devices"_s, u"1"_s});
    QTRY_VERIFY_WITH_TIMEOUT(v1Status >= 3 && m_seen->count(u"gw-01"_s, u"DBIRTH"_s) == 1, 10000);
}

void TestSimulatorSparkplug::faultSeqGap()
{
    QProcess sim;
    startSim(sim, {u"--sparkplug-nodes"_s, u"2"_s, u"--sparkplug-devices"_s, u"1"_s, u"--sparkplug-interval-ms"_s, u"100"_s,
                   u"--sparkplug-fault"_s, u"seq_gap:node=1;start=1"_s});
    QTRY_VERIFY_WITH_TIMEOUT(m_seen->count(u"gw-01"_s, u"NDATA"_s) >= 20, 15000);  // 2 s
    const QList<QPair<quint64, quint64>> jumps = seqJumps(m_seen->of(u"gw-01"_s));
    QCOMPARE(jumps.size(), 1);
    QCOMPARE(jumps.first().second, (jumps.first().first + 2) % 256);  // exactly one number skipped
    QVERIFY(seqJumps(m_seen->of(u"gw-02"_s)).isEmpty());
    QCOMPARE(m_seen->count(u"gw-01"_s, u"NBIRTH"_s), 1);  // the node does not re-birth by itself
}

void TestSimulatorSparkplug::faultStaleNdeath()
{
    QProcess sim;
    startSim(sim, {u"--sparkplug-nodes"_s, u"1"_s, u"--sparkplug-devices"_s, u"1"_s, u"--sparkplug-interval-ms"_s, u"100"_s,
                   u"--sparkplug-fault"_s, u"stale_ndeath:node=1;start=0.5"_s});
    QTRY_COMPARE_WITH_TIMEOUT(m_seen->count(u"gw-01"_s, u"NDEATH"_s), 1, 10000);
    const quint64 bdSeq = *bdSeqOf(m_seen->of(u"gw-01"_s, u"NBIRTH"_s).first());
    const std::optional<quint64> stale = bdSeqOf(m_seen->of(u"gw-01"_s, u"NDEATH"_s).first());
    QVERIFY(stale);
    QCOMPARE(*stale, (bdSeq + 255) % 256);  // the previous session's
    // Alive all along: DATA goes on in the same session, no new BIRTH.
    const qsizetype before = m_seen->count(u"gw-01"_s, u"NDATA"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_seen->count(u"gw-01"_s, u"NDATA"_s) >= before + 5, 5000);
    QCOMPARE(m_seen->count(u"gw-01"_s, u"NBIRTH"_s), 1);
    QVERIFY(seqJumps(m_seen->of(u"gw-01"_s)).isEmpty());
}

void TestSimulatorSparkplug::faultDataBeforeBirth()
{
    QProcess sim;
    startSim(sim, {u"--sparkplug-nodes"_s, u"2"_s, u"--sparkplug-devices"_s, u"1"_s, u"--sparkplug-interval-ms"_s, u"100"_s,
                   u"--sparkplug-fault"_s, u"data_before_birth:node=2;duration=60"_s});
    QTRY_VERIFY_WITH_TIMEOUT(m_seen->count(u"gw-02"_s, u"NDATA"_s) >= 3, 10000);
    QCOMPARE(m_seen->count(u"gw-02"_s, u"NBIRTH"_s), 0);
    QCOMPARE(m_seen->of(u"gw-02"_s).first().type, u"NDATA"_s);
    QCOMPARE(m_seen->of(u"gw-01"_s).first().type, u"NBIRTH"_s);
    // What a host does about DATA before any BIRTH: ask for a rebirth.
    sendRebirth(u"gw-02"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_seen->count(u"gw-02"_s, u"NBIRTH"_s), 1, 5000);
    QCOMPARE(m_seen->of(u"gw-02"_s, u"NBIRTH"_s).first().payload.seq(), quint64(0));
    QTRY_COMPARE_WITH_TIMEOUT(m_seen->count(u"gw-02"_s, u"DBIRTH"_s), 1, 5000);
}

void TestSimulatorSparkplug::faultAliasOnlyAfterHostRestart()
{
    // This test is the primary host "scada": online before the nodes start.
    const QString state = u"spBv1.0/STATE/scada"_s;
    QVERIFY(m_client->publish(state, R"({"online":true,"timestamp":1000})", 1, true));
    QProcess sim;
    startSim(sim, {u"--sparkplug-nodes"_s, u"2"_s, u"--sparkplug-devices"_s, u"1"_s, u"--sparkplug-interval-ms"_s, u"100"_s,
                   u"--sparkplug-primary-host"_s, u"scada"_s, u"--sparkplug-fault"_s, u"alias_only:node=2"_s});
    QTRY_VERIFY_WITH_TIMEOUT(m_seen->count(u"gw-01"_s, u"NBIRTH"_s) == 1 && m_seen->count(u"gw-02"_s, u"NBIRTH"_s) == 1, 10000);
    const quint64 bdSeq1 = *bdSeqOf(m_seen->of(u"gw-01"_s, u"NBIRTH"_s).first());
    const quint64 bdSeq2 = *bdSeqOf(m_seen->of(u"gw-02"_s, u"NBIRTH"_s).first());

    // The host restarts: offline (its Will), then online with a newer timestamp.
    QVERIFY(m_client->publish(state, R"({"online":false,"timestamp":1000})", 1, true));
    QTRY_COMPARE_WITH_TIMEOUT(m_seen->count(u"gw-01"_s, u"NDEATH"_s), 1, 5000);  // a well-behaved node ends its session
    QCOMPARE(bdSeqOf(m_seen->of(u"gw-01"_s, u"NDEATH"_s).first()), std::optional<quint64>(bdSeq1));
    QVERIFY(m_client->publish(state, R"({"online":true,"timestamp":2000})", 1, true));
    QTRY_COMPARE_WITH_TIMEOUT(m_seen->count(u"gw-01"_s, u"NBIRTH"_s), 2, 10000);
    QCOMPARE(bdSeqOf(m_seen->of(u"gw-01"_s, u"NBIRTH"_s).last()), std::optional<quint64>((bdSeq1 + 1) % 256));

    // gw-02 keeps its session: no NDEATH, no BIRTH, alias-only DATA...
    const qsizetype before = m_seen->count(u"gw-02"_s, u"NDATA"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_seen->count(u"gw-02"_s, u"NDATA"_s) >= before + 10, 5000);
    QCOMPARE(m_seen->count(u"gw-02"_s, u"NDEATH"_s), 0);
    QCOMPARE(m_seen->count(u"gw-02"_s, u"NBIRTH"_s), 1);
    // ...until the host asks.
    sendRebirth(u"gw-02"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_seen->count(u"gw-02"_s, u"NBIRTH"_s), 2, 5000);
    QCOMPARE(bdSeqOf(m_seen->of(u"gw-02"_s, u"NBIRTH"_s).last()), std::optional<quint64>(bdSeq2));
    QVERIFY(m_client->publish(state, QByteArray(), 1, true));  // no retained STATE left behind
}

void TestSimulatorSparkplug::faultDieRebirth()
{
    QProcess sim;
    startSim(sim, {u"--sparkplug-nodes"_s, u"2"_s, u"--sparkplug-devices"_s, u"2"_s, u"--sparkplug-interval-ms"_s, u"200"_s,
                   u"--sparkplug-fault"_s, u"die_rebirth:node=1;start=1;down=1"_s});
    QTRY_COMPARE_WITH_TIMEOUT(m_seen->count(u"gw-01"_s, u"NBIRTH"_s), 1, 10000);
    const quint64 bdSeq = *bdSeqOf(m_seen->of(u"gw-01"_s, u"NBIRTH"_s).first());
    // The broker publishes the Will, then the node is back in a new session.
    QTRY_COMPARE_WITH_TIMEOUT(m_seen->count(u"gw-01"_s, u"NDEATH"_s), 1, 10000);
    QCOMPARE(bdSeqOf(m_seen->of(u"gw-01"_s, u"NDEATH"_s).first()), std::optional<quint64>(bdSeq));
    QTRY_VERIFY_WITH_TIMEOUT(m_seen->count(u"gw-01"_s, u"NBIRTH"_s) == 2 && m_seen->count(u"gw-01"_s, u"DBIRTH"_s) == 4, 15000);
    const QList<Record> all = m_seen->of(u"gw-01"_s);
    qsizetype death = 0;
    while (all.at(death).type != u"NDEATH")
        ++death;
    QCOMPARE(all.at(death + 1).type, u"NBIRTH"_s);  // nothing between the death and the new birth
    QCOMPARE(bdSeqOf(all.at(death + 1)), std::optional<quint64>((bdSeq + 1) % 256));
    QCOMPARE(all.at(death + 1).payload.seq(), quint64(0));
    QVERIFY(seqJumps(all).isEmpty());
    QCOMPARE(m_seen->count(u"gw-02"_s, u"NDEATH"_s), 0);  // only node 1
    QCOMPARE(m_seen->count(u"gw-02"_s, u"NBIRTH"_s), 1);
}

QTEST_GUILESS_MAIN(TestSimulatorSparkplug)
#include "test_simulator_sparkplug.moc"
