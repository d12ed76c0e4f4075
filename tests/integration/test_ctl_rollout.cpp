// `fleetdeckctl rollout create|status|list` against a real cache (devices written by the
// StorageWriter) and a real operations store holding an artifact row (ArtifactTable):
// stdout is only the id, exclusions and the plan on stderr, refusals with a reason and a
// non-zero exit, the status JSON shape, the list.
#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "core/ota/artifact_table.h"
#include "core/ota/ota_device_state.h"
#include "core/storage/storage_writer.h"
#include "tests/core/operations/operations_test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace fd;
using namespace fd::operationstest;

class TestCtlRollout : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void createPrintsOnlyTheId();
    void refusals_data();
    void refusals();
    void statusAndList();

private:
    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    static Run ctl(const QStringList &arguments);

    QTemporaryDir m_dir;
    QString m_cache;
    QString m_artifactId;
};

TestCtlRollout::Run TestCtlRollout::ctl(const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"USER"_s, u"carol"_s);
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(FLEETDECK_BIN_DIR "/fleetdeckctl"), arguments);
    Run run;
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit)
        return run;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

static Device device(const QString &source, const QString &path, const QString &site, const QString &model,
                     const QString &fw)
{
    Device d;
    d.source = source;
    d.path = path;
    d.id = path.section(u'/', -1);
    d.name = d.id;
    d.site = site;
    d.model = model;
    d.fwVersion = fw;
    d.online = true;
    d.lastSeenMs = 1764500000000;
    return d;
}

void TestCtlRollout::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_cache = m_dir.filePath(u"fleet.sqlite"_s);
    {
        StorageBatch batch;
        for (int i = 1; i <= 6; ++i)
            batch.devices.append(device(u"default"_s, u"dev-%1"_s.arg(i), i <= 4 ? u"paris"_s : u"lyon"_s,
                                        u"TH-100"_s, u"2.3.0"_s));
        batch.devices.append(device(u"default"_s, u"dev-old-model"_s, u"paris"_s, u"TH-200"_s, u"2.3.0"_s));
        batch.devices.append(device(u"default"_s, u"dev-current"_s, u"paris"_s, u"TH-100"_s, u"2.4.0"_s));
        batch.devices.append(device(u"default"_s, u"dev-newer"_s, u"paris"_s, u"TH-100"_s, u"2.5.0"_s));
        StorageWriter writer;
        QString error;
        QVERIFY2(writer.start(m_cache, &error), qPrintable(error));
        writer.submit(batch);
        QVERIFY(writer.flush(60000));
        writer.stop();
    }
    // The artifact row, as `fleetdeckctl artifact import` leaves it (unsigned here: create
    // does not check signatures, the device does).
    FirmwareManifest manifest;
    manifest.version = u"2.4.0"_s;
    manifest.models = {u"TH-100"_s};
    manifest.sha256 = QString(64, u'a');
    manifest.size = 1024;
    const FirmwareArtifact artifact = FirmwareArtifact::fromManifest(manifest, u"th100-2.4.0.bin"_s);
    m_artifactId = artifact.id;
    OperationsStore store;
    QVERIFY(openStore(store, OperationsStore::pathForCache(m_cache)).ok());
    JobOutcomes outcomes(store);
    const quint64 job = store.submit({u"import"_s, [artifact](OperationsTransaction &tx, QString *e) {
                                          bool existed = false;
                                          return ArtifactTable::insert(tx, artifact, u"carol"_s, &existed, e);
                                      }});
    QTRY_VERIFY(outcomes.done(job));
    QVERIFY2(outcomes.committed.contains(job), qPrintable(outcomes.failed.value(job)));
}

void TestCtlRollout::createPrintsOnlyTheId()
{
    const Run run = ctl({u"rollout"_s, u"create"_s, u"--db"_s, m_cache, u"--artifact"_s, m_artifactId,
                         u"--target"_s, u"site=paris"_s, u"--canary"_s, u"1"_s, u"--waves"_s, u"50%,100%"_s,
                         u"--abort-failure-pct"_s, u"20"_s, u"--min-executed"_s, u"2"_s, u"--rate-per-min"_s,
                         u"10"_s, u"--retries"_s, u"1"_s, u"--window"_s, u"22:00-04:00"_s, u"--name"_s,
                         u"paris first"_s});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.out, QByteArray("1\n"));
    QVERIFY(run.err.contains("excluded default/dev-old-model: model TH-200 is not compatible"));
    QVERIFY(run.err.contains("excluded default/dev-current: already on 2.4.0"));
    QVERIFY(run.err.contains("excluded default/dev-newer: runs 2.5.0, newer than 2.4.0 (not a rollback rollout)"));
    QVERIFY(!run.err.contains("dev-5"));  // lyon: not matched, not "excluded"
    QVERIFY(run.err.contains("targets: 4 devices"));
    QVERIFY(run.err.contains("canary 1, wave 1: 1, wave 2: 2"));

    // A rollback rollout takes the newer device too.
    const Run rollback = ctl({u"rollout"_s, u"create"_s, u"--db"_s, m_cache, u"--artifact"_s, m_artifactId,
                              u"--target"_s, u"site=paris"_s, u"--rollback"_s});
    QVERIFY2(rollback.exitCode == 0, rollback.err.constData());
    QCOMPARE(rollback.out, QByteArray("2\n"));
    QVERIFY(!rollback.err.contains("dev-newer"));
}

void TestCtlRollout::refusals_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QByteArray>("reason");
    QTest::newRow("unknown artifact") << QStringList{u"--artifact"_s, u"ffffffffffffffff"_s}
                                      << QByteArray("unknown artifact ffffffffffffffff");
    QTest::newRow("no target left") << QStringList{u"--target"_s, u"site=berlin"_s} << QByteArray("no target left");
    QTest::newRow("only incompatible") << QStringList{u"--target"_s, u"model=TH-200"_s}
                                       << QByteArray("no target left (1 matching devices excluded)");
    QTest::newRow("wave of 0") << QStringList{u"--target"_s, u"site=lyon"_s, u"--waves"_s, u"10%,100%"_s}
                               << QByteArray("wave 1 (10%) would get 0 of 2 devices");
    QTest::newRow("bad retries") << QStringList{u"--retries"_s, u"11"_s} << QByteArray("--retries: 0 to 10");
    QTest::newRow("bad waves") << QStringList{u"--waves"_s, u"50%,20%"_s}
                               << QByteArray("wave 2 (20%): percentages must increase");
    QTest::newRow("bad target") << QStringList{u"--target"_s, u"colour=red"_s} << QByteArray("unknown key");
    QTest::newRow("bad window") << QStringList{u"--window"_s, u"25:00-01:00"_s} << QByteArray("--window");
    QTest::newRow("bad start") << QStringList{u"--start-at"_s, u"tomorrow"_s} << QByteArray("--start-at");
    QTest::newRow("unknown flag") << QStringList{u"--frobnicate"_s} << QByteArray("frobnicate");
}

void TestCtlRollout::refusals()
{
    QFETCH(QStringList, extra);
    QFETCH(QByteArray, reason);
    QStringList args{u"rollout"_s, u"create"_s, u"--db"_s, m_cache};
    if (!extra.contains(u"--artifact"_s))
        args << u"--artifact"_s << m_artifactId;
    const Run run = ctl(args + extra);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.out.isEmpty());
    QVERIFY2(run.err.contains(reason), run.err.constData());
}

void TestCtlRollout::statusAndList()
{
    const Run created = ctl({u"rollout"_s, u"create"_s, u"--db"_s, m_cache, u"--artifact"_s, m_artifactId,
                             u"--canary"_s, u"1"_s, u"--waves"_s, u"50%,100%"_s, u"--name"_s, u"everyone"_s});
    QVERIFY2(created.exitCode == 0, created.err.constData());
    const QByteArray id = created.out.trimmed();

    const Run status = ctl({u"rollout"_s, u"status"_s, u"--db"_s, m_cache, QString::fromLatin1(id), u"--json"_s});
    QVERIFY2(status.exitCode == 0, status.err.constData());
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(status.out, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(o.value(u"id"_s).toInteger(), id.toLongLong());
    QCOMPARE(o.value(u"name"_s).toString(), u"everyone"_s);
    QCOMPARE(o.value(u"state"_s).toString(), u"scheduled"_s);
    QCOMPARE(o.value(u"artifact"_s).toString(), m_artifactId);
    QCOMPARE(o.value(u"version"_s).toString(), u"2.4.0"_s);
    QCOMPARE(o.value(u"current_wave"_s).toInt(), 0);
    const QJsonObject counts = o.value(u"counts"_s).toObject();
    for (OtaDeviceState s : kAllOtaDeviceStates)
        QVERIFY2(counts.contains(otaDeviceStateKey(s)), qPrintable(otaDeviceStateKey(s)));
    QCOMPARE(counts.value(u"pending"_s).toInt(), 6);  // dev-1..6
    const QJsonArray waves = o.value(u"waves"_s).toArray();
    QCOMPARE(waves.size(), 3);
    QCOMPARE(waves[0].toObject().value(u"name"_s).toString(), u"canary"_s);
    QCOMPARE(waves[0].toObject().value(u"size"_s).toInt(), 1);
    QCOMPARE(waves[1].toObject().value(u"size"_s).toInt(), 2);
    QCOMPARE(waves[2].toObject().value(u"size"_s).toInt(), 3);
    QCOMPARE(waves[2].toObject().value(u"counts"_s).toObject().size(), qsizetype(kAllOtaDeviceStates.size()));
    const QJsonObject devices = o.value(u"devices"_s).toObject();
    QCOMPARE(devices.size(), 6);
    QCOMPARE(devices.value(u"dev-1"_s).toString(), u"pending"_s);
    QVERIFY(!devices.contains(u"dev-current"_s));
    QVERIFY(o.value(u"created"_s).toString().endsWith(u'Z'));
    QCOMPARE(o.value(u"started"_s).toString(), QString());
    QVERIFY(o.contains(u"reasons"_s));
    QVERIFY(o.contains(u"finished"_s));

    const Run text = ctl({u"rollout"_s, u"status"_s, u"--db"_s, m_cache, QString::fromLatin1(id)});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains("state: scheduled"), text.out.constData());
    QVERIFY(text.out.contains("canary"));

    const Run missing = ctl({u"rollout"_s, u"status"_s, u"--db"_s, m_cache, u"999"_s, u"--json"_s});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.out.isEmpty());
    QVERIFY(missing.err.contains("rollout 999 does not exist"));

    const Run list = ctl({u"rollout"_s, u"list"_s, u"--db"_s, m_cache, u"--json"_s});
    QCOMPARE(list.exitCode, 0);
    const QJsonArray rollouts = QJsonDocument::fromJson(list.out).array();
    QVERIFY(rollouts.size() >= 1);
    QCOMPARE(rollouts.first().toObject().value(u"id"_s).toInteger(), id.toLongLong());  // newest first
    QCOMPARE(rollouts.first().toObject().value(u"total"_s).toInt(), 6);
    QCOMPARE(rollouts.first().toObject().value(u"created_by"_s).toString(), u"carol"_s);
    const Run listText = ctl({u"rollout"_s, u"list"_s, u"--db"_s, m_cache});
    QCOMPARE(listText.exitCode, 0);
    QVERIFY(listText.out.contains("everyone"));

    // The run verb is the runner's (a stub on this branch, replaced by feat/ota-runner).
    const Run unknownVerb = ctl({u"rollout"_s, u"frob"_s});
    QCOMPARE(unknownVerb.exitCode, 2);
}

QTEST_GUILESS_MAIN(TestCtlRollout)
#include "test_ctl_rollout.moc"
