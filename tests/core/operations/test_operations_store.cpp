// Tests of OperationsStore's jobs: commit before confirm, one transaction per job, failure
// reporting (job error, failing SQL, failing COMMIT, disk full), the queue bound, shutdown
// draining the queue, operator actions and the audit query.

#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "operations_test_support.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSemaphore>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace fd;
using namespace fd::operationstest;

namespace {

AuditEntry audit(const QString &actor, const QString &action, qint64 tsMs = 0)
{
    AuditEntry e;
    e.actor = actor;
    e.action = action;
    e.tsMs = tsMs;
    return e;
}

} // namespace

class TestOperationsStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void committedOnlyOnceAnotherConnectionReadsTheRow();
    void jobIsOneTransaction();
    void failingJobRollsBackAndIsReported();
    void failingSqlIsReportedWithSqliteReason();
    void failingCommitRollsBackAndIsNotCommitted();
    void diskFullIsReportedAndLaterJobsCommit();
    void queueIsBounded();
    void shutdownDrainsTheQueue();
    void submitAfterShutdownIsRefused();
    void recordAndUpdateActionAreAudited();
    void updateOfMissingActionFails();
    void auditQueryRoundTrip();
    void auditQueryFilters();
    void completionCallbacksFollowTheJob();

private:
    QString m_path;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<OperationsStore> m_store;
    std::unique_ptr<JobOutcomes> m_outcomes;
};

void TestOperationsStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(u"fleet.operations.sqlite"_s);
    m_store = std::make_unique<OperationsStore>();
    m_outcomes = std::make_unique<JobOutcomes>(*m_store);
    const auto r = openStore(*m_store, m_path);
    QVERIFY2(r.ok(), qPrintable(r.message));
}

void TestOperationsStore::cleanup()
{
    m_outcomes.reset();
    m_store.reset();
    m_dir.reset();
}

void TestOperationsStore::committedOnlyOnceAnotherConnectionReadsTheRow()
{
    RawDb raw(m_path);
    QVERIFY(raw.isOpen());
    int checked = 0;
    QStringList problems;
    connect(m_store.get(), &OperationsStore::committed, this, [&](quint64, qint64 rowId) {
        // The signal arrives on this thread; the row must already be visible to a second,
        // independent connection (it was committed before the signal was emitted).
        const QByteArray sql = "SELECT count(*) FROM audit_log WHERE id = " + QByteArray::number(rowId);
        if (raw.integer(sql) != 1)
            problems.append(u"row %1 not visible"_s.arg(rowId));
        ++checked;
    });
    QList<quint64> ids;
    for (int i = 0; i < 25; ++i)
        ids.append(m_store->recordAudit(audit(u"alice"_s, u"test.commit"_s)));
    QVERIFY(!ids.contains(0));
    QTRY_COMPARE(checked, 25);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u", "_s)));
    QVERIFY(m_outcomes->failed.isEmpty());
    QCOMPARE(m_store->pendingJobs(), 0);
}

void TestOperationsStore::jobIsOneTransaction()
{
    // A job's writes are visible together or not at all: the second connection never sees
    // the first row of a job without its second.
    const quint64 id = m_store->submit({u"two rows"_s, [](OperationsTransaction &tx, QString *error) {
                                            return tx.insertAudit(audit(u"a"_s, u"pair.first"_s), error) > 0
                                                   && tx.insertAudit(audit(u"a"_s, u"pair.second"_s), error) > 0;
                                        }});
    QTRY_VERIFY(m_outcomes->done(id));
    QVERIFY(m_outcomes->committed.contains(id));
    RawDb raw(m_path);
    QCOMPARE(raw.texts("SELECT action FROM audit_log ORDER BY id"),
             (QStringList{u"pair.first"_s, u"pair.second"_s}));
}

void TestOperationsStore::failingJobRollsBackAndIsReported()
{
    const quint64 bad = m_store->submit({u"half-done job"_s, [](OperationsTransaction &tx, QString *error) {
                                             tx.insertAudit(audit(u"a"_s, u"must.vanish"_s), error);
                                             *error = u"the device refused"_s;
                                             return false;
                                         }});
    const quint64 good = m_store->recordAudit(audit(u"a"_s, u"after.failure"_s));
    QTRY_VERIFY(m_outcomes->done(bad) && m_outcomes->done(good));
    QVERIFY(!m_outcomes->committed.contains(bad));
    const QString reason = m_outcomes->failed.value(bad);
    QVERIFY2(reason.contains(u"half-done job"_s) && reason.contains(u"the device refused"_s), qPrintable(reason));
    QVERIFY(m_outcomes->committed.contains(good));
    RawDb raw(m_path);
    QCOMPARE(raw.texts("SELECT action FROM audit_log"), QStringList{u"after.failure"_s});
}

void TestOperationsStore::failingSqlIsReportedWithSqliteReason()
{
    const quint64 id = m_store->recordAudit(audit(QString(), u"no.actor"_s));
    const quint64 sql = m_store->submit({u"bad sql"_s, [](OperationsTransaction &tx, QString *error) {
                                             return tx.exec("INSERT INTO no_such_table VALUES(1)", error);
                                         }});
    QTRY_VERIFY(m_outcomes->done(id) && m_outcomes->done(sql));
    QVERIFY2(m_outcomes->failed.value(id).contains(u"actor"_s), qPrintable(m_outcomes->failed.value(id)));
    QVERIFY2(m_outcomes->failed.value(sql).contains(u"no such table: no_such_table"_s),
             qPrintable(m_outcomes->failed.value(sql)));
    QVERIFY(m_outcomes->committed.isEmpty());
}

void TestOperationsStore::failingCommitRollsBackAndIsNotCommitted()
{
    // A deferred foreign key is checked at COMMIT: the job itself succeeds, COMMIT fails.
    const quint64 id = m_store->submit(
        {u"commit fails"_s, [](OperationsTransaction &tx, QString *error) {
             return tx.insertAudit(audit(u"a"_s, u"must.vanish"_s), error) > 0
                    && tx.exec("CREATE TEMP TABLE parent(id INTEGER PRIMARY KEY);"
                               "CREATE TEMP TABLE child(pid INTEGER REFERENCES parent(id) "
                               "DEFERRABLE INITIALLY DEFERRED);"
                               "INSERT INTO child VALUES(42);",
                               error);
         }});
    const quint64 next = m_store->recordAudit(audit(u"a"_s, u"after.commit.failure"_s));
    QTRY_VERIFY(m_outcomes->done(id) && m_outcomes->done(next));
    QVERIFY(!m_outcomes->committed.contains(id));
    QVERIFY2(m_outcomes->failed.value(id).contains(u"FOREIGN KEY constraint failed"_s),
             qPrintable(m_outcomes->failed.value(id)));
    QVERIFY(m_outcomes->committed.contains(next));
    RawDb raw(m_path);
    QCOMPARE(raw.texts("SELECT action FROM audit_log"), QStringList{u"after.commit.failure"_s});
}

void TestOperationsStore::diskFullIsReportedAndLaterJobsCommit()
{
    // max_page_count caps the file at its current size: SQLite reports SQLITE_FULL.
    const QString big(200000, u'x');
    const quint64 full = m_store->submit({u"fill the disk"_s, [big](OperationsTransaction &tx, QString *error) {
                                              if (!tx.exec("PRAGMA max_page_count = 1", error))  // clamps to the current size
                                                  return false;
                                              AuditEntry e = audit(u"a"_s, u"too.big"_s);
                                              e.detail = big;
                                              return tx.insertAudit(e, error) > 0;
                                          }});
    const quint64 lift = m_store->submit({u"free space"_s, [](OperationsTransaction &tx, QString *error) {
                                              return tx.exec("PRAGMA max_page_count = 1073741823", error);
                                          }});
    const quint64 after = m_store->recordAudit(audit(u"a"_s, u"fits.again"_s));
    QTRY_VERIFY(m_outcomes->done(full) && m_outcomes->done(lift) && m_outcomes->done(after));
    QVERIFY(!m_outcomes->committed.contains(full));
    QVERIFY2(m_outcomes->failed.value(full).contains(u"database or disk is full"_s),
             qPrintable(m_outcomes->failed.value(full)));
    QVERIFY(m_outcomes->committed.contains(after));
    RawDb raw(m_path);
    QCOMPARE(raw.texts("SELECT action FROM audit_log"), QStringList{u"fits.again"_s});
}

void TestOperationsStore::queueIsBounded()
{
    m_store->setMaxPendingJobs(3);
    QSemaphore started;
    QSemaphore release;
    const quint64 blocker = m_store->submit({u"slow job"_s, [&](OperationsTransaction &, QString *error) {
                                                 started.release();
                                                 if (release.tryAcquire(1, 20000))
                                                     return true;
                                                 *error = u"test timed out"_s;
                                                 return false;
                                             }});
    QVERIFY(started.tryAcquire(1, 10000));  // the worker is busy with it
    const quint64 second = m_store->recordAudit(audit(u"a"_s, u"queued.1"_s));
    const quint64 third = m_store->queryAudit({});
    QVERIFY(blocker > 0 && second > 0 && third > 0);
    QCOMPARE(m_store->pendingJobs(), 3);
    QString error;
    QCOMPARE(m_store->recordAudit(audit(u"a"_s, u"refused"_s), &error), quint64(0));
    QVERIFY2(error.contains(u"limit is 3"_s), qPrintable(error));
    error.clear();
    QCOMPARE(m_store->submit({u"refused job"_s, {}}, &error), quint64(0));
    QVERIFY2(error.contains(u"refused job"_s), qPrintable(error));
    QCOMPARE(m_store->pendingJobs(), 3);

    release.release();
    QTRY_VERIFY(m_outcomes->committed.contains(blocker) && m_outcomes->committed.contains(second));
    QTRY_COMPARE(m_store->pendingJobs(), 0);
    const quint64 later = m_store->recordAudit(audit(u"a"_s, u"accepted.again"_s));
    QVERIFY(later > 0);
    QTRY_VERIFY(m_outcomes->committed.contains(later));
    RawDb raw(m_path);
    QCOMPARE(raw.texts("SELECT action FROM audit_log ORDER BY id"),
             (QStringList{u"queued.1"_s, u"accepted.again"_s}));
}

void TestOperationsStore::shutdownDrainsTheQueue()
{
    QList<quint64> ids;
    for (int i = 0; i < 50; ++i)
        ids.append(m_store->recordAudit(audit(u"a"_s, u"drain"_s)));
    m_store->shutdown();  // runs the queue, then delivers the signals before returning
    QCOMPARE(m_outcomes->committed.size(), 50);
    for (quint64 id : std::as_const(ids))
        QVERIFY(m_outcomes->committed.contains(id));
    QVERIFY(!m_store->isOpen());
    RawDb raw(m_path);
    QCOMPARE(raw.integer("SELECT count(*) FROM audit_log"), qint64(50));
}

void TestOperationsStore::submitAfterShutdownIsRefused()
{
    m_store->shutdown();
    QString error;
    QCOMPARE(m_store->recordAudit(audit(u"a"_s, u"late"_s), &error), quint64(0));
    QVERIFY2(error.contains(u"shut down"_s), qPrintable(error));
}

void TestOperationsStore::recordAndUpdateActionAreAudited()
{
    OperatorAction action;
    action.actor = u"alice"_s;
    action.kind = u"device.command"_s;
    action.source = u"broker-1"_s;
    action.devicePath = u"site-a/dev-00001"_s;
    action.payloadJson = uR"({"command":"reboot"})"_s;
    const quint64 job = m_store->recordAction(action);
    QTRY_VERIFY(m_outcomes->done(job));
    QVERIFY2(m_outcomes->committed.contains(job), qPrintable(m_outcomes->failed.value(job)));
    const qint64 actionId = m_outcomes->committed.value(job);
    QVERIFY(actionId > 0);

    const quint64 update = m_store->updateAction(actionId, OperatorAction::State::Succeeded,
                                                 u"device acknowledged"_s, u"fleetdeck"_s);
    QTRY_VERIFY(m_outcomes->done(update));
    QVERIFY2(m_outcomes->committed.contains(update), qPrintable(m_outcomes->failed.value(update)));

    RawDb raw(m_path);
    const QByteArray where = " FROM operator_actions WHERE id = " + QByteArray::number(actionId);
    auto column = [&](const char *name) { return raw.texts(QByteArray("SELECT ") + name + where); };
    QCOMPARE(column("state"), QStringList{u"succeeded"_s});
    QCOMPARE(column("result_detail"), QStringList{u"device acknowledged"_s});
    QCOMPARE(column("payload_json"), QStringList{action.payloadJson});

    QSignalSpy read(m_store.get(), &OperationsStore::auditRead);
    const quint64 request = m_store->queryAudit({});
    QVERIFY(read.wait(10000));
    QCOMPARE(read.first().at(0).value<quint64>(), request);
    const auto entries = read.first().at(1).value<QList<AuditEntry>>();
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries[0].action, u"device.command.requested"_s);
    QCOMPARE(entries[0].actor, u"alice"_s);
    QCOMPARE(entries[0].objectKind, u"operator_action"_s);
    QCOMPARE(entries[0].objectId, QString::number(actionId));
    QCOMPARE(entries[0].devicePath, u"site-a/dev-00001"_s);
    QVERIFY(entries[0].beforeJson.isNull());
    const QJsonObject requested = QJsonDocument::fromJson(entries[0].afterJson.toUtf8()).object();
    QCOMPARE(requested.value(u"state"_s).toString(), u"requested"_s);
    QCOMPARE(requested.value(u"payload"_s).toObject().value(u"command"_s).toString(), u"reboot"_s);

    QCOMPARE(entries[1].action, u"device.command.succeeded"_s);
    QCOMPARE(entries[1].actor, u"fleetdeck"_s);
    QCOMPARE(entries[1].detail, u"device acknowledged"_s);
    QCOMPARE(QJsonDocument::fromJson(entries[1].beforeJson.toUtf8()).object().value(u"state"_s).toString(),
             u"requested"_s);
    QCOMPARE(QJsonDocument::fromJson(entries[1].afterJson.toUtf8()).object().value(u"state"_s).toString(),
             u"succeeded"_s);
}

void TestOperationsStore::updateOfMissingActionFails()
{
    const quint64 id = m_store->updateAction(999, OperatorAction::State::Failed, u"x"_s, u"alice"_s);
    QTRY_VERIFY(m_outcomes->done(id));
    QVERIFY2(m_outcomes->failed.value(id).contains(u"no operator action 999"_s), qPrintable(m_outcomes->failed.value(id)));
    RawDb raw(m_path);
    QCOMPARE(raw.integer("SELECT count(*) FROM audit_log"), qint64(0));
}

void TestOperationsStore::auditQueryRoundTrip()
{
    AuditEntry full;
    full.tsMs = 1767225600123;  // 2026-01-01T00:00:00.123Z
    full.actor = u"bob"_s;
    full.action = u"alert.acknowledged"_s;
    full.source = u"broker-2"_s;
    full.devicePath = u"plant/line-3/pump-7"_s;
    full.objectKind = u"alert"_s;
    full.objectId = u"A-17"_s;
    full.beforeJson = uR"({"acked":false})"_s;
    full.afterJson = uR"({"acked":true})"_s;
    full.detail = u"Ölstand geprüft ✓"_s;
    AuditEntry minimal = audit(u"carol"_s, u"session.login"_s, 1767225600999);
    minimal.detail = u""_s;  // empty, not NULL
    const quint64 a = m_store->recordAudit(full);
    const quint64 b = m_store->recordAudit(minimal);
    QTRY_VERIFY(m_outcomes->committed.contains(a) && m_outcomes->committed.contains(b));

    QSignalSpy read(m_store.get(), &OperationsStore::auditRead);
    m_store->queryAudit({});
    QVERIFY(read.wait(10000));
    const auto entries = read.first().at(1).value<QList<AuditEntry>>();
    QCOMPARE(entries.size(), 2);
    full.id = m_outcomes->committed.value(a);
    minimal.id = m_outcomes->committed.value(b);
    QCOMPARE(entries[0], full);
    QCOMPARE(entries[1], minimal);
    QVERIFY(entries[1].source.isNull());
    QVERIFY(!entries[1].detail.isNull());
    RawDb raw(m_path);
    QCOMPARE(raw.integer("SELECT count(*) FROM audit_log WHERE source IS NULL AND detail = ''"), qint64(1));
}

void TestOperationsStore::auditQueryFilters()
{
    const qint64 t = 1767225600000;
    QList<quint64> ids;
    for (int i = 0; i < 10; ++i) {
        AuditEntry e = audit(i % 2 ? u"alice"_s : u"bob"_s, i % 3 ? u"device.command.requested"_s : u"alert.acknowledged"_s,
                             t + i * 1000);
        e.source = u"broker"_s;
        e.devicePath = u"dev-%1"_s.arg(i % 4);
        ids.append(m_store->recordAudit(e));
    }
    QTRY_COMPARE(m_outcomes->committed.size(), 10);

    auto query = [this](const AuditFilter &filter) {
        QSignalSpy read(m_store.get(), &OperationsStore::auditRead);
        m_store->queryAudit(filter);
        QList<qint64> times;
        if (!read.wait(10000))
            return times;
        for (const AuditEntry &e : read.first().at(1).value<QList<AuditEntry>>())
            times.append((e.tsMs - 1767225600000) / 1000);
        return times;
    };
    QCOMPARE(query({}), (QList<qint64>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
    QCOMPARE(query({t + 2000, t + 5000, {}, {}, {}, {}, 0}), (QList<qint64>{2, 3, 4}));
    QCOMPARE(query({0, 0, u"alice"_s, {}, {}, {}, 0}), (QList<qint64>{1, 3, 5, 7, 9}));
    QCOMPARE(query({0, 0, {}, u"alert.acknowledged"_s, {}, {}, 0}), (QList<qint64>{0, 3, 6, 9}));
    QCOMPARE(query({0, 0, {}, {}, u"broker"_s, u"dev-1"_s, 0}), (QList<qint64>{1, 5, 9}));
    QCOMPARE(query({0, 0, {}, {}, {}, {}, 3}), (QList<qint64>{7, 8, 9}));  // the newest three
    QCOMPARE(query({0, 0, u"nobody"_s, {}, {}, {}, 0}), QList<qint64>{});
}

void TestOperationsStore::completionCallbacksFollowTheJob()
{
    const auto job = [](bool succeed) {
        OperationsJob j;
        j.name = succeed ? u"good"_s : u"bad"_s;
        j.run = [succeed](OperationsTransaction &, QString *error) {
            if (!succeed)
                *error = u"refused by the job"_s;
            return succeed;
        };
        return j;
    };
    QList<std::pair<bool, QString>> results;
    const auto record = [&results](bool ok, const QString &reason) { results.append({ok, reason}); };
    QObject context;
    QVERIFY(m_store->submit(job(true), &context, record) > 0);
    QVERIFY(m_store->submit(job(false), &context, record) > 0);
    QTRY_COMPARE(results.size(), 2);
    QCOMPARE(results.at(0), std::make_pair(true, QString()));
    QVERIFY(!results.at(1).first);
    QVERIFY2(results.at(1).second.contains(u"refused by the job"_s), qPrintable(results.at(1).second));
    // A context destroyed before the job ends: no call.
    auto gone = std::make_unique<QObject>();
    QSignalSpy committed(m_store.get(), &OperationsStore::committed);
    QVERIFY(m_store->submit(job(true), gone.get(), record) > 0);
    gone.reset();
    QVERIFY(committed.wait(10000));
    QCOMPARE(results.size(), 2);
}

QTEST_GUILESS_MAIN(TestOperationsStore)
#include "test_operations_store.moc"
