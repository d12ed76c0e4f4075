// The whole headless path, as a user would run it:
//   mosquitto (private, free port) <- fleetdeck-sim (50 devices) -> fleetdeckctl record -> SQLite
// then `fleetdeckctl devices --json` must match exactly what the simulator says it published.
#include "core/broker/mosquitto_launcher.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace fd;

namespace {

const QString kBinDir = QStringLiteral(FLEETDECK_BIN_DIR);

QString bin(const char *name)
{
    return kBinDir + u'/' + QLatin1StringView(name);
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
    void cleanupTestCase();

private:
    QJsonArray devicesJson(const QString &db);
    bool runSimulator(const QStringList &extra, QJsonArray *manifestDevices);
    QProcess *startRecorder(const QString &db);
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

QProcess *TestRecordIntegration::startRecorder(const QString &db)
{
    auto *recorder = new QProcess(this);
    recorder->setProcessChannelMode(QProcess::SeparateChannels);
    recorder->start(bin("fleetdeckctl"), {QStringLiteral("record"), QStringLiteral("--broker"), m_broker.url(),
                                          QStringLiteral("--db"), db, QStringLiteral("--qos"), QStringLiteral("1")});
    return recorder;
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
    QVERIFY(recorder->waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(recorder->readAllStandardError().contains("connected"), 15000);

    QJsonArray published;
    QVERIFY(runSimulator({QStringLiteral("--devices"), QStringLiteral("50"), QStringLiteral("--rate"),
                          QStringLiteral("4"), QStringLiteral("--seed"), QStringLiteral("7"),
                          QStringLiteral("--duration"), QStringLiteral("3"), QStringLiteral("--client-id-prefix"),
                          QStringLiteral("it-a")},
                         &published));
    QCOMPARE(published.size(), 50);

    // Everything is delivered at QoS 1; stop the recorder, which commits what it received.
    stopRecorder(recorder);

    const QJsonArray recorded = devicesJson(db);
    QCOMPARE(recorded.size(), published.size());
    for (const QJsonValue &v : published) {
        const QJsonObject want = v.toObject();
        const QString id = want.value(QLatin1StringView("id")).toString();
        const QJsonObject got = byId(recorded, id);
        QVERIFY2(!got.isEmpty(), qPrintable(id));
        for (const char *key : {"name", "site", "model", "fw_version", "online", "metrics"}) {
            const QLatin1StringView k(key);
            QVERIFY2(got.value(k) == want.value(k),
                     qPrintable(QStringLiteral("%1.%2: recorded %3, published %4")
                                    .arg(id, k,
                                         QString::fromUtf8(QJsonDocument(QJsonArray{got.value(k)}).toJson(QJsonDocument::Compact)),
                                         QString::fromUtf8(QJsonDocument(QJsonArray{want.value(k)}).toJson(QJsonDocument::Compact)))));
        }
        QCOMPARE(got.value(QLatin1StringView("rejected")).toInt(), 0);
        QVERIFY(got.value(QLatin1StringView("last_seen")).toString().endsWith(u'Z'));
    }
}

void TestRecordIntegration::rejectedMessagesAreCountedPerDevice()
{
    const QString db = m_dir.filePath(QStringLiteral("faults.sqlite"));
    QProcess *recorder = startRecorder(db);
    QTRY_VERIFY_WITH_TIMEOUT(recorder->readAllStandardError().contains("connected"), 15000);

    QJsonArray published;
    QVERIFY(runSimulator({QStringLiteral("--devices"), QStringLiteral("10"), QStringLiteral("--rate"),
                          QStringLiteral("10"), QStringLiteral("--seed"), QStringLiteral("3"),
                          QStringLiteral("--duration"), QStringLiteral("2"), QStringLiteral("--faults"),
                          QStringLiteral("0.3"), QStringLiteral("--prefix"), QStringLiteral("fleetdeck/v1"),
                          QStringLiteral("--client-id-prefix"), QStringLiteral("it-b")},
                         &published));
    stopRecorder(recorder);

    const QJsonArray recorded = devicesJson(db);
    quint64 publishedFaults = 0;
    quint64 recordedRejects = 0;
    for (const QJsonValue &v : published) {
        const QJsonObject faults = v.toObject().value(QLatin1StringView("faults")).toObject();
        for (auto it = faults.begin(); it != faults.end(); ++it) {
            // Faults in the topic (bad device id) cannot be attributed to the device.
            if (it.key() != u"bad_device_id")
                publishedFaults += quint64(it.value().toInteger());
        }
        recordedRejects += quint64(
            byId(recorded, v.toObject().value(QLatin1StringView("id")).toString()).value(QLatin1StringView("rejected")).toInteger());
    }
    QVERIFY(publishedFaults > 0);
    QCOMPARE(recordedRejects, publishedFaults);
}

void TestRecordIntegration::recordReportsUnreachableBrokerAndStopsOnSignal()
{
    const QString db = m_dir.filePath(QStringLiteral("unreachable.sqlite"));
    QProcess recorder;
    recorder.start(bin("fleetdeckctl"), {QStringLiteral("record"), QStringLiteral("--broker"),
                                         QStringLiteral("mqtt://127.0.0.1:%1").arg(MosquittoLauncher::freePort()),
                                         QStringLiteral("--db"), db});
    QByteArray stderrText;
    QTRY_VERIFY_WITH_TIMEOUT((stderrText += recorder.readAllStandardError()).contains("reconnecting"), 15000);
    ::kill(pid_t(recorder.processId()), SIGINT);
    QVERIFY(recorder.waitForFinished(15000));
    QCOMPARE(recorder.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestRecordIntegration)
#include "test_record_integration.moc"
