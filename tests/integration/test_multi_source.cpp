// Several brokers at once, as a user runs it: two private mosquitto instances, each with a
// simulated site whose device ids overlap (dev-00001.. on both), one `fleetdeckctl record
// --broker plant-a=URL --broker URL` into one cache. Both fleets are recorded as distinct
// devices, each with its source and path, each matching what its own simulator published.
// Then the command path: a FleetSession connected to both sends `ping` to dev-00001 of one
// source; it is acknowledged by that broker and answered by that device.
#include "core/broker/mosquitto_launcher.h"
#include "core/ingest/fleet_session.h"

#include <QDeadlineTimer>
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

QString hostPort(const MosquittoLauncher &broker)
{
    return QStringLiteral("127.0.0.1:%1").arg(broker.port());
}

} // namespace

class TestMultiSource : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void recordsTwoBrokersWithOverlappingIds();
    void commandReachesTheDeviceOfItsSource();
    void cleanupTestCase();

private:
    QJsonArray devicesJson(const QString &db);
    QProcess *startSimulator(const MosquittoLauncher &broker, const QString &seed, const QString &manifest,
                             const QString &duration);
    static QJsonObject manifestDevice(const QString &manifest, const QString &id);

    QTemporaryDir m_dir;
    MosquittoLauncher m_a;
    MosquittoLauncher m_b;
};

void TestMultiSource::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (MosquittoLauncher::findExecutable().isEmpty())
        QFAIL(qPrintable(MosquittoLauncher::installHint()));
    QString error;
    QVERIFY2(m_a.start(MosquittoLauncher::Options{}, &error), qPrintable(error));
    QVERIFY2(m_b.start(MosquittoLauncher::Options{}, &error), qPrintable(error));
    QVERIFY(m_a.port() != m_b.port());
}

void TestMultiSource::cleanupTestCase()
{
    m_a.stop();
    m_b.stop();
}

QJsonArray TestMultiSource::devicesJson(const QString &db)
{
    QProcess ctl;
    ctl.start(bin("fleetdeckctl"), {QStringLiteral("devices"), QStringLiteral("--db"), db, QStringLiteral("--json")});
    if (!ctl.waitForFinished(20000) || ctl.exitCode() != 0)
        return {};
    return QJsonDocument::fromJson(ctl.readAllStandardOutput()).array();
}

QProcess *TestMultiSource::startSimulator(const MosquittoLauncher &broker, const QString &seed,
                                          const QString &manifest, const QString &duration)
{
    auto *sim = new QProcess(this);
    sim->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    sim->start(bin("fleetdeck-sim"),
               {QStringLiteral("--broker"), broker.url(), QStringLiteral("--devices"), QStringLiteral("20"),
                QStringLiteral("--rate"), QStringLiteral("4"), QStringLiteral("--seed"), seed, QStringLiteral("--qos"),
                QStringLiteral("1"), QStringLiteral("--duration"), duration, QStringLiteral("--manifest"), manifest,
                QStringLiteral("--client-id-prefix"), QStringLiteral("ms-") + seed + u'-'});
    return sim;
}

QJsonObject TestMultiSource::manifestDevice(const QString &manifest, const QString &id)
{
    QFile file(manifest);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QJsonArray devices =
        QJsonDocument::fromJson(file.readAll()).object().value(QLatin1StringView("devices")).toArray();
    for (const QJsonValue &v : devices) {
        if (v.toObject().value(QLatin1StringView("id")).toString() == id)
            return v.toObject();
    }
    return {};
}

void TestMultiSource::recordsTwoBrokersWithOverlappingIds()
{
    const QString db = m_dir.filePath(QStringLiteral("two.sqlite"));
    QProcess recorder;
    recorder.setProcessChannelMode(QProcess::SeparateChannels);
    recorder.start(bin("fleetdeckctl"), {QStringLiteral("record"), QStringLiteral("--broker"),
                                         QStringLiteral("plant-a=") + m_a.url(), QStringLiteral("--broker"), m_b.url(),
                                         QStringLiteral("--db"), db, QStringLiteral("--qos"), QStringLiteral("1")});
    // Both sources report their own state.
    QByteArray seen;
    QDeadlineTimer deadline(15000);
    const QByteArray connectedB = hostPort(m_b).toUtf8() + ": connected";
    while (!(seen.contains("plant-a: connected") && seen.contains(connectedB)) && !deadline.hasExpired()) {
        recorder.waitForReadyRead(100);
        seen += recorder.readAllStandardError();
    }
    QVERIFY2(seen.contains("plant-a: connected") && seen.contains(connectedB), seen.constData());

    const QString manifestA = m_dir.filePath(QStringLiteral("a.json"));
    const QString manifestB = m_dir.filePath(QStringLiteral("b.json"));
    QProcess *simA = startSimulator(m_a, QStringLiteral("11"), manifestA, QStringLiteral("3"));
    QProcess *simB = startSimulator(m_b, QStringLiteral("22"), manifestB, QStringLiteral("3"));
    QVERIFY(simA->waitForFinished(60000) && simA->exitCode() == 0);
    QVERIFY(simB->waitForFinished(60000) && simB->exitCode() == 0);

    QTRY_COMPARE_WITH_TIMEOUT(devicesJson(db).size(), 40, 20000);
    ::kill(pid_t(recorder.processId()), SIGTERM);
    QVERIFY(recorder.waitForFinished(20000));
    QCOMPARE(recorder.exitCode(), 0);

    const QJsonArray devices = devicesJson(db);
    QCOMPARE(devices.size(), 40);
    QHash<QString, QStringList> sourcesById;
    for (const QJsonValue &v : devices) {
        const QJsonObject d = v.toObject();
        const QString id = d.value(QLatin1StringView("id")).toString();
        const QString source = d.value(QLatin1StringView("source")).toString();
        QCOMPARE(d.value(QLatin1StringView("path")).toArray(), QJsonArray{id});
        sourcesById[id].append(source);
        // Each device matches what its own broker's simulator published.
        const QJsonObject published = manifestDevice(source == u"plant-a" ? manifestA : manifestB, id);
        QVERIFY2(!published.isEmpty(), qPrintable(source + u' ' + id));
        QCOMPARE(d.value(QLatin1StringView("name")), published.value(QLatin1StringView("name")));
        QCOMPARE(d.value(QLatin1StringView("metrics")), published.value(QLatin1StringView("metrics")));
    }
    QCOMPARE(sourcesById.size(), 20);
    for (auto it = sourcesById.cbegin(); it != sourcesById.cend(); ++it) {
        QStringList sources = it.value();
        sources.sort();
        QCOMPARE(sources, (QStringList{hostPort(m_b), QStringLiteral("plant-a")}));
    }
}

void TestMultiSource::commandReachesTheDeviceOfItsSource()
{
    FleetSession session;
    QSignalSpy devices(&session, &FleetSession::devicesUpdated);
    ConnectionProfile a;
    a.name = QStringLiteral("plant-a");
    a.broker = *BrokerUrl::parse(m_a.url());
    ConnectionProfile b;
    b.name = QStringLiteral("plant-b");
    b.broker = *BrokerUrl::parse(m_b.url());
    session.connectSource(a);
    session.connectSource(b);
    QTRY_COMPARE_WITH_TIMEOUT(session.sourceState(QStringLiteral("plant-a")), ConnectionState::Connected, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(session.sourceState(QStringLiteral("plant-b")), ConnectionState::Connected, 15000);
    QCOMPARE(session.sources(), (QStringList{QStringLiteral("plant-a"), QStringLiteral("plant-b")}));

    // Only broker B has a live simulator: a ping to plant-b/dev-00001 is answered, the same
    // id on plant-a (retained status only, nobody listening) times out.
    QProcess *sim = startSimulator(m_b, QStringLiteral("33"), m_dir.filePath(QStringLiteral("c.json")),
                                   QStringLiteral("30"));
    QVERIFY(devices.wait(15000));
    QSignalSpy updates(&session, &FleetSession::commandUpdated);
    QSignalSpy refused(&session, &FleetSession::commandRefused);
    auto ping = [](const QString &source) {
        DeviceCommand c;
        c.target = DeviceKey(source, QStringLiteral("dev-00001"));
        c.name = QStringLiteral("ping");
        c.timeoutMs = 3000;
        return c;
    };
    // The simulator subscribes to its command topics as it connects: retry until answered.
    auto finalState = [&](const QString &source) {
        for (const QList<QVariant> &u : std::as_const(updates)) {
            const auto r = u.at(0).value<CommandRecord>();
            if (r.command.target.source == source && r.state != CommandState::Queued && r.state != CommandState::Sent
                && r.state != CommandState::Acknowledged)
                return r.state;
        }
        return CommandState::Queued;
    };
    QDeadlineTimer deadline(20000);
    while (finalState(QStringLiteral("plant-b")) != CommandState::Answered && !deadline.hasExpired()) {
        updates.clear();
        session.submitCommand(ping(QStringLiteral("plant-b")));
        QTRY_VERIFY_WITH_TIMEOUT(finalState(QStringLiteral("plant-b")) != CommandState::Queued, 5000);
    }
    QCOMPARE(finalState(QStringLiteral("plant-b")), CommandState::Answered);

    updates.clear();
    session.submitCommand(ping(QStringLiteral("plant-a")));
    QTRY_COMPARE_WITH_TIMEOUT(finalState(QStringLiteral("plant-a")), CommandState::TimedOut, 8000);
    bool acknowledged = false;
    for (const QList<QVariant> &u : std::as_const(updates))
        acknowledged = acknowledged || u.at(0).value<CommandRecord>().state == CommandState::Acknowledged;
    QVERIFY(acknowledged);  // broker A took it; no device answered

    session.submitCommand(ping(QStringLiteral("nowhere")));
    QCOMPARE(refused.size(), 1);
    QVERIFY(refused.at(0).at(1).toString().contains(QStringLiteral("nowhere")));

    // Disconnecting one source leaves the other connected.
    session.disconnectSource(QStringLiteral("plant-a"));
    QCOMPARE(session.sources(), QStringList{QStringLiteral("plant-b")});
    QCOMPARE(session.sourceState(QStringLiteral("plant-b")), ConnectionState::Connected);
    sim->kill();
    sim->waitForFinished(5000);
    session.shutdown();
}

QTEST_GUILESS_MAIN(TestMultiSource)
#include "test_multi_source.moc"
