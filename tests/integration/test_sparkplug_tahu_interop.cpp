// Interoperability (issue 12, docs/protocol.md "Interoperability"): FleetDeck's Sparkplug B
// host application against an independent edge node, Eclipse Tahu's JavaScript client
// (npm sparkplug-client, pinned in tests/interop/package-lock.json; run.sh test installs it),
// end to end:
//
//   tests/interop/tahu_edge_node.js (node, 2 devices) -> mosquitto -> fleetdeckctl record --db
//                                                                   -> fleetdeckctl devices --json
//
//   1. The Tahu node runs before the recorder: the host sees DATA without a BIRTH, asks for
//      a rebirth (NCMD Node Control/Rebirth), Tahu rebirths; the node and its devices are
//      listed with their paths, ids, names and every metric by name with its value and type.
//   2. Writes from the host (SparkplugCommandBuilder, with the definitions the host's decoder
//      took from Tahu's BIRTHs): NCMD / DCMD of each writable datatype reach Tahu, which
//      applies them and reports them back; read-only metrics are refused by the host.
//   3. A clean stop (NDEATH with its bdSeq): node and devices offline, STALE, deaths counted.
//   4. A restart with a new bdSeq: online again, current, births counted.
//   5. A DDEATH of one device: that device alone offline and STALE.
//   6. An abrupt end: the broker publishes Tahu's Will (NDEATH) and the host applies it.
//   7. The recorder stops on SIGTERM: everything offline in the cache.
#include "tests/support/path_handle_sink.h"
#include "core/broker/mosquitto_launcher.h"
#include "core/protocol/decode_sink.h"
#include "core/protocol/sparkplug/sparkplug_command_builder.h"
#include "core/protocol/sparkplug/sparkplug_decoder.h"
#include "core/transport/mqtt_client.h"
#include "tests/support/broker_fixture.h"
#include "tests/support/raw_db.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {

const QString kBinDir = QStringLiteral(FLEETDECK_BIN_DIR);
const QString kInteropDir = QStringLiteral(FLEETDECK_SOURCE_DIR "/tests/interop");
const QString kGroup = u"Plant-A"_s;
const QString kNode = u"tahu-gw"_s;
const QString kNodePath = kGroup + u'/' + kNode;

QString bin(const char *name)
{
    return kBinDir + u'/' + QLatin1StringView(name);
}

QString compact(const QJsonValue &v)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
}

QString nodeExecutable()
{
    for (const char *name : {"node", "nodejs"}) {
        const QString found = QStandardPaths::findExecutable(QLatin1StringView(name));
        if (!found.isEmpty())
            return found;
    }
    return {};
}

// One Tahu edge node (tests/interop/tahu_edge_node.js) and the event lines it prints.
class TahuNode
{
public:
    TahuNode(const QString &node, const QString &brokerUrl, const QStringList &extra)
    {
        m_process.setWorkingDirectory(kInteropDir);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start(nodeExecutable(), QStringList{QDir(kInteropDir).filePath(u"tahu_edge_node.js"_s), u"--broker"_s,
                                                      brokerUrl, u"--group"_s, kGroup, u"--node"_s, node,
                                                      u"--devices"_s, u"2"_s, u"--interval-ms"_s, u"300"_s}
                                              + extra);
    }
    ~TahuNode()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    QProcess &process() { return m_process; }

    // Waits for the count-th line (1: the first) that starts with prefix, since the start.
    bool waitForLine(const QString &prefix, int count = 1, int timeoutMs = 15000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (true) {
            read();
            if (linesStartingWith(prefix).size() >= count)
                return true;
            if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
                break;
            m_process.waitForReadyRead(100);
        }
        read();
        if (linesStartingWith(prefix).size() >= count)
            return true;
        qWarning().noquote() << "waited for" << count << "line(s)" << prefix << "from the Tahu node; it printed:\n"
                             << m_lines.join(u'\n') << "\nstderr:" << QString::fromUtf8(m_stderr);
        return false;
    }
    QStringList linesStartingWith(const QString &prefix) const
    {
        QStringList out;
        for (const QString &l : m_lines) {
            if (l.startsWith(prefix))
                out.append(l);
        }
        return out;
    }
    void command(const QByteArray &line) { m_process.write(line + '\n'); }
    QString stderrText() const { return QString::fromUtf8(m_stderr); }

private:
    void read()
    {
        m_stdout += m_process.readAllStandardOutput();
        m_stderr += m_process.readAllStandardError();
        qsizetype nl;
        while ((nl = m_stdout.indexOf('\n')) >= 0) {
            m_lines.append(QString::fromUtf8(m_stdout.left(nl)));
            m_stdout.remove(0, nl + 1);
        }
    }

    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
    QStringList m_lines;
};

// The host's decoder (the one fleetdeckctl record runs) beside the recorder, on its own
// connection: what it made of Tahu's BIRTHs (the metric definitions an operator's write
// uses) and anything it rejected. Its rebirth requests are not sent (the recorder sends its
// own); the probe publishes the host's writes.
class HostProbe final : public QObject, private test::PathHandleSink
{
public:
    explicit HostProbe(const ConnectionProfile &profile)
        : m_decoder(SparkplugDecoder::Options{u"interop-probe"_s})
    {
        connect(&m_client, &MqttClient::messagesReceived, this, [this](const MqttMessageBatch &batch) {
            for (const MqttMessage &m : batch)
                m_decoder.decode(m, *this);
        });
        m_client.subscribe(u"spBv1.0/"_s + kGroup + u"/#"_s, 1);
        ConnectionProfile p = profile;
        p.sparkplug = false;
        m_client.connectToBroker(p);
    }
    ~HostProbe() override { m_client.disconnectFromBroker(); }

    bool waitSubscribed()
    {
        QSignalSpy subscribed(&m_client, &MqttClient::subscribed);
        return subscribed.wait(10000);
    }
    MqttClient &client() { return m_client; }
    SparkplugSession session(const QString &path) const { return m_sessions.value(path); }
    const QStringList &rejects() const { return m_rejects; }

private:
    void status(int, const DeviceStatus &) override {}
    void death(int, qint64) override {}
    void session(int handle, const SparkplugSession &s) override { m_sessions.insert(m_paths.at(handle), s); }
    void metrics(int, TelemetrySample &&) override {}
    void reject(int handle, RejectReason reason, const QString &detail) override
    {
        m_rejects.append((handle >= 0 ? m_paths.at(handle) : u"(source)"_s) + u": "_s + rejectReasonKey(reason)
                         + u": "_s + detail);
    }
    void commandResponse(QByteArrayView, const QByteArray &) override {}
    void sendToDevice(QByteArrayView, const QString &, const QString &, const QByteArray &, const QString &) override {}

    MqttClient m_client;
    SparkplugDecoder m_decoder;
    QHash<QString, SparkplugSession> m_sessions;
    QStringList m_rejects;
};

QJsonObject byPath(const QJsonArray &devices, const QStringList &path)
{
    for (const QJsonValue &v : devices) {
        if (v.toObject().value(u"path").toArray() == QJsonArray::fromStringList(path))
            return v.toObject();
    }
    return {};
}

// An integer, a floating-point number, a bool or a string in the JSON, as the recorder typed it.
enum class Json { Integer, Real, Bool, String };

struct Expected
{
    const char *name;
    Json type;
    QJsonValue value;
    int storedType;  // MetricType in the cache: 0 Double, 1 Int64, 2 Bool, 3 String
};

} // namespace

class TestSparkplugTahuInterop : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void rebirthOfANodeThatRanBeforeTheHost();
    void hostWritesReachTheTahuNode();
    void cleanStopSendsNDeath();
    void restartWithANewBdSeq();
    void deviceDeath();
    void abruptEndPublishesTheWill();
    void recorderStopsAndLeavesEverythingOffline();
    void cleanupTestCase();

private:
    QJsonArray devicesJson();
    // The last value of metric in the raw telemetry (fleetdeckctl history), as CSV text.
    QString lastRecorded(const QString &path, const QString &metric);
    QJsonObject entry(const QStringList &path) { return byPath(m_devices, path); }
    // Refreshes m_devices; true when the node and both devices satisfy check.
    bool everyEntry(const std::function<bool(const QJsonObject &)> &check);
    bool waitForRecorderOutput(const QByteArray &text, int timeoutMs);
    void checkMetrics(const QStringList &path, const QList<Expected> &expected);

    test::BrokerFixture m_broker;
    QTemporaryDir m_dir;
    QString m_db;
    std::unique_ptr<QProcess> m_recorder;
    QByteArray m_recorderLog;
    std::unique_ptr<TahuNode> m_tahu;
    std::unique_ptr<HostProbe> m_probe;
    QJsonArray m_devices;
    QHash<QString, double> m_rejectedAfterBirth;
};

void TestSparkplugTahuInterop::initTestCase()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QFAIL(qPrintable(MosquittoLauncher::installHint()));
    if (nodeExecutable().isEmpty())
        QSKIP("Node.js is not installed (no node or nodejs on PATH): the Tahu edge node cannot run. "
              "./run.sh test installs it (Debian packages nodejs and npm) and the npm packages of tests/interop.");
    if (!QFileInfo::exists(kInteropDir + u"/node_modules/sparkplug-client/package.json"_s))
        QFAIL(qPrintable(u"Eclipse Tahu's sparkplug-client is not installed in "_s + kInteropDir
                         + u": run `npm ci` there (./run.sh test does)"_s));
    QVERIFY(m_dir.isValid());
    m_db = m_dir.filePath(u"interop.sqlite"_s);
    QString error;
    QVERIFY2(m_broker.start(&error), qPrintable(error));
}

void TestSparkplugTahuInterop::cleanupTestCase()
{
    m_probe.reset();
    m_tahu.reset();
    if (m_recorder && m_recorder->state() != QProcess::NotRunning) {
        m_recorder->kill();
        m_recorder->waitForFinished(10000);
    }
    m_broker.stop();
}

QJsonArray TestSparkplugTahuInterop::devicesJson()
{
    QProcess ctl;
    ctl.start(bin("fleetdeckctl"), {u"devices"_s, u"--db"_s, m_db, u"--json"_s});
    if (!ctl.waitForFinished(20000) || ctl.exitCode() != 0) {
        qWarning() << "fleetdeckctl devices failed:" << ctl.readAllStandardError();
        return {};
    }
    return QJsonDocument::fromJson(ctl.readAllStandardOutput()).array();
}

QString TestSparkplugTahuInterop::lastRecorded(const QString &path, const QString &metric)
{
    QProcess ctl;
    ctl.start(bin("fleetdeckctl"), {u"history"_s, u"--db"_s, m_db, u"--device"_s, path, u"--metric"_s, metric, u"--csv"_s});
    if (!ctl.waitForFinished(20000) || ctl.exitCode() != 0)
        return u"(fleetdeckctl history failed: "_s + QString::fromUtf8(ctl.readAllStandardError()).trimmed() + u')';
    const QList<QByteArray> lines = ctl.readAllStandardOutput().trimmed().split('\n');
    if (lines.size() < 2)
        return u"(nothing)"_s;
    const QByteArray &last = lines.last();
    return QString::fromUtf8(last.mid(last.indexOf(',') + 1));  // time,value
}

bool TestSparkplugTahuInterop::everyEntry(const std::function<bool(const QJsonObject &)> &check)
{
    m_devices = devicesJson();
    for (const QStringList &path : {QStringList{kGroup, kNode}, QStringList{kGroup, kNode, u"dev-1"_s},
                                    QStringList{kGroup, kNode, u"dev-2"_s}}) {
        const QJsonObject o = entry(path);
        if (o.isEmpty() || !check(o))
            return false;
    }
    return true;
}

bool TestSparkplugTahuInterop::waitForRecorderOutput(const QByteArray &text, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        m_recorderLog += m_recorder->readAllStandardError();
        if (m_recorderLog.contains(text))
            return true;
        if (m_recorder->state() == QProcess::NotRunning)
            break;
        m_recorder->waitForReadyRead(100);
    }
    qWarning() << "waited for" << text << "in" << m_recorderLog;
    return false;
}

void TestSparkplugTahuInterop::checkMetrics(const QStringList &path, const QList<Expected> &expected)
{
    const QJsonObject metrics = entry(path).value(u"metrics").toObject();
    QStringList storedTypes;
    QStringList wantTypes;
    for (const Expected &e : expected) {
        const QString name = QString::fromUtf8(e.name);
        const QString where = path.join(u'/') + u' ' + name;
        QVERIFY2(metrics.contains(name), qPrintable(where + u" missing in "_s + compact(metrics)));
        const QJsonValue v = metrics.value(name);
        QVERIFY2(v == e.value, qPrintable(where + u": "_s + compact(v) + u", expected "_s + compact(e.value)));
        const QMetaType::Type t = QMetaType::Type(v.toVariant().metaType().id());
        switch (e.type) {
        case Json::Integer: QVERIFY2(t == QMetaType::LongLong, qPrintable(where + u" is not an integer"_s)); break;
        case Json::Real: QVERIFY2(t == QMetaType::Double, qPrintable(where + u" is not a real number"_s)); break;
        case Json::Bool: QVERIFY2(v.isBool(), qPrintable(where + u" is not a bool"_s)); break;
        case Json::String: QVERIFY2(v.isString(), qPrintable(where + u" is not a string"_s)); break;
        }
        wantTypes.append(name + u'=' + QString::number(e.storedType));
    }
    // The types the recorder stored (MetricType), straight from the cache.
    test::RawDb raw(m_db);
    QStringList quoted;
    for (const Expected &e : expected)
        quoted.append(u'\'' + QString::fromUtf8(e.name) + u'\'');
    storedTypes = raw.texts((u"SELECT metric || '=' || type FROM device_metrics WHERE path = '"_s + path.join(u'/')
                             + u"' AND metric IN ("_s + quoted.join(u',') + u") ORDER BY metric"_s)
                                .toUtf8());
    wantTypes.sort();
    QCOMPARE(storedTypes, wantTypes);
}

void TestSparkplugTahuInterop::rebirthOfANodeThatRanBeforeTheHost()
{
    // The Tahu node is up and reporting before FleetDeck connects: FleetDeck never saw its BIRTH.
    m_tahu = std::make_unique<TahuNode>(kNode, m_broker.url(), QStringList{});
    QVERIFY2(m_tahu->process().waitForStarted(10000), qPrintable(m_tahu->process().errorString()));
    QVERIFY(m_tahu->waitForLine(u"birth bdSeq=0 devices=2"_s));
    QVERIFY(m_tahu->waitForLine(u"data ticks="_s));

    m_probe = std::make_unique<HostProbe>(m_broker.profile());
    QVERIFY(m_probe->waitSubscribed());

    m_recorder = std::make_unique<QProcess>();
    m_recorder->setProcessChannelMode(QProcess::SeparateChannels);
    m_recorder->start(bin("fleetdeckctl"), {u"record"_s, u"--broker"_s, u"plant="_s + m_broker.url(), u"--db"_s, m_db,
                                            u"--qos"_s, u"1"_s, u"--sparkplug-host-id"_s, u"interop-host"_s});
    QVERIFY(waitForRecorderOutput("record: connected", 15000));

    // DATA without a BIRTH: the host asks for a rebirth, Tahu's client hands it over, the
    // node publishes NBIRTH and the DBIRTHs again.
    QVERIFY(m_tahu->waitForLine(u"rebirth-requested"_s));
    QVERIFY(m_tahu->waitForLine(u"birth bdSeq=0"_s, 2));
    QVERIFY(m_tahu->linesStartingWith(u"cmd-ignored"_s).isEmpty());

    QTRY_VERIFY2_WITH_TIMEOUT(everyEntry([](const QJsonObject &o) {
                                  return o.value(u"online").toBool()
                                         && o.value(u"sparkplug").toObject().value(u"births").toInt() >= 1
                                         && o.value(u"stale_since").isNull();
                              }),
                              qPrintable(compact(m_devices)), 20000);
    // A DDATA after the births, so every device has its values by alias too.
    QTRY_VERIFY2_WITH_TIMEOUT(everyEntry([](const QJsonObject &o) {
                                  return o.value(u"path").toArray().size() == 2
                                         || o.value(u"metrics").toObject().value(u"Sensor/Ticks").toInteger() >= 1;
                              }),
                              qPrintable(compact(m_devices)), 20000);
    QCOMPARE(m_devices.size(), 3);

    const QJsonObject node = entry({kGroup, kNode});
    QCOMPARE(node.value(u"id").toString(), kNode);
    QCOMPARE(node.value(u"name").toString(), kNode);  // no Properties/Name: named by its id
    QCOMPARE(node.value(u"site").toString(), kGroup);
    QCOMPARE(node.value(u"source").toString(), u"plant"_s);
    QCOMPARE(node.value(u"model").toString(), u"Eclipse Tahu JS edge node"_s);  // Properties/Model
    const QJsonObject sp = node.value(u"sparkplug").toObject();
    QCOMPARE(sp.value(u"bdseq").toInteger(), 0);  // sparkplug-client 3.2.x always uses 0
    QVERIFY(sp.value(u"births").toInteger() >= 1);
    QCOMPARE(sp.value(u"deaths").toInteger(), 0);
    QVERIFY2(sp.value(u"last_rebirth_cause").toString().contains(u"without a session of edge node tahu-gw"),
             qPrintable(compact(sp)));
    QVERIFY(!sp.value(u"last_rebirth").isNull());
    checkMetrics({kGroup, kNode}, {
        {"Node Config/Poll Interval", Json::Integer, 300, 1},
        {"Node Config/Label", Json::String, u"Tahu node tahu-gw"_s, 3},
        {"Properties/Model", Json::String, u"Eclipse Tahu JS edge node"_s, 3},
    });
    QVERIFY(node.value(u"metrics").toObject().value(u"Node Info/Uptime Ticks").toInteger() >= 1);
    // Session facts, commands and template definitions are not readings.
    for (const char *absent : {"bdSeq", "Node Control/Rebirth", "_types_/Motor", "_types_/Motor/RPM"})
        QVERIFY2(!node.value(u"metrics").toObject().contains(QLatin1StringView(absent)), absent);

    for (int i = 1; i <= 2; ++i) {
        const QString id = u"dev-"_s + QString::number(i);
        const QJsonObject dev = entry({kGroup, kNode, id});
        QCOMPARE(dev.value(u"id").toString(), id);
        QCOMPARE(dev.value(u"name").toString(), id);
        QCOMPARE(dev.value(u"sparkplug").toObject().value(u"bdseq").toInteger(), 0);
        QVERIFY(dev.value(u"sparkplug").toObject().value(u"births").toInteger() >= 1);
        checkMetrics({kGroup, kNode, id}, {
            {"Sensor/Level", Json::Integer, -42 - i, 1},                          // Int32
            {"Sensor/Offset", Json::Integer, -5, 1},                              // Int8
            {"Sensor/Total", Json::Integer, qint64(-1234567890123) - i, 1},       // Int64
            {"Sensor/Count", Json::Integer, qint64(4000000000) + i, 1},           // UInt32 (Tahu: long_value)
            {"Sensor/Temperature", Json::Real, 21.5 + i, 0},                      // Float
            {"Sensor/Pressure", Json::Real, 1013.25 + i, 0},                      // Double
            {"Status/Running", Json::Bool, true, 2},                              // Boolean
            {"Status/Mode", Json::String, u"auto"_s, 3},                          // String
            {"Status/Since", Json::Integer, qint64(1700000000000) + i, 1},        // DateTime
            {"Config/Budget", Json::Integer, qint64(5000000000), 1},              // Int64
            {"Config/Cycles", Json::Integer, 7, 1},                               // UInt32
            {"Config/Setpoint", Json::Real, 20.5, 0},
            {"Config/Gain", Json::Real, 1.5, 0},
            {"Config/Enabled", Json::Bool, false, 2},
            {"Config/Name", Json::String, QString(u"device "_s + QString::number(i)), 3},
            {"Recipe", Json::String, u"DataSet 3 columns x 3 rows"_s, 3},         // DataSet
            {"Firmware Blob", Json::String, u"Bytes (3): 01 02 ab"_s, 3},         // Bytes
            {"Motor 1/RPM", Json::Integer, 1500 + i, 1},                          // Template instance members
            {"Motor 1/Amps", Json::Real, 3.25, 0},
        });
    }

    // Tahu's messages after its BIRTH were all understood: the rejects are those of the DATA
    // before it (no_session), and no new ones come (checked again in the later steps).
    for (const QJsonValue &v : std::as_const(m_devices))
        m_rejectedAfterBirth.insert(v.toObject().value(u"path").toVariant().toStringList().join(u'/'),
                                    v.toObject().value(u"rejected").toDouble());
    for (const QString &r : m_probe->rejects())
        QVERIFY2(r.contains(u"no_session"), qPrintable(r));
}

void TestSparkplugTahuInterop::hostWritesReachTheTahuNode()
{
    QVERIFY(m_tahu && m_probe);
    const QString device = kNodePath + u"/dev-1"_s;
    const SparkplugSession deviceSession = m_probe->session(device);
    const SparkplugSession nodeSession = m_probe->session(kNodePath);
    QVERIFY2(deviceSession.metrics && nodeSession.metrics, "the host decoder saw no BIRTH of Tahu's node");

    // Read-only on Tahu's side (BIRTH property readOnly = true): the host does not write it.
    const SparkplugMetricDefinition *level = deviceSession.definition(u"Sensor/Level"_s);
    QVERIFY(level);
    QVERIFY(!level->writable);
    QString error;
    QVERIFY(!SparkplugCommandBuilder::write(device, u"Sensor/Level"_s, *level, u"1"_s, 0, &error));
    QVERIFY2(error.contains(u"read-only"), qPrintable(error));

    struct Write
    {
        QString path;
        const char *metric;
        const char *typed;    // what the operator types
        const char *printed;   // what Tahu reports it applied
        const char *recorded;  // what the host then records from Tahu's DATA (history CSV)
    };
    const QList<Write> writes = {
        {device, "Config/Limit", "-7", "type=Int32 value=-7", "-7"},
        {device, "Config/Budget", "-6000000000", "type=Int64 value=-6000000000", "-6000000000"},
        // FleetDeck writes this UInt32 in long_value, where Tahu's BIRTH carried it (Tahu
        // reads a UInt32 nowhere else); in int_value, as the specification says, Tahu got null.
        {device, "Config/Cycles", "3000000000", "type=UInt32 value=3000000000", "3000000000"},
        {device, "Config/Gain", "2.5", "type=Float value=2.5", "2.5"},
        {device, "Config/Setpoint", "42.75", "type=Double value=42.75", "42.75"},
        {device, "Config/Enabled", "true", "type=Boolean value=true", "true"},
        {device, "Config/Name", "written by FleetDeck", "type=String value=\"written by FleetDeck\"",
         "written by FleetDeck"},
        {kNodePath, "Node Config/Label", "relabelled", "type=String value=\"relabelled\"", "relabelled"},
        {kNodePath, "Node Config/Poll Interval", "250", "type=Int32 value=250", "250"},
    };
    for (const Write &w : writes) {
        const QString metric = QString::fromUtf8(w.metric);
        const SparkplugSession &s = w.path == kNodePath ? nodeSession : deviceSession;
        const SparkplugMetricDefinition *def = s.definition(metric);
        QVERIFY2(def, w.metric);
        QVERIFY2(def->writable, w.metric);
        QVERIFY2(def->hasAlias, w.metric);
        const auto command = SparkplugCommandBuilder::write(w.path, metric, *def, QString::fromUtf8(w.typed),
                                                            QDateTime::currentMSecsSinceEpoch(), &error);
        QVERIFY2(command, qPrintable(error));
        QVERIFY(m_probe->client().publish(command->topic, command->payload, 0));
        const QString line = (w.path == kNodePath ? u"ncmd"_s : u"dcmd device=dev-1"_s) + u" name="_s + metric + u' '
                             + QString::fromUtf8(w.printed);
        QVERIFY2(m_tahu->waitForLine(line), qPrintable(line));
    }
    QVERIFY2(m_tahu->linesStartingWith(u"cmd-ignored"_s).isEmpty(),
             qPrintable(m_tahu->linesStartingWith(u"cmd-ignored"_s).join(u"; ")));

    // Tahu published what it applied (by alias); the recorder has the new values.
    // The inventory row of a device whose identity did not change is written at most every
    // 30 s (DeviceStateCoalescer); its telemetry with every commit (about 1 s): read that.
    QStringList pending;
    const auto recorded = [&] {
        pending.clear();
        for (const Write &w : writes) {
            const QString last = lastRecorded(w.path, QString::fromUtf8(w.metric));
            if (last != QString::fromUtf8(w.recorded))
                pending.append(w.path + u' ' + QString::fromUtf8(w.metric) + u": last recorded "_s + last);
        }
        return pending.isEmpty();
    };
    QTRY_VERIFY2_WITH_TIMEOUT(recorded(), qPrintable(pending.join(u"; ")), 15000);
}

void TestSparkplugTahuInterop::cleanStopSendsNDeath()
{
    QVERIFY(m_tahu);
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    m_tahu->command("stop");
    QVERIFY(m_tahu->waitForLine(u"stopped bdSeq=0"_s));
    QVERIFY(m_tahu->process().waitForFinished(10000));
    QCOMPARE(m_tahu->process().exitCode(), 0);

    QTRY_VERIFY2_WITH_TIMEOUT(everyEntry([](const QJsonObject &o) {
                                  return !o.value(u"online").toBool() && !o.value(u"stale_since").isNull()
                                         && o.value(u"sparkplug").toObject().value(u"deaths").toInt() == 1;
                              }),
                              qPrintable(compact(m_devices)), 15000);
    for (const QJsonValue &v : std::as_const(m_devices)) {
        const QJsonObject o = v.toObject();
        // STALE from the NDEATH's arrival.
        const QDateTime stale = QDateTime::fromString(o.value(u"stale_since").toString(), Qt::ISODateWithMs);
        QVERIFY2(stale.isValid() && stale.toMSecsSinceEpoch() >= before - 1000
                     && stale <= QDateTime::currentDateTimeUtc(),
                 qPrintable(compact(o)));
        QCOMPARE(o.value(u"sparkplug").toObject().value(u"bdseq").toInteger(), 0);
        QVERIFY(!o.value(u"sparkplug").toObject().value(u"last_death").isNull());
        // The values are the last known ones, kept.
        QVERIFY(!o.value(u"metrics").toObject().isEmpty());
    }
    m_tahu.reset();
}

void TestSparkplugTahuInterop::restartWithANewBdSeq()
{
    // A new process: Tahu's client would say bdSeq 0 again; the application gives it 1 (the
    // NBIRTH, the Will and the NDEATH carry it).
    m_tahu = std::make_unique<TahuNode>(kNode, m_broker.url(), QStringList{u"--bdseq"_s, u"1"_s});
    QVERIFY2(m_tahu->process().waitForStarted(10000), qPrintable(m_tahu->process().errorString()));
    QVERIFY(m_tahu->waitForLine(u"birth bdSeq=1 devices=2"_s));

    QTRY_VERIFY2_WITH_TIMEOUT(everyEntry([](const QJsonObject &o) {
                                  const QJsonObject sp = o.value(u"sparkplug").toObject();
                                  return o.value(u"online").toBool() && o.value(u"stale_since").isNull()
                                         && sp.value(u"bdseq").toInt() == 1 && sp.value(u"births").toInt() >= 2;
                              }),
                              qPrintable(compact(m_devices)), 15000);
    for (const QJsonValue &v : std::as_const(m_devices))
        QCOMPARE(v.toObject().value(u"sparkplug").toObject().value(u"deaths").toInt(), 1);
    // The new session's values (the write of the last session is gone with the old process).
    QTRY_VERIFY_WITH_TIMEOUT(everyEntry([](const QJsonObject &o) {
                                 return o.value(u"path").toArray().size() == 2
                                        || o.value(u"metrics").toObject().value(u"Config/Limit").toInt() == 100;
                             }),
                             15000);
    // No rebirth was needed: the host knew the node from its NBIRTH.
    QCOMPARE(m_tahu->linesStartingWith(u"rebirth-requested"_s).size(), 0);
}

void TestSparkplugTahuInterop::deviceDeath()
{
    QVERIFY(m_tahu);
    m_tahu->command("ddeath dev-2");
    QVERIFY(m_tahu->waitForLine(u"ddeath device=dev-2"_s));
    QTRY_VERIFY2_WITH_TIMEOUT(everyEntry([](const QJsonObject &o) {
                                  const bool dev2 = o.value(u"id").toString() == u"dev-2";
                                  const int deaths = o.value(u"sparkplug").toObject().value(u"deaths").toInt();
                                  return dev2 ? !o.value(u"online").toBool() && !o.value(u"stale_since").isNull() && deaths == 2
                                              : o.value(u"online").toBool() && o.value(u"stale_since").isNull() && deaths == 1;
                              }),
                              qPrintable(compact(m_devices)), 15000);
}

void TestSparkplugTahuInterop::abruptEndPublishesTheWill()
{
    QVERIFY(m_tahu);
    m_tahu->command("crash");  // SIGKILL: no NDEATH, no DISCONNECT; the broker sends the Will
    QVERIFY(m_tahu->process().waitForFinished(10000));
    QCOMPARE(m_tahu->process().exitStatus(), QProcess::CrashExit);

    QTRY_VERIFY2_WITH_TIMEOUT(everyEntry([](const QJsonObject &o) {
                                  const QJsonObject sp = o.value(u"sparkplug").toObject();
                                  return !o.value(u"online").toBool() && !o.value(u"stale_since").isNull()
                                         && sp.value(u"deaths").toInt() == 2 && sp.value(u"bdseq").toInt() == 1;
                              }),
                              qPrintable(compact(m_devices)), 15000);
    m_tahu.reset();

    // Nothing Tahu sent after its first BIRTH was rejected.
    for (const QJsonValue &v : std::as_const(m_devices)) {
        const QString path = v.toObject().value(u"path").toVariant().toStringList().join(u'/');
        QCOMPARE(v.toObject().value(u"rejected").toDouble(), m_rejectedAfterBirth.value(path, -1));
    }
    for (const QString &r : m_probe->rejects())
        QVERIFY2(r.contains(u"no_session"), qPrintable(r));
}

void TestSparkplugTahuInterop::recorderStopsAndLeavesEverythingOffline()
{
    QVERIFY(m_recorder);
    ::kill(pid_t(m_recorder->processId()), SIGTERM);
    QVERIFY(m_recorder->waitForFinished(20000));
    QCOMPARE(m_recorder->exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_recorder->exitCode(), 0);
    QVERIFY(everyEntry([](const QJsonObject &o) { return !o.value(u"online").toBool() && !o.value(u"stale_since").isNull(); }));
}

QTEST_GUILESS_MAIN(TestSparkplugTahuInterop)
#include "test_sparkplug_tahu_interop.moc"
