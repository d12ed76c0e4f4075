// RolloutTable against a real operations store (OperationsStore on a temp file): insert
// with devices, 'created' event and audit entry; engine decisions applied and read back
// equal to the engine's rows; operator events audited; list and events; a new engine
// built from the stored rows continues.
#include "core/operations/operations_transaction.h"
#include "core/ota/rollout_summary.h"
#include "core/ota/rollout_table.h"
#include "tests/core/operations/operations_test_support.h"
#include "tests/core/ota/ota_rollout_harness.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace fd;
using namespace fd::rollouttest;
using namespace fd::operationstest;
using namespace Qt::StringLiterals;

class TestOtaRolloutTable : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void insertAndLoad();
    void decisionsRoundTrip();
    void summaryJson();
    void damagedPlanHoldsTheRollout();

private:
    bool run(std::function<bool(OperationsTransaction &, QString *)> job, QString *error = nullptr);
    qint64 insert(Rollout r, QList<RolloutDevice> devices);
    std::pair<Rollout, QList<RolloutDevice>> load(qint64 id);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<OperationsStore> m_store;
    QString m_path;
};

void TestOtaRolloutTable::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(u"fleet.operations.sqlite"_s);
    m_store = std::make_unique<OperationsStore>();
    QVERIFY(openStore(*m_store, m_path).ok());
}

void TestOtaRolloutTable::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

bool TestOtaRolloutTable::run(std::function<bool(OperationsTransaction &, QString *)> job, QString *error)
{
    JobOutcomes outcomes(*m_store);
    const quint64 id = m_store->submit({u"test job"_s, std::move(job)});
    if (id == 0)
        return false;
    if (!QTest::qWaitFor([&] { return outcomes.done(id); }, 10000))
        return false;
    if (error)
        *error = outcomes.failed.value(id);
    return outcomes.committed.contains(id);
}

qint64 TestOtaRolloutTable::insert(Rollout r, QList<RolloutDevice> devices)
{
    auto id = std::make_shared<qint64>(0);
    QString error;
    const bool ok = run(
        [=](OperationsTransaction &tx, QString *e) mutable {
            if (!RolloutTable::insertRollout(tx, &r, &devices, e))
                return false;
            *id = r.id;
            return true;
        },
        &error);
    if (!ok)
        qWarning() << error;
    return *id;
}

std::pair<Rollout, QList<RolloutDevice>> TestOtaRolloutTable::load(qint64 id)
{
    auto out = std::make_shared<std::pair<Rollout, QList<RolloutDevice>>>();
    run([=](OperationsTransaction &tx, QString *e) {
        bool found = false;
        return RolloutTable::loadRollout(tx.handle(), id, &out->first, &out->second, &found, e) && found;
    });
    return *out;
}

void TestOtaRolloutTable::insertAndLoad()
{
    RolloutPlan plan;
    plan.canary = 1;
    plan.ratePerMinute = 5;
    plan.abortCriteria = {{RolloutAbortCriterion::Kind::Failed, 10, 5}};
    plan.window = MaintenanceWindow{60, 120};
    auto [rollout, devices] = makeRollout(6, plan);
    rollout.id = 0;
    rollout.uid.clear();
    rollout.targetsJson = uR"({"site":["paris"]})"_s;
    const qint64 id = insert(rollout, devices);
    QVERIFY(id > 0);
    const qint64 second = insert(rollout, devices);
    QCOMPARE(second, id + 1);

    const auto [back, rows] = load(id);
    QCOMPARE(back.id, id);
    QVERIFY(QRegularExpression(u"^[0-9a-f]{8}$"_s).match(back.uid).hasMatch());
    QVERIFY(back.uid != load(second).first.uid);
    QCOMPARE(back.plan, plan);
    QCOMPARE(back.name, rollout.name);
    QCOMPARE(back.state, RolloutState::Scheduled);
    QCOMPARE(back.targetsJson, rollout.targetsJson);
    QCOMPARE(back.createdBy, u"alice"_s);
    QCOMPARE(rows.size(), 6);
    for (qsizetype i = 0; i < rows.size(); ++i) {
        RolloutDevice expected = devices[i];
        expected.rolloutId = id;
        QCOMPARE(rows[i], expected);
    }
    QCOMPARE(rows[0].wave, 0);
    QCOMPARE(rows[1].wave, 1);

    auto events = std::make_shared<QList<RolloutEvent>>();
    auto list = std::make_shared<QList<Rollout>>();
    QVERIFY(run([=](OperationsTransaction &tx, QString *e) {
        return RolloutTable::events(tx.handle(), id, events.get(), e)
               && RolloutTable::listRollouts(tx.handle(), list.get(), e);
    }));
    QCOMPARE(events->size(), 1);
    QCOMPARE(events->first().kind, u"created"_s);
    QCOMPARE(events->first().actor, u"alice"_s);
    QCOMPARE(list->size(), 2);
    QCOMPARE(list->first().id, second);  // newest first

    RawDb raw(m_path);
    QCOMPARE(raw.integer("SELECT count(*) FROM audit_log WHERE action = 'rollout.created' AND object_kind = 'rollout'"),
             qint64(2));
    QCOMPARE(raw.integer(QByteArray("SELECT count(*) FROM audit_log WHERE object_id = '") + QByteArray::number(id)
                         + "' AND actor = 'alice'"),
             qint64(1));
    // Unknown id: not found, no error.
    QVERIFY(!run([](OperationsTransaction &tx, QString *e) {
        Rollout r;
        QList<RolloutDevice> d;
        bool found = true;
        return RolloutTable::loadRollout(tx.handle(), 999, &r, &d, &found, e) && found;
    }));
}

void TestOtaRolloutTable::decisionsRoundTrip()
{
    RolloutPlan plan;
    plan.ratePerMinute = 3;
    plan.retries = 1;
    auto [rollout, devices] = makeRollout(5, plan);
    const qint64 id = insert(rollout, devices);
    QVERIFY(id > 0);
    auto [stored, rows] = load(id);
    Harness h(stored, rows);

    // The runner's loop: decide, commit, then tell the engine.
    const auto commit = [&](const RolloutDecision &d) {
        const RolloutChanges changes = d.changes;
        QString error;
        if (!run([=](OperationsTransaction &tx, QString *e) { return RolloutTable::applyChanges(tx, changes, e); },
                 &error)) {
            qWarning() << error;
            return false;
        }
        h.apply(d);
        return true;
    };
    const RolloutDecision started = h.engine.start(h.now, u"alice"_s);
    QVERIFY(commit(started));
    for (const OtaJobOrder &o : started.publishJobs)
        QVERIFY(commit(h.engine.jobPublished(o.device, o.jobId, h.now)));
    OtaStatus s;
    s.jobId = h.row(0).jobId;
    s.state = OtaDeviceState::Updated;
    s.fwVersion = u"2.4.0"_s;
    QVERIFY(commit(h.engine.statusReceived(keyOf(0), s, h.now)));
    s.jobId = h.row(1).jobId;
    s.state = OtaDeviceState::Failed;
    s.reason = u"download failed: broken pipe"_s;
    QVERIFY(commit(h.engine.statusReceived(keyOf(1), s, h.now)));
    QVERIFY(commit(h.engine.pause(h.now, u"bob"_s, u"lunch"_s)));

    const auto [back, backRows] = load(id);
    QCOMPARE(back, h.engine.rollout());
    QCOMPARE(backRows, h.engine.devices());
    QCOMPARE(back.state, RolloutState::Paused);
    QCOMPARE(backRows[1].state, OtaDeviceState::Pending);  // retry waits for a rate slot
    QCOMPARE(backRows[1].attempt, 1);

    auto events = std::make_shared<QList<RolloutEvent>>();
    QVERIFY(run([=](OperationsTransaction &tx, QString *e) { return RolloutTable::events(tx.handle(), id, events.get(), e); }));
    QStringList kinds;
    for (const RolloutEvent &e : *events)
        kinds.append(e.kind);
    QCOMPARE(kinds, (QStringList{u"created"_s, u"started"_s, u"wave_started"_s, u"paused"_s}));
    RawDb raw(m_path);
    QCOMPARE(raw.integer("SELECT count(*) FROM audit_log WHERE action = 'rollout.started' AND actor = 'alice'"), qint64(1));
    QCOMPARE(raw.integer("SELECT count(*) FROM audit_log WHERE action = 'rollout.paused' AND actor = 'bob'"
                         " AND detail = 'lunch' AND after_json LIKE '%\"state\":\"paused\"%'"),
             qint64(1));
    QCOMPARE(raw.integer("SELECT count(*) FROM audit_log WHERE action = 'rollout.wave_started'"), qint64(0));

    // A restarted runner: a new engine from the stored rows resumes; the retry goes out
    // once a slot frees, and nothing already sent is sent again.
    Harness again(back, backRows);
    again.now = h.now + 60000;
    const RolloutDecision resumed = again.engine.resume(again.now, u"bob"_s);
    QCOMPARE(resumed.publishJobs.size(), 3);
    QCOMPARE(resumed.publishJobs[0].device, keyOf(1));
    QCOMPARE(resumed.publishJobs[0].jobId, back.uid + u"-2"_s);
    QCOMPARE(resumed.publishJobs[1].device, keyOf(3));
}

void TestOtaRolloutTable::summaryJson()
{
    RolloutPlan plan;
    plan.canary = 1;
    Harness h(3, plan);
    h.start();
    h.report(0, OtaDeviceState::Updated);
    h.report(1, OtaDeviceState::Rejected, u"version 2.3.0 is older than the installed 2.4.0"_s);
    const QJsonObject o = RolloutSummary::statusJson(h.engine.rollout(), h.engine.devices(), u"2.4.0"_s);
    QCOMPARE(o.value(u"id"_s).toInteger(), 7);
    QCOMPARE(o.value(u"version"_s).toString(), u"2.4.0"_s);
    QCOMPARE(o.value(u"state"_s).toString(), u"running"_s);
    const QJsonObject counts = o.value(u"counts"_s).toObject();
    QCOMPARE(counts.size(), qsizetype(kAllOtaDeviceStates.size()));
    QCOMPARE(counts.value(u"updated"_s).toInt(), 1);
    QCOMPARE(counts.value(u"rejected"_s).toInt(), 1);
    QCOMPARE(counts.value(u"sent"_s).toInt(), 1);
    QCOMPARE(counts.value(u"timed_out"_s).toInt(), 0);
    const QJsonArray waves = o.value(u"waves"_s).toArray();
    QCOMPARE(waves.size(), 2);
    QCOMPARE(waves[0].toObject().value(u"name"_s).toString(), u"canary"_s);
    QCOMPARE(waves[1].toObject().value(u"size"_s).toInt(), 2);
    QCOMPARE(o.value(u"devices"_s).toObject().value(u"dev-001"_s).toString(), u"rejected"_s);
    QCOMPARE(o.value(u"reasons"_s).toObject().value(u"version 2.3.0 is older than the installed 2.4.0"_s).toInt(), 1);
    QVERIFY(o.value(u"started"_s).toString().startsWith(u"2025-11-30T"_s));
    QCOMPARE(o.value(u"finished"_s).toString(), QString());
}

void TestOtaRolloutTable::damagedPlanHoldsTheRollout()
{
    auto [rollout, devices] = makeRollout(2, RolloutPlan{});
    rollout.state = RolloutState::Running;
    const qint64 id = insert(rollout, devices);
    QVERIFY(id > 0);
    {
        RawDb raw(m_path);
        QVERIFY(raw.exec("UPDATE rollouts SET plan = '{\"retries\":99}'").isEmpty());
    }
    const auto [back, rows] = load(id);
    QCOMPARE(back.state, RolloutState::Paused);
    QVERIFY2(back.stateReason.startsWith(u"the stored plan cannot be read (retries: 0 to 10"_s)
                 || back.stateReason.startsWith(u"the stored plan cannot be read (plan: \"retries\""_s),
             qPrintable(back.stateReason));
    QCOMPARE(rows.size(), 2);
    // A paused engine on it dispatches nothing.
    Harness h(back, rows);
    QVERIFY(h.engine.tick(h.now).publishJobs.isEmpty());
}

QTEST_GUILESS_MAIN(TestOtaRolloutTable)
#include "test_ota_rollout_table.moc"
