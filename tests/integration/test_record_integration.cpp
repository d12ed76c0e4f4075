// The whole headless path, as a user would run it:
//   mosquitto (private, free port) <- fleetdeck-sim (50 devices) -> fleetdeckctl record -> SQLite
// then `fleetdeckctl devices --json` must match exactly what the simulator says it published.
#include "core/broker/mosquitto_launcher.h"
#include "tests/support/raw_db.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {

const QString kBinDir = QStringLiteral(FLEETDECK_BIN_DIR);

QString bin(const char *name)
{
    return kBinDir + u'/' + QLatin1StringView(name);
}

QString compact(const QJsonValue &v)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
}

QJsonObject byId(const QJsonArray &devices, const QString &id);

// Empty when the recorded inventory is exactly what the simulator published; otherwise the
// first difference, for the failure message.
QString mismatch(const QJsonArray &recorded, const QJsonArray &published)
{
    if (recorded.size() != published.size())
        return QStringLiteral("recorded %1 devices, published %2").arg(recorded.size()).arg(published.size());
    for (const QJsonValue &v : published) {
        const QJsonObject want = v.toObject();
        const QString id = want.value(QLatin1StringView("id")).toString();
        const QJsonObject got = byId(recorded, id);
        if (got.isEmpty())
            return id + QStringLiteral(" missing");
        for (const char *key : {"name", "site", "model", "fw_version", "online", "metrics"}) {
            const QLatin1StringView k(key);
            if (got.value(k) != want.value(k)) {
                return QStringLiteral("%1.%2: recorded %3, published %4")
                    .arg(id, k, compact(got.value(k)), compact(want.value(k)));
            }
        }
        if (got.value(QLatin1StringView("rejected")).toInt() != 0)
            return id + QStringLiteral(" has rejected messages");
        if (!got.value(QLatin1StringView("last_seen")).toString().endsWith(u'Z'))
            return id + QStringLiteral(" last_seen is not ISO 8601 UTC");
        const QDateTime lastTelemetry =
            QDateTime::fromString(got.value(QLatin1StringView("last_telemetry")).toString(), Qt::ISODateWithMs);
        if (!lastTelemetry.isValid() || lastTelemetry.timeSpec() != Qt::UTC
            || lastTelemetry > QDateTime::currentDateTimeUtc())
            return id + QStringLiteral(" last_telemetry is not a past ISO 8601 UTC time: ")
                   + compact(got.value(QLatin1StringView("last_telemetry")));
    }
    return {};
}

QJsonObject byId(const QJsonArray &devices, const QString &id)
{
    for (const QJsonValue &v : devices) {
        if (v.toObject().value(QLatin1StringView("id")).toString() == id)
            return v.toObject();
    }
    return {};
}

} // namespace

class TestRecordIntegration : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void recordMatchesWhatTheSimulatorPublished();
    void rejectedMessagesAreCountedPerDevice();
    void recordReportsUnreachableBrokerAndStopsOnSignal();
    void recordExitsNonZeroWhenReceivedDataIsNotSaved();
    void plaintextPasswordNeedsTheFlag();
    void limitsFromTheCommandLine();
    void protocolV1AndSparkplugInOneRecording();
    void sparkplugFaultsOfTheSimulator();
    void deleteWhileRecording();
    void cleanupTestCase();

private:
    QJsonArray devicesJson(const QString &db);
    bool runSimulator(const QStringList &extra, QJsonArray *manifestDevices);
    QProcess *startRecorder(const QString &db, const QStringList &extra = {});
    bool waitForOutput(QProcess *process, const QByteArray &text, int timeoutMs);
    void stopRecorder(QProcess *recorder);

    QTemporaryDir m_dir;
    MosquittoLauncher m_broker;
};

void TestRecordIntegration::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (MosquittoLauncher::findExecutable().isEmpty())
        QFAIL(qPrintable(MosquittoLauncher::installHint()));
    MosquittoLauncher::Options options;
    QString error;
    QVERIFY2(m_broker.start(options, &error), qPrintable(error));
}

void TestRecordIntegration::cleanupTestCase()
{
    m_broker.stop();
}

QJsonArray TestRecordIntegration::devicesJson(const QString &db)
{
    QProcess ctl;
    ctl.start(bin("fleetdeckctl"), {QStringLiteral("devices"), QStringLiteral("--db"), db, QStringLiteral("--json")});
    if (!ctl.waitForFinished(20000) || ctl.exitCode() != 0) {
        qWarning() << "fleetdeckctl devices failed:" << ctl.readAllStandardError();
        return {};
    }
    return QJsonDocument::fromJson(ctl.readAllStandardOutput()).array();
}

QProcess *TestRecordIntegration::startRecorder(const QString &db, const QStringList &extra)
{
    auto *recorder = new QProcess(this);
    recorder->setProcessChannelMode(QProcess::SeparateChannels);
    recorder->start(bin("fleetdeckctl"), QStringList{QStringLiteral("record"), QStringLiteral("--broker"), m_broker.url(),
                                                     QStringLiteral("--db"), db, QStringLiteral("--qos"), QStringLiteral("1")}
                                             + extra);
    return recorder;
}

bool TestRecordIntegration::waitForOutput(QProcess *process, const QByteArray &text, int timeoutMs)
{
    QByteArray seen;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        seen += process->readAllStandardError();
        if (seen.contains(text))
            return true;
        if (process->state() == QProcess::NotRunning)
            break;
        process->waitForReadyRead(100);
    }
    qWarning() << "waited for" << text << "in" << seen;
    return false;
}

void TestRecordIntegration::stopRecorder(QProcess *recorder)
{
    ::kill(pid_t(recorder->processId()), SIGTERM);
    QVERIFY(recorder->waitForFinished(20000));
    QCOMPARE(recorder->exitStatus(), QProcess::NormalExit);
    QCOMPARE(recorder->exitCode(), 0);
}

bool TestRecordIntegration::runSimulator(const QStringList &extra, QJsonArray *manifestDevices)
{
    const QString manifest = m_dir.filePath(QStringLiteral("manifest-%1.json").arg(qHash(extra.join(u' '))));
    QProcess sim;
    sim.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    sim.start(bin("fleetdeck-sim"), QStringList{QStringLiteral("--broker"), m_broker.url(), QStringLiteral("--manifest"),
                                                manifest, QStringLiteral("--qos"), QStringLiteral("1")}
                                        + extra);
    if (!sim.waitForFinished(90000) || sim.exitCode() != 0) {
        qWarning() << "fleetdeck-sim failed, exit code" << sim.exitCode();
        return false;
    }
    QFile file(manifest);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    *manifestDevices = QJsonDocument::fromJson(file.readAll()).object().value(QLatin1StringView("devices")).toArray();
    return true;
}

void TestRecordIntegration::recordMatchesWhatTheSimulatorPublished()
{
    const QString db = m_dir.filePath(QStringLiteral("record.sqlite"));
    QProcess *recorder = startRecorder(db);
    QVERIFY(waitForOutput(recorder, "record: connected", 15000));

    QJsonArray published;
    QVERIFY(runSimulator({QStringLiteral("--devices"), QStringLiteral("50"), QStringLiteral("--rate"),
                          QStringLiteral("4"), QStringLiteral("--seed"), QStringLiteral("7"),
                          QStringLiteral("--duration"), QStringLiteral("3"), QStringLiteral("--client-id-prefix"),
                          QStringLiteral("it-a")},
                         &published));
    QCOMPARE(published.size(), 50);

    // Delivery to the recorder is asynchronous: wait until the cache has caught up (a device's
    // state is written when it is new, then at most every 30 s: DeviceStateCoalescer), then
    // stop the recorder, which commits everything it received, and compare once more.
    QTRY_COMPARE_WITH_TIMEOUT(mismatch(devicesJson(db), published), QString(), 45000);
    stopRecorder(recorder);
    QCOMPARE(mismatch(devicesJson(db), published), QString());
}

void TestRecordIntegration::rejectedMessagesAreCountedPerDevice()
{
    const QString db = m_dir.filePath(QStringLiteral("faults.sqlite"));
    QProcess *recorder = startRecorder(db);
    QVERIFY(waitForOutput(recorder, "record: connected", 15000));

    QJsonArray published;
    QVERIFY(runSimulator({QStringLiteral("--devices"), QStringLiteral("10"), QStringLiteral("--rate"),
                          QStringLiteral("10"), QStringLiteral("--seed"), QStringLiteral("3"),
                          QStringLiteral("--duration"), QStringLiteral("2"), QStringLiteral("--faults"),
                          QStringLiteral("0.3"), QStringLiteral("--prefix"), QStringLiteral("fleetdeck/v1"),
                          QStringLiteral("--client-id-prefix"), QStringLiteral("it-b")},
                         &published));
    quint64 publishedFaults = 0;
    for (const QJsonValue &v : published) {
        const QJsonObject faults = v.toObject().value(QLatin1StringView("faults")).toObject();
        for (auto it = faults.begin(); it != faults.end(); ++it) {
            // Faults in the topic (bad device id) cannot be attributed to a device.
            if (it.key() != u"bad_device_id")
                publishedFaults += quint64(it.value().toInteger());
        }
    }
    QVERIFY(publishedFaults > 0);
    const auto recordedRejects = [this, &db] {
        quint64 sum = 0;
        for (const QJsonValue &v : devicesJson(db))
            sum += quint64(v.toObject().value(QLatin1StringView("rejected")).toInteger());
        return sum;
    };
    QTRY_COMPARE_WITH_TIMEOUT(recordedRejects(), publishedFaults, 20000);
    stopRecorder(recorder);
    QCOMPARE(recordedRejects(), publishedFaults);
}

void TestRecordIntegration::recordReportsUnreachableBrokerAndStopsOnSignal()
{
    const QString db = m_dir.filePath(QStringLiteral("unreachable.sqlite"));
    QProcess recorder;
    recorder.start(bin("fleetdeckctl"), {QStringLiteral("record"), QStringLiteral("--broker"),
                                         QStringLiteral("mqtt://127.0.0.1:%1").arg(MosquittoLauncher::freePort()),
                                         QStringLiteral("--db"), db});
    QVERIFY(waitForOutput(&recorder, "record: reconnecting", 15000));
    ::kill(pid_t(recorder.processId()), SIGINT);
    QVERIFY(recorder.waitForFinished(15000));
    QCOMPARE(recorder.exitCode(), 0);
}

// Another process holds the cache's write lock for the whole recording: everything received
// stays unsaved. The recorder must say so, with the amount, and exit non-zero (issue 8; it
// used to exit 0).
void TestRecordIntegration::recordExitsNonZeroWhenReceivedDataIsNotSaved()
{
    const QString db = m_dir.filePath(QStringLiteral("locked.sqlite"));
    QProcess *recorder = startRecorder(db);
    QVERIFY(waitForOutput(recorder, "record: connected", 15000));
    fd::test::RawDb blocker(db);
    QCOMPARE(blocker.exec("BEGIN EXCLUSIVE"), QString());

    QJsonArray published;
    QVERIFY(runSimulator({QStringLiteral("--devices"), QStringLiteral("5"), QStringLiteral("--rate"),
                          QStringLiteral("5"), QStringLiteral("--seed"), QStringLiteral("5"),
                          QStringLiteral("--duration"), QStringLiteral("1"), QStringLiteral("--client-id-prefix"),
                          QStringLiteral("it-locked")},
                         &published));
    QVERIFY(waitForOutput(recorder, "cache write failed", 20000));
    ::kill(pid_t(recorder->processId()), SIGTERM);
    QVERIFY(recorder->waitForFinished(60000));
    const QByteArray err = recorder->readAllStandardError();
    QCOMPARE(recorder->exitStatus(), QProcess::NormalExit);
    QCOMPARE(recorder->exitCode(), 5);
    QVERIFY2(err.contains("telemetry messages were received but NOT saved"), err.constData());
    QVERIFY2(err.contains("database is locked"), err.constData());
    QCOMPARE(blocker.exec("ROLLBACK"), QString());
}

// FLEETDECK_PASSWORD over plain TCP: refused with the reason and a non-zero exit, unless
// --allow-plaintext-password is given (then it logs in).
void TestRecordIntegration::plaintextPasswordNeedsTheFlag()
{
    MosquittoLauncher broker;
    MosquittoLauncher::Options options;
    options.credentials = BrokerCredentials::generate(QStringLiteral("ctl-"));
    QString error;
    QVERIFY2(broker.start(options, &error), qPrintable(error));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("FLEETDECK_PASSWORD"), options.credentials.password);
    const QStringList args{QStringLiteral("record"), QStringLiteral("--broker"), broker.url(),
                           QStringLiteral("--username"), options.credentials.username, QStringLiteral("--db"),
                           m_dir.filePath(QStringLiteral("plaintext.sqlite"))};

    QProcess refused;
    refused.setProcessEnvironment(environment);
    refused.start(bin("fleetdeckctl"), args);
    QVERIFY(refused.waitForFinished(15000));
    QCOMPARE(refused.exitCode(), 2);
    const QByteArray why = refused.readAllStandardError();
    QVERIFY2(why.contains("--allow-plaintext-password") && why.contains("clear text"), why.constData());
    // Nothing logged in with the account (the launcher's own readiness probe opens and closes a
    // bare TCP connection: "Client <unknown> closed its connection", no CONNECT).
    QVERIFY2(!broker.log().contains(QStringLiteral("New client connected")), qPrintable(broker.log()));
    QVERIFY2(!broker.log().contains(options.credentials.username), qPrintable(broker.log()));

    QProcess allowed;
    allowed.setProcessEnvironment(environment);
    allowed.start(bin("fleetdeckctl"), args + QStringList{QStringLiteral("--allow-plaintext-password")});
    QVERIFY(waitForOutput(&allowed, "record: connected", 15000));
    ::kill(pid_t(allowed.processId()), SIGTERM);
    QVERIFY(allowed.waitForFinished(15000));
    QCOMPARE(allowed.exitCode(), 0);
}

void TestRecordIntegration::limitsFromTheCommandLine()
{
    // 10 devices with 4 metrics each into a recorder that allows 4 devices of 2 metrics: the
    // first 4 devices are recorded, with the first 2 metrics they reported; the rest is
    // counted, not stored.
    // A prefix of its own: the broker still holds the retained statuses of earlier cases.
    const QString db = m_dir.filePath(QStringLiteral("limits.sqlite"));
    const QString prefix = QStringLiteral("limits/v1");
    QProcess *recorder = startRecorder(db, {QStringLiteral("--max-devices-per-source"), QStringLiteral("4"),
                                            QStringLiteral("--max-metrics-per-device"), QStringLiteral("2"),
                                            QStringLiteral("--prefix"), prefix});
    QVERIFY(waitForOutput(recorder, "record: connected", 15000));
    QJsonArray published;
    QVERIFY(runSimulator({QStringLiteral("--devices"), QStringLiteral("10"), QStringLiteral("--rate"),
                          QStringLiteral("4"), QStringLiteral("--seed"), QStringLiteral("11"),
                          QStringLiteral("--duration"), QStringLiteral("2"), QStringLiteral("--client-id-prefix"),
                          QStringLiteral("it-limits"), QStringLiteral("--prefix"), prefix},
                         &published));
    QCOMPARE(published.size(), 10);
    QVERIFY(published.at(0).toObject().value(QLatin1StringView("metrics")).toObject().size() > 2);
    QTRY_COMPARE_WITH_TIMEOUT(devicesJson(db).size(), 4, 20000);
    stopRecorder(recorder);
    const QJsonArray recorded = devicesJson(db);
    QCOMPARE(recorded.size(), 4);
    for (const QJsonValue &v : recorded) {
        const QJsonObject device = v.toObject();
        QVERIFY2(device.value(QLatin1StringView("metrics")).toObject().size() == 2, qPrintable(compact(device)));
        QVERIFY(device.value(QLatin1StringView("rejected")).toInteger() > 0);  // metric_limit
    }

    QProcess bad;
    bad.start(bin("fleetdeckctl"), {QStringLiteral("record"), QStringLiteral("--broker"), m_broker.url(),
                                    QStringLiteral("--db"), db, QStringLiteral("--max-metrics-per-device"),
                                    QStringLiteral("70000")});
    QVERIFY(bad.waitForFinished(10000));
    QCOMPARE(bad.exitCode(), 2);
    QVERIFY(bad.readAllStandardError().contains("--max-metrics-per-device must be a number from 1 to 65535"));
}

// A broker that carries both protocol v1 and Sparkplug B: record (Sparkplug on by default)
// shows both fleets; the nodes' clean NDEATH at the simulator's end leaves them offline and
// stale, with their session facts.
void TestRecordIntegration::protocolV1AndSparkplugInOneRecording()
{
    const QString db = m_dir.filePath(QStringLiteral("both.sqlite"));
    const QString prefix = QStringLiteral("both/v1");
    QProcess *recorder = startRecorder(db, {QStringLiteral("--prefix"), prefix});
    QVERIFY(waitForOutput(recorder, "record: connected", 15000));
    QJsonArray published;
    QVERIFY(runSimulator({QStringLiteral("--devices"), QStringLiteral("3"), QStringLiteral("--rate"), QStringLiteral("2"),
                          QStringLiteral("--seed"), QStringLiteral("5"), QStringLiteral("--duration"), QStringLiteral("3"),
                          QStringLiteral("--client-id-prefix"), QStringLiteral("it-both"), QStringLiteral("--prefix"), prefix,
                          QStringLiteral("--sparkplug-nodes"), QStringLiteral("2"), QStringLiteral("--sparkplug-devices"),
                          QStringLiteral("2"), QStringLiteral("--sparkplug-group"), QStringLiteral("Both-Plant"),
                          QStringLiteral("--sparkplug-interval-ms"), QStringLiteral("500")},
                         &published));
    QCOMPARE(published.size(), 3);
    // 3 protocol v1 devices, 2 edge nodes, 4 devices behind them; the deaths recorded too.
    const auto deadNodes = [this, &db] {
        int n = 0;
        for (const QJsonValue &v : devicesJson(db)) {
            const QJsonObject d = v.toObject();
            n += d.value(u"path").toArray().size() == 2 && !d.value(u"stale_since").isNull();
        }
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(devicesJson(db).size(), 9, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(deadNodes(), 2, 20000);
    stopRecorder(recorder);
    int v1 = 0, nodes = 0, behind = 0;
    for (const QJsonValue &v : devicesJson(db)) {
        const QJsonObject d = v.toObject();
        const QJsonArray path = d.value(u"path").toArray();
        const QJsonObject metrics = d.value(u"metrics").toObject();
        QVERIFY2(!metrics.isEmpty(), qPrintable(compact(d)));
        QVERIFY2(!d.value(u"name").toString().isEmpty(), qPrintable(compact(d)));
        QCOMPARE(d.value(u"id").toString(), path.last().toString());
        if (path.size() == 1) {
            ++v1;
            QVERIFY(!d.contains(u"sparkplug"));
            continue;
        }
        QCOMPARE(path.first().toString(), QStringLiteral("Both-Plant"));
        const QJsonObject sp = d.value(u"sparkplug").toObject();
        QVERIFY2(sp.value(u"births").toInteger() >= 1, qPrintable(compact(d)));
        QVERIFY2(!d.value(u"online").toBool(), qPrintable(compact(d)));  // NDEATH at the end
        QVERIFY2(!d.value(u"stale_since").isNull(), qPrintable(compact(d)));
        if (path.size() == 2) {
            ++nodes;
            QCOMPARE(sp.value(u"deaths").toInteger(), 1);
        } else {
            ++behind;
            QVERIFY2(metrics.value(u"Process/Temperature").isDouble(), qPrintable(compact(d)));
        }
    }
    QCOMPARE(v1, 3);
    QCOMPARE(nodes, 2);
    QCOMPARE(behind, 4);
}

// The host against the simulator's edge node faults, one per node: a seq gap (rebirth asked
// for with its cause), an NDEATH with a stale bdSeq (ignored: only the final clean NDEATH
// counts), DATA before BIRTH (rebirth asked for, then born), a node that dies and is reborn
// (two deaths, bdSeq 1, two births).
void TestRecordIntegration::sparkplugFaultsOfTheSimulator()
{
    const QString db = m_dir.filePath(QStringLiteral("faults.sqlite"));
    QProcess *recorder = startRecorder(db, {QStringLiteral("--prefix"), QStringLiteral("faults/v1"),
                                            QStringLiteral("--sparkplug-reorder-timeout"), QStringLiteral("500")});
    QVERIFY(waitForOutput(recorder, "record: connected", 15000));
    QJsonArray published;
    QVERIFY(runSimulator({QStringLiteral("--duration"), QStringLiteral("8"), QStringLiteral("--client-id-prefix"),
                          QStringLiteral("it-faults"), QStringLiteral("--prefix"), QStringLiteral("faults/v1"),
                          QStringLiteral("--sparkplug-nodes"), QStringLiteral("4"), QStringLiteral("--sparkplug-devices"),
                          QStringLiteral("1"), QStringLiteral("--sparkplug-group"), QStringLiteral("Faults"),
                          QStringLiteral("--sparkplug-interval-ms"), QStringLiteral("250"),
                          QStringLiteral("--sparkplug-fault"),
                          QStringLiteral("seq_gap:node=1;start=2,stale_ndeath:node=2;start=2,"
                                         "data_before_birth:node=3;duration=2,die_rebirth:node=4;start=2;down=1")},
                         &published));
    const auto node = [this, &db](const QString &id) {
        for (const QJsonValue &v : devicesJson(db)) {
            const QJsonObject d = v.toObject();
            if (d.value(u"path").toArray() == QJsonArray{QStringLiteral("Faults"), id})
                return d;
        }
        return QJsonObject{};
    };
    const auto sp = [&node](const QString &id) { return node(id).value(u"sparkplug").toObject(); };
    // Every node ends with its clean NDEATH.
    QTRY_VERIFY_WITH_TIMEOUT(!node(QStringLiteral("gw-04")).value(u"stale_since").isNull()
                                 && !node(QStringLiteral("gw-01")).value(u"stale_since").isNull(),
                             20000);
    stopRecorder(recorder);
    QVERIFY2(sp(QStringLiteral("gw-01")).value(u"last_rebirth_cause").toString().contains(u"seq"),
             qPrintable(compact(node(QStringLiteral("gw-01")))));
    QVERIFY2(sp(QStringLiteral("gw-01")).value(u"births").toInteger() >= 2, qPrintable(compact(node(QStringLiteral("gw-01")))));
    QCOMPARE(sp(QStringLiteral("gw-02")).value(u"deaths").toInteger(), 1);  // the stale NDEATH changed nothing
    QVERIFY2(!sp(QStringLiteral("gw-03")).value(u"last_rebirth_cause").isNull(),
             qPrintable(compact(node(QStringLiteral("gw-03")))));
    QVERIFY2(sp(QStringLiteral("gw-03")).value(u"births").toInteger() >= 1, qPrintable(compact(node(QStringLiteral("gw-03")))));
    QCOMPARE(sp(QStringLiteral("gw-04")).value(u"deaths").toInteger(), 2);
    QCOMPARE(sp(QStringLiteral("gw-04")).value(u"births").toInteger(), 2);
    QCOMPARE(sp(QStringLiteral("gw-04")).value(u"bdseq").toInteger(), 1);
}

void TestRecordIntegration::deleteWhileRecording()
{
    // A recorder commits a busy fleet about once a second while `fleetdeckctl devices
    // --delete` deletes devices from the same cache: every deletion succeeds (SQLite's busy
    // timeout, one IMMEDIATE transaction each), the recorder keeps committing, and the file
    // stays sound.
    const QString db = m_dir.filePath(QStringLiteral("delete.sqlite"));
    const QString prefix = QStringLiteral("delete/v1");
    QProcess *recorder = startRecorder(db, {QStringLiteral("--prefix"), prefix});
    QVERIFY(waitForOutput(recorder, "record: connected", 15000));
    const QString manifest = m_dir.filePath(QStringLiteral("delete-manifest.json"));
    QProcess sim;
    sim.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    sim.start(bin("fleetdeck-sim"), {QStringLiteral("--broker"), m_broker.url(), QStringLiteral("--devices"),
                                     QStringLiteral("40"), QStringLiteral("--rate"), QStringLiteral("20"),
                                     QStringLiteral("--duration"), QStringLiteral("6"), QStringLiteral("--prefix"),
                                     prefix, QStringLiteral("--client-id-prefix"), QStringLiteral("it-del"),
                                     QStringLiteral("--manifest"), manifest, QStringLiteral("--qos"), QStringLiteral("1")});
    QVERIFY(sim.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(devicesJson(db).size() == 40, 20000);
    auto deleteDevice = [&db](const QString &id) {
        QProcess ctl;
        ctl.start(bin("fleetdeckctl"), {QStringLiteral("devices"), QStringLiteral("--db"), db,
                                        QStringLiteral("--delete"), id});
        if (!ctl.waitForFinished(30000))
            return QStringLiteral("timed out");
        return ctl.exitCode() == 0 ? QString() : QString::fromUtf8(ctl.readAllStandardError());
    };
    int deletedWhileBusy = 0;
    for (int i = 1; i <= 10 && sim.state() == QProcess::Running; ++i) {
        QCOMPARE(deleteDevice(QStringLiteral("dev-%1").arg(i, 5, 10, QLatin1Char('0'))), QString());
        ++deletedWhileBusy;
    }
    QVERIFY(deletedWhileBusy >= 3);  // at least some of them while the recorder was busy
    QVERIFY(sim.waitForFinished(30000));
    QCOMPARE(sim.exitCode(), 0);

    // Quiet now: a device deleted while the recorder runs stays deleted (the recorder writes
    // a device back only when it hears from it again). Once the cache has its last message,
    // the recorder holds nothing more of it.
    const QString quiet = QStringLiteral("dev-00030");
    QFile file(manifest);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject published = byId(QJsonDocument::fromJson(file.readAll()).object().value("devices"_L1).toArray(), quiet);
    const qint64 lastSeq = published.value("last_seq"_L1).toInteger();
    QVERIFY(lastSeq > 0);
    // The recorder writes a device's state at most every 30 s unless its identity changes
    // (DeviceStateCoalescer): its last state reaches the cache within that interval.
    QTRY_COMPARE_WITH_TIMEOUT(fd::test::RawDb(db).integer("SELECT last_seq FROM devices WHERE path = 'dev-00030'"),
                              lastSeq, 45000);
    QCOMPARE(deleteDevice(quiet), QString());
    stopRecorder(recorder);
    fd::test::RawDb raw(db);
    QCOMPARE(raw.texts("PRAGMA integrity_check"), QStringList{QStringLiteral("ok")});
    QCOMPARE(raw.texts("PRAGMA foreign_key_check"), QStringList());
    QCOMPARE(raw.integer("SELECT count(*) FROM devices WHERE path = 'dev-00030'"), 0);
    QCOMPARE(raw.rawPoints("path = 'dev-00030'"), 0);
    // The devices nobody deleted are all there (those deleted while they still reported
    // came back as new devices, unless the simulator ended first).
    QCOMPARE(raw.integer("SELECT count(*) FROM devices WHERE path > 'dev-00010' AND path <> 'dev-00030'"), 29);
    const QJsonArray audit =
        [&db] {
            QProcess ctl;
            ctl.start(bin("fleetdeckctl"), {QStringLiteral("audit"), QStringLiteral("--db"), db, QStringLiteral("--json")});
            ctl.waitForFinished(20000);
            return QJsonDocument::fromJson(ctl.readAllStandardOutput()).array();
        }();
    QCOMPARE(audit.size(), 2 * (deletedWhileBusy + 1));
}

QTEST_GUILESS_MAIN(TestRecordIntegration)
#include "test_record_integration.moc"
