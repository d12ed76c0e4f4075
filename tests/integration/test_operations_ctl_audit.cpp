// `fleetdeckctl audit --db CACHE --json` against a real operations store beside the cache.

#include "core/operations/operations_store.h"
#include "tests/core/operations/operations_test_support.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace fd;
using namespace fd::operationstest;

class TestOperationsCtlAudit : public QObject
{
    Q_OBJECT

private slots:
    void noStoreIsAnEmptyLog();
    void printsTheAuditLog();
    void foreignStoreIsRefusedAndUntouched();

private:
    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    static Run ctl(const QStringList &arguments);
};

TestOperationsCtlAudit::Run TestOperationsCtlAudit::ctl(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(FLEETDECK_BIN_DIR "/fleetdeckctl"), arguments);
    Run run;
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit)
        return run;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

void TestOperationsCtlAudit::noStoreIsAnEmptyLog()
{
    QTemporaryDir dir;
    const QString cache = dir.filePath(u"fleet.sqlite"_s);
    const Run run = ctl({u"audit"_s, u"--db"_s, cache, u"--json"_s});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, QByteArray("[]\n"));
    QVERIFY(!QFileInfo::exists(OperationsStore::pathForCache(cache)));  // nothing created
}

void TestOperationsCtlAudit::printsTheAuditLog()
{
    QTemporaryDir dir;
    const QString cache = dir.filePath(u"fleet.sqlite"_s);
    {
        OperationsStore store;
        QVERIFY(openStore(store, OperationsStore::pathForCache(cache)).ok());
        JobOutcomes outcomes(store);
        AuditEntry e;
        e.tsMs = 1767225600123;
        e.actor = u"bob"_s;
        e.action = u"alert.acknowledged"_s;
        e.source = u"broker-2"_s;
        e.devicePath = u"plant/pump-7"_s;
        e.objectKind = u"alert"_s;
        e.objectId = u"A-17"_s;
        e.beforeJson = uR"({"acked":false})"_s;
        e.afterJson = uR"({"acked":true})"_s;
        e.detail = u"checked"_s;
        const quint64 first = store.recordAudit(e);
        AuditEntry bare;
        bare.tsMs = 1767225601000;
        bare.actor = u"carol"_s;
        bare.action = u"session.login"_s;
        const quint64 second = store.recordAudit(bare);
        QTRY_VERIFY(outcomes.committed.contains(first) && outcomes.committed.contains(second));
    }  // shut down: the file stays with its WAL folded in
    const Run run = ctl({u"audit"_s, u"--db"_s, cache, u"--json"_s});
    QCOMPARE(run.exitCode, 0);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(run.out, &error);
    QVERIFY2(doc.isArray(), qPrintable(error.errorString()));
    const QJsonArray entries = doc.array();
    QCOMPARE(entries.size(), 2);
    const QJsonObject a = entries[0].toObject();
    QCOMPARE(a.value(u"ts"_s).toString(), u"2026-01-01T00:00:00.123Z"_s);
    QCOMPARE(a.value(u"actor"_s).toString(), u"bob"_s);
    QCOMPARE(a.value(u"action"_s).toString(), u"alert.acknowledged"_s);
    QCOMPARE(a.value(u"source"_s).toString(), u"broker-2"_s);
    QCOMPARE(a.value(u"device_path"_s).toString(), u"plant/pump-7"_s);
    QCOMPARE(a.value(u"object_kind"_s).toString(), u"alert"_s);
    QCOMPARE(a.value(u"object_id"_s).toString(), u"A-17"_s);
    QCOMPARE(a.value(u"before"_s).toObject().value(u"acked"_s), QJsonValue(false));
    QCOMPARE(a.value(u"after"_s).toObject().value(u"acked"_s), QJsonValue(true));
    QCOMPARE(a.value(u"detail"_s).toString(), u"checked"_s);
    const QJsonObject b = entries[1].toObject();
    QCOMPARE(b.value(u"ts"_s).toString(), u"2026-01-01T00:00:01.000Z"_s);
    QCOMPARE(b.value(u"actor"_s).toString(), u"carol"_s);
    for (const QString &key : {u"source"_s, u"device_path"_s, u"object_kind"_s, u"object_id"_s, u"before"_s,
                               u"after"_s, u"detail"_s})
        QVERIFY2(b.value(key).isNull(), qPrintable(key));

    const Run table = ctl({u"audit"_s, u"--db"_s, cache});
    QCOMPARE(table.exitCode, 0);
    QVERIFY2(table.out.contains("alert.acknowledged") && table.out.contains("2 audit entries"), table.out.constData());
}

void TestOperationsCtlAudit::foreignStoreIsRefusedAndUntouched()
{
    QTemporaryDir dir;
    const QString cache = dir.filePath(u"fleet.sqlite"_s);
    const QString store = OperationsStore::pathForCache(cache);
    {
        RawDb raw(store);
        QCOMPARE(raw.exec("CREATE TABLE recipes(name TEXT); INSERT INTO recipes VALUES('soup');"), QString());
    }
    const QByteArray before = readAll(store);
    const Run run = ctl({u"audit"_s, u"--db"_s, cache, u"--json"_s});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("is not a FleetDeck operations store"), run.err.constData());
    QVERIFY(run.out.isEmpty());
    QCOMPARE(readAll(store), before);
}

QTEST_GUILESS_MAIN(TestOperationsCtlAudit)
#include "test_operations_ctl_audit.moc"
