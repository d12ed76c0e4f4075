// RolloutEngine transition tables: waves (next wave, pause for approval, success threshold),
// abort criteria after minExecuted, rate limits (rolling minute, exponential increase),
// timeouts and retries (new job id per attempt, stale statuses ignored), operator actions,
// start time and maintenance window, committed() semantics, and a restart from the rows.
#include "tests/core/ota/ota_rollout_harness.h"
#include "tests/support/linear_cost.h"

#include <QDateTime>
#include <QTest>

using namespace fd;
using namespace fd::rollouttest;
using namespace Qt::StringLiterals;

class TestOtaRolloutEngine : public QObject
{
    Q_OBJECT
private slots:
    void startDispatchesTheFirstWave();
    void wavesAdvanceAndComplete();
    void pauseForApproval();
    void belowThresholdPauses();
    void lastWaveBelowThresholdPausesThenCompletes();
    void abortCriterionAfterMinExecuted();
    void abortCriterionKinds();
    void rateLimitRollingMinute();
    void rateExponentialIncrease();
    void timeoutRetriesWithNewJobIds();
    void failedRetriedRejectedNot();
    void statusesNeverGoBackwards();
    void pauseAndResume();
    void operatorAbortLetsInProgressFinish();
    void cancelClearsEverything();
    void startTimeAndWindow();
    void decisionNotCommittedChangesNothing();
    void restartContinuesWithoutRedispatch();
    void nextDeadline();
    void costPerStatusIsFlat();
};

static RolloutPlan plan(const QString &waves = u"100%"_s)
{
    RolloutPlan p;
    QString error;
    p.waves = *RolloutPlan::parseWaves(waves, &error);
    return p;
}

void TestOtaRolloutEngine::startDispatchesTheFirstWave()
{
    Harness h(10, plan(u"20%,100%"_s));
    QCOMPARE(h.engine.rollout().state, RolloutState::Scheduled);
    const RolloutDecision d = h.engine.start(h.now, u"alice"_s);
    // Nothing moved before the commit.
    QCOMPARE(h.engine.rollout().state, RolloutState::Scheduled);
    QCOMPARE(h.count(OtaDeviceState::Pending), 10);
    QVERIFY(d.changes.rollout);
    QCOMPARE(d.changes.rollout->state, RolloutState::Running);
    QCOMPARE(d.changes.rollout->currentWave, 1);
    QCOMPARE(d.changes.rollout->startedMs, h.now);
    QCOMPARE(d.publishJobs.size(), 2);
    QCOMPARE(d.publishJobs[0].jobId, u"abcd1234-1"_s);
    QCOMPARE(d.publishJobs[0].device, keyOf(0));
    QCOMPARE(d.publishJobs[0].deviceId, u"dev-000"_s);
    QCOMPARE(d.publishJobs[1].device, keyOf(1));
    QCOMPARE(d.changes.devices.size(), 2);
    for (const RolloutDevice &row : d.changes.devices) {
        QCOMPARE(row.state, OtaDeviceState::Dispatching);
        QCOMPARE(row.attempt, 1);
        QCOMPARE(row.dispatchedMs, h.now);
    }
    QCOMPARE(d.changes.events.size(), 2);
    QCOMPARE(d.changes.events[0].kind, u"started"_s);
    QVERIFY(d.changes.events[0].operatorAction);
    QCOMPARE(d.changes.events[0].actor, u"alice"_s);
    QCOMPARE(d.changes.events[1].kind, u"wave_started"_s);

    h.apply(d);
    QCOMPARE(h.engine.rollout().state, RolloutState::Running);
    QCOMPARE(h.inState(OtaDeviceState::Dispatching), (QList<int>{0, 1}));
    // PUBACK -> sent; a second PUBACK or one for another job id changes nothing.
    const RolloutDecision ack = h.engine.jobPublished(keyOf(0), u"abcd1234-1"_s, h.now);
    QCOMPARE(ack.changes.devices.size(), 1);
    QCOMPARE(ack.changes.devices[0].state, OtaDeviceState::Sent);
    h.apply(ack);
    QVERIFY(h.engine.jobPublished(keyOf(0), u"abcd1234-1"_s, h.now).isEmpty());
    QVERIFY(h.engine.jobPublished(keyOf(1), u"abcd1234-2"_s, h.now).isEmpty());
    QVERIFY(h.engine.jobPublished(keyOf(9), u"abcd1234-1"_s, h.now).isEmpty());
    // start() again (or a tick) dispatches nothing more in this wave.
    QVERIFY(h.engine.start(h.now, u"alice"_s).publishJobs.isEmpty());
    QVERIFY(h.engine.tick(h.now + 1000).publishJobs.isEmpty());
}

void TestOtaRolloutEngine::wavesAdvanceAndComplete()
{
    RolloutPlan p = plan(u"50%,100%"_s);
    p.canary = 2;
    Harness h(12, p);  // canary 2, wave 1: 5, wave 2: 5
    h.start();
    QCOMPARE(h.engine.rollout().currentWave, 0);
    QCOMPARE(h.published.size(), 2);
    h.report(0, OtaDeviceState::Downloading);
    QCOMPARE(h.row(0).state, OtaDeviceState::Downloading);
    h.report(0, OtaDeviceState::Updated);
    QCOMPARE(h.row(0).toVersion, u"2.4.0"_s);
    QCOMPARE(h.row(0).progress, 100);
    QVERIFY(h.cleared.contains(keyOf(0)));
    QCOMPARE(h.engine.rollout().currentWave, 0);
    const RolloutDecision d = h.report(1, OtaDeviceState::Updated);
    QCOMPARE(h.engine.rollout().currentWave, 1);
    QCOMPARE(d.publishJobs.size(), 5);
    QCOMPARE(d.publishJobs.first().device, keyOf(2));
    QVERIFY(h.eventKinds().contains(u"wave_finished"_s));
    for (int i = 2; i < 7; ++i)
        h.report(i, OtaDeviceState::Updated);
    QCOMPARE(h.engine.rollout().currentWave, 2);
    for (int i = 7; i < 12; ++i)
        h.report(i, OtaDeviceState::Updated);
    QCOMPARE(h.engine.rollout().state, RolloutState::Completed);
    QCOMPARE(h.engine.rollout().finishedMs, h.now);
    QCOMPARE(h.count(OtaDeviceState::Updated), 12);
    QCOMPARE(h.published.size(), 12);  // each device exactly once
    QCOMPARE(h.eventKinds().last(), u"completed"_s);
    QCOMPARE(h.engine.nextDeadlineMs(), 0);
    // Nothing changes after the end.
    QVERIFY(h.engine.tick(h.now + 3600000).isEmpty());
    QVERIFY(h.engine.pause(h.now, u"bob"_s, {}).isEmpty());
}

void TestOtaRolloutEngine::pauseForApproval()
{
    RolloutPlan p = plan(u"25%,100%"_s);
    p.afterWave = RolloutPlan::AfterWave::PauseForApproval;
    Harness h(8, p);
    h.start();
    h.report(0, OtaDeviceState::Updated);
    h.report(1, OtaDeviceState::Updated);
    QCOMPARE(h.engine.rollout().state, RolloutState::Paused);
    QCOMPARE(h.engine.rollout().stateReason, u"wave 1 finished: 100% updated; approve to start wave 2"_s);
    QCOMPARE(h.engine.rollout().currentWave, 1);
    h.now += 120000;
    QVERIFY(h.tick().publishJobs.isEmpty());
    QCOMPARE(h.events.last().actor, u"fleetdeck"_s);
    const RolloutDecision d = h.applyAndAck(h.engine.resume(h.now, u"bob"_s));
    QCOMPARE(h.engine.rollout().state, RolloutState::Running);
    QCOMPARE(h.engine.rollout().currentWave, 2);
    QCOMPARE(d.publishJobs.size(), 6);
    QVERIFY(d.changes.events.first().operatorAction);
    QCOMPARE(d.changes.events.first().kind, u"resumed"_s);
}

void TestOtaRolloutEngine::belowThresholdPauses()
{
    RolloutPlan p = plan(u"100%"_s);
    p.canary = 2;
    Harness h(10, p);
    h.start();
    h.report(0, OtaDeviceState::Updated);
    h.report(1, OtaDeviceState::Failed, u"download failed: checksum"_s);
    QCOMPARE(h.engine.rollout().state, RolloutState::Paused);
    QCOMPARE(h.engine.rollout().stateReason, u"canary: 50% updated, below the 80% threshold"_s);
    QCOMPARE(h.count(OtaDeviceState::Pending), 8);
    // The operator decides to go on anyway: resume approves wave 1.
    const RolloutDecision d = h.applyAndAck(h.engine.resume(h.now, u"bob"_s));
    QCOMPARE(h.engine.rollout().currentWave, 1);
    QCOMPARE(d.publishJobs.size(), 8);

    // At exactly the threshold it goes on: 4 of 5 = 80%.
    RolloutPlan q = plan(u"50%,100%"_s);
    Harness g(10, q);
    g.start();
    for (int i = 0; i < 4; ++i)
        g.report(i, OtaDeviceState::Updated);
    g.report(4, OtaDeviceState::Rejected, u"version 2.3.0 is older than the installed 2.4.0"_s);
    QCOMPARE(g.engine.rollout().state, RolloutState::Running);
    QCOMPARE(g.engine.rollout().currentWave, 2);
}

void TestOtaRolloutEngine::lastWaveBelowThresholdPausesThenCompletes()
{
    Harness h(4, plan());
    h.start();
    h.report(0, OtaDeviceState::Updated);
    h.report(1, OtaDeviceState::Updated);
    h.report(2, OtaDeviceState::Rejected, u"nope"_s);
    h.report(3, OtaDeviceState::RolledBack, u"boot failed"_s);
    QCOMPARE(h.engine.rollout().state, RolloutState::Paused);
    QCOMPARE(h.engine.rollout().stateReason, u"wave 1: 50% updated, below the 80% threshold"_s);
    h.apply(h.engine.resume(h.now, u"bob"_s));
    QCOMPARE(h.engine.rollout().state, RolloutState::Completed);
}

void TestOtaRolloutEngine::abortCriterionAfterMinExecuted()
{
    // 10% failure over 50 devices trips a 5% threshold, but only after 10 finished.
    RolloutPlan p = plan();
    p.ratePerMinute = 20;
    p.abortCriteria = {{RolloutAbortCriterion::Kind::All, 5, 10}};
    Harness h(50, p);
    h.start();
    QCOMPARE(h.published.size(), 20);
    // Device 0 fails first: 1 of 1 failed, far above 5%, but minExecuted is 10.
    h.report(0, OtaDeviceState::Failed, u"flash write error"_s);
    QCOMPARE(h.engine.rollout().state, RolloutState::Running);
    for (int i = 1; i < 9; ++i)
        h.report(i, OtaDeviceState::Updated);
    QCOMPARE(h.engine.rollout().state, RolloutState::Running);  // 9 finished
    h.report(9, OtaDeviceState::Updated);                         // 10 finished, 1 failed = 10%
    QCOMPARE(h.engine.rollout().state, RolloutState::Aborting);
    QCOMPARE(h.engine.rollout().stateReason,
             u"abort criterion: 1 of 10 finished devices failed (any kind) (10%), threshold 5% after 10"_s);
    // Never dispatched: skipped; dispatched: still in progress.
    QCOMPARE(h.count(OtaDeviceState::Skipped), 30);
    QCOMPARE(h.count(OtaDeviceState::Sent), 10);
    QCOMPARE(h.count(OtaDeviceState::Pending), 0);
    h.now += 120000;
    QVERIFY(h.tick().publishJobs.isEmpty());
    for (int i = 10; i < 19; ++i)
        h.report(i, OtaDeviceState::Updated);
    QCOMPARE(h.engine.rollout().state, RolloutState::Aborting);
    h.report(19, OtaDeviceState::Failed, u"late failure"_s);
    QCOMPARE(h.row(19).state, OtaDeviceState::Failed);  // no retry while aborting
    QCOMPARE(h.engine.rollout().state, RolloutState::Aborted);
    QCOMPARE(h.engine.rollout().finishedMs, h.now);
    QCOMPARE(h.published.size(), 20);
    QCOMPARE(h.eventKinds().last(), u"aborted"_s);
}

void TestOtaRolloutEngine::abortCriterionKinds()
{
    // Only rejections count for a "rejected" criterion.
    RolloutPlan p = plan();
    p.abortCriteria = {{RolloutAbortCriterion::Kind::Rejected, 50, 4}};
    Harness h(6, p);
    h.start();
    h.report(0, OtaDeviceState::Failed, u"x"_s);
    h.report(1, OtaDeviceState::Failed, u"x"_s);
    h.report(2, OtaDeviceState::Rejected, u"x"_s);
    h.report(3, OtaDeviceState::Updated);
    QCOMPARE(h.engine.rollout().state, RolloutState::Running);  // 1 of 4 rejected
    h.report(4, OtaDeviceState::Rejected, u"x"_s);
    QCOMPARE(h.engine.rollout().state, RolloutState::Running);  // 2 of 5 = 40%
    h.report(5, OtaDeviceState::Rejected, u"x"_s);              // 3 of 6 = 50%
    QCOMPARE(h.engine.rollout().state, RolloutState::Aborted);   // nothing left in progress
}

void TestOtaRolloutEngine::rateLimitRollingMinute()
{
    RolloutPlan p = plan();
    p.ratePerMinute = 3;
    Harness h(10, p);
    h.start();
    QCOMPARE(h.published.size(), 3);
    QCOMPARE(h.engine.nextDeadlineMs(), kT0 + 60000);
    h.now = kT0 + 30000;
    QVERIFY(h.tick().publishJobs.isEmpty());
    h.report(0, OtaDeviceState::Updated);  // finishing does not free a slot
    QCOMPARE(h.published.size(), 3);
    h.now = kT0 + 59999;
    QVERIFY(h.tick().publishJobs.isEmpty());
    h.now = kT0 + 60000;
    QCOMPARE(h.tick().publishJobs.size(), 3);
    QCOMPARE(h.published.size(), 6);
    // Spread out: one more at +80 s only when a slot of the +60 s batch frees (+120 s).
    h.now = kT0 + 80000;
    QVERIFY(h.tick().publishJobs.isEmpty());
    QCOMPARE(h.engine.nextDeadlineMs(), kT0 + 120000);
    h.now = kT0 + 120000;
    QCOMPARE(h.tick().publishJobs.size(), 3);
    // In position order, each once.
    QStringList paths;
    for (const OtaJobOrder &o : h.published)
        paths.append(o.device.path);
    QCOMPARE(paths.size(), 9);
    QCOMPARE(paths.first(), u"dev-000"_s);
    QCOMPARE(paths.last(), u"dev-008"_s);
    QCOMPARE(QSet<QString>(paths.begin(), paths.end()).size(), 9);
}

void TestOtaRolloutEngine::rateExponentialIncrease()
{
    RolloutPlan p = plan();
    p.ratePerMinute = 2;
    p.rateIncreaseFactor = 2;
    p.rateIncreaseEvery = 2;
    Harness h(20, p);
    h.start();
    QCOMPARE(h.published.size(), 2);
    h.report(0, OtaDeviceState::Updated);
    QCOMPARE(h.published.size(), 2);
    h.report(1, OtaDeviceState::Updated);  // 2 updated: rate 4, 2 used this minute
    QCOMPARE(h.published.size(), 4);
    h.report(2, OtaDeviceState::Updated);
    h.report(3, OtaDeviceState::Updated);  // 4 updated: rate 8, 4 used
    QCOMPARE(h.published.size(), 8);
    h.now = kT0 + 60000;
    h.tick();
    QCOMPARE(h.published.size(), 16);  // a fresh minute at rate 8
}

void TestOtaRolloutEngine::timeoutRetriesWithNewJobIds()
{
    RolloutPlan p = plan();
    p.deviceTimeoutS = 60;
    p.retries = 1;
    Harness h(1, p);
    h.start();
    QCOMPARE(h.row(0).jobId, u"abcd1234-1"_s);
    h.report(0, OtaDeviceState::Downloading);
    h.now = kT0 + 59999;
    QVERIFY(h.tick().isEmpty());
    QCOMPARE(h.engine.nextDeadlineMs(), kT0 + 60000);
    h.now = kT0 + 60000;
    const RolloutDecision d = h.tick();
    // Timed out, retried at once with attempt 2; its job is re-published, not cleared.
    QCOMPARE(d.publishJobs.size(), 1);
    QCOMPARE(d.publishJobs[0].jobId, u"abcd1234-2"_s);
    QCOMPARE(d.publishJobs[0].attempt, 2);
    QVERIFY(!d.clearJobs.contains(keyOf(0)));
    QCOMPARE(h.row(0).attempt, 2);
    QCOMPARE(h.row(0).state, OtaDeviceState::Sent);
    QVERIFY(h.row(0).reason.contains(u"attempt 1 timed_out"_s));
    // The late answer of attempt 1 is stale.
    OtaStatus stale;
    stale.jobId = u"abcd1234-1"_s;
    stale.state = OtaDeviceState::Updated;
    QVERIFY(h.engine.statusReceived(keyOf(0), stale, h.now).isEmpty());
    // Attempt 2 times out as well: no retry left.
    h.now = kT0 + 120000;
    const RolloutDecision last = h.tick();
    QVERIFY(last.publishJobs.isEmpty());
    QVERIFY(last.clearJobs.contains(keyOf(0)));
    QCOMPARE(h.row(0).state, OtaDeviceState::TimedOut);
    QCOMPARE(h.row(0).reason, u"no final status within 60 s"_s);
    QCOMPARE(h.jobsByDevice.value(u"dev-000"_s), (QStringList{u"abcd1234-1"_s, u"abcd1234-2"_s}));
    QCOMPARE(h.engine.rollout().state, RolloutState::Paused);  // 0% updated
}

void TestOtaRolloutEngine::failedRetriedRejectedNot()
{
    RolloutPlan p = plan();
    p.retries = 2;
    Harness h(2, p);
    h.start();
    h.report(0, OtaDeviceState::Failed, u"download timed out"_s);
    QCOMPARE(h.row(0).attempt, 2);
    QCOMPARE(h.row(0).jobId, u"abcd1234-2"_s);
    h.report(0, OtaDeviceState::Failed, u"download timed out"_s);
    QCOMPARE(h.row(0).attempt, 3);
    h.report(0, OtaDeviceState::Failed, u"download timed out"_s);
    QCOMPARE(h.row(0).state, OtaDeviceState::Failed);  // attempt 3 > retries 2
    QCOMPARE(h.row(0).reason, u"download timed out"_s);
    h.report(1, OtaDeviceState::Rejected, u"model TH-200 is not listed"_s);
    QCOMPARE(h.row(1).state, OtaDeviceState::Rejected);
    QCOMPARE(h.row(1).attempt, 1);
    QCOMPARE(h.published.size(), 4);
}

void TestOtaRolloutEngine::statusesNeverGoBackwards()
{
    Harness h(2, plan());
    h.start();
    h.report(0, OtaDeviceState::Verified);
    QVERIFY(h.report(0, OtaDeviceState::Downloading).changes.isEmpty());
    QCOMPARE(h.row(0).state, OtaDeviceState::Verified);
    h.report(0, OtaDeviceState::Updated);
    QVERIFY(h.report(0, OtaDeviceState::Failed, u"x"_s).changes.isEmpty());
    QCOMPARE(h.row(0).state, OtaDeviceState::Updated);
    // Progress within a state is taken.
    h.report(1, OtaDeviceState::Downloading);
    OtaStatus s;
    s.jobId = h.row(1).jobId;
    s.state = OtaDeviceState::Downloading;
    s.progress = 55;
    h.apply(h.engine.statusReceived(keyOf(1), s, h.now));
    QCOMPARE(h.row(1).progress, 55);
    s.progress = 400;  // hostile: clamped
    h.apply(h.engine.statusReceived(keyOf(1), s, h.now));
    QCOMPARE(h.row(1).progress, 100);
    // An unknown device, a status without job id.
    QVERIFY(h.engine.statusReceived(DeviceKey(u"x"_s, u"y"_s), s, h.now).isEmpty());
    s.jobId.clear();
    QVERIFY(h.engine.statusReceived(keyOf(1), s, h.now).isEmpty());
}

void TestOtaRolloutEngine::pauseAndResume()
{
    RolloutPlan p = plan();
    p.ratePerMinute = 2;
    Harness h(6, p);
    h.start();
    const RolloutDecision paused = h.apply(h.engine.pause(h.now, u"bob"_s, u"checking the canary"_s));
    QCOMPARE(h.engine.rollout().state, RolloutState::Paused);
    QCOMPARE(h.engine.rollout().stateReason, u"checking the canary"_s);
    QVERIFY(paused.changes.events.first().operatorAction);
    // Devices in progress go on; nothing new is sent.
    h.report(0, OtaDeviceState::Updated);
    QCOMPARE(h.row(0).state, OtaDeviceState::Updated);
    h.now += 300000;
    QVERIFY(h.tick().publishJobs.isEmpty());
    QVERIFY(h.engine.pause(h.now, u"bob"_s, {}).isEmpty());  // already paused
    const RolloutDecision resumed = h.applyAndAck(h.engine.resume(h.now, u"bob"_s));
    QCOMPARE(h.engine.rollout().state, RolloutState::Running);
    QCOMPARE(resumed.publishJobs.size(), 2);
    QVERIFY(h.engine.resume(h.now, u"bob"_s).isEmpty());  // not paused
}

void TestOtaRolloutEngine::operatorAbortLetsInProgressFinish()
{
    RolloutPlan p = plan();
    p.ratePerMinute = 2;
    Harness h(5, p);
    h.start();
    const RolloutDecision d = h.apply(h.engine.abort(h.now, u"bob"_s, u"wrong build"_s));
    QCOMPARE(h.engine.rollout().state, RolloutState::Aborting);
    QCOMPARE(h.engine.rollout().stateReason, u"wrong build"_s);
    QVERIFY(d.clearJobs.isEmpty());
    QCOMPARE(h.count(OtaDeviceState::Skipped), 3);
    h.report(0, OtaDeviceState::Updated);
    QCOMPARE(h.engine.rollout().state, RolloutState::Aborting);
    h.report(1, OtaDeviceState::Updated);
    QCOMPARE(h.engine.rollout().state, RolloutState::Aborted);
    // Aborting a scheduled rollout: aborted at once.
    Harness g(3, plan());
    g.apply(g.engine.abort(g.now, u"bob"_s, {}));
    QCOMPARE(g.engine.rollout().state, RolloutState::Aborted);
    QCOMPARE(g.engine.rollout().stateReason, u"aborted by bob"_s);
    QCOMPARE(g.count(OtaDeviceState::Skipped), 3);
}

void TestOtaRolloutEngine::cancelClearsEverything()
{
    RolloutPlan p = plan();
    p.ratePerMinute = 2;
    Harness h(5, p);
    h.start();
    h.report(0, OtaDeviceState::Updated);
    const RolloutDecision d = h.apply(h.engine.cancel(h.now, u"bob"_s));
    QCOMPARE(h.engine.rollout().state, RolloutState::Cancelled);
    QCOMPARE(h.engine.rollout().finishedMs, h.now);
    QCOMPARE(d.clearJobs, QList<DeviceKey>{keyOf(1)});  // the one in progress
    QCOMPARE(h.count(OtaDeviceState::Cancelled), 4);
    QCOMPARE(h.row(0).state, OtaDeviceState::Updated);  // finished devices keep their state
    QVERIFY(d.changes.events.first().operatorAction);
    QCOMPARE(d.changes.events.first().kind, u"cancelled"_s);
    // Later statuses and actions are ignored.
    OtaStatus s;
    s.jobId = u"abcd1234-1"_s;
    s.state = OtaDeviceState::Updated;
    QVERIFY(h.engine.statusReceived(keyOf(1), s, h.now).isEmpty());
    QVERIFY(h.engine.resume(h.now, u"bob"_s).isEmpty());
    QVERIFY(h.engine.cancel(h.now, u"bob"_s).isEmpty());
    QVERIFY(h.engine.tick(h.now + 10000000).isEmpty());
}

void TestOtaRolloutEngine::startTimeAndWindow()
{
    const qint64 oneAm = QDateTime::fromString(u"2026-12-01T01:00:00Z"_s, Qt::ISODate).toMSecsSinceEpoch();
    RolloutPlan p = plan();
    p.startAtMs = oneAm + 30 * 60000;  // 01:30
    p.window = MaintenanceWindow{2 * 60, 4 * 60};  // 02:00-04:00 UTC
    Harness h(3, p);
    h.now = oneAm;
    QVERIFY(h.engine.start(h.now, u"alice"_s).isEmpty());  // waits for its start time
    QCOMPARE(h.engine.nextDeadlineMs(), p.startAtMs);
    h.now = p.startAtMs;
    const RolloutDecision started = h.tick();
    QCOMPARE(h.engine.rollout().state, RolloutState::Running);
    QCOMPARE(started.changes.events.first().actor, u"fleetdeck"_s);
    QVERIFY(started.publishJobs.isEmpty());  // outside the window
    QCOMPARE(h.engine.nextDeadlineMs(), oneAm + 60 * 60000);  // 02:00
    h.now = oneAm + 60 * 60000;
    QCOMPARE(h.tick().publishJobs.size(), 3);
}

void TestOtaRolloutEngine::decisionNotCommittedChangesNothing()
{
    Harness h(4, plan());
    const Rollout before = h.engine.rollout();
    const QList<RolloutDevice> rowsBefore = h.engine.devices();
    const RolloutDecision first = h.engine.start(h.now, u"alice"_s);
    QCOMPARE(h.engine.rollout(), before);
    QCOMPARE(h.engine.devices(), rowsBefore);
    // The store failed: the same question gives the same answer (same job ids).
    const RolloutDecision again = h.engine.start(h.now, u"alice"_s);
    QCOMPARE(again.publishJobs, first.publishJobs);
    QCOMPARE(again.changes.devices, first.changes.devices);
    h.apply(again);
    QCOMPARE(h.engine.rollout().state, RolloutState::Running);
    QCOMPARE(h.engine.devices().first().state, OtaDeviceState::Dispatching);
    QCOMPARE(h.engine.devices().first().updatedMs, h.now);
}

void TestOtaRolloutEngine::restartContinuesWithoutRedispatch()
{
    RolloutPlan p = plan();
    p.ratePerMinute = 4;
    Harness h(10, p);
    // Dispatch 4; the runner publishes only two of them before it dies.
    const RolloutDecision d = h.apply(h.engine.start(h.now, u"alice"_s));
    QCOMPARE(d.publishJobs.size(), 4);
    h.apply(h.engine.jobPublished(keyOf(0), d.publishJobs[0].jobId, h.now));
    h.apply(h.engine.jobPublished(keyOf(1), d.publishJobs[1].jobId, h.now));
    h.report(0, OtaDeviceState::Updated);

    // A new engine from the committed rows.
    Harness again(h.engine.rollout(), h.engine.devices());
    again.now = h.now + 1000;
    const RolloutDecision resumed = again.engine.start(again.now, u"alice"_s);
    QVERIFY(resumed.publishJobs.isEmpty());  // dispatching rows are the runner's; rate used up
    QVERIFY(resumed.changes.events.isEmpty());
    QCOMPARE(again.inState(OtaDeviceState::Dispatching), (QList<int>{2, 3}));
    // The runner reconciles: one was published after all, the other it publishes now.
    again.apply(again.engine.jobPublished(keyOf(2), u"abcd1234-1"_s, again.now));
    again.apply(again.engine.jobPublished(keyOf(3), u"abcd1234-1"_s, again.now));
    again.now = kT0 + 60000;
    const RolloutDecision next = again.tick();
    QCOMPARE(next.publishJobs.size(), 4);
    QCOMPARE(next.publishJobs.first().device, keyOf(4));
    for (const OtaJobOrder &o : next.publishJobs)
        QVERIFY(o.device != keyOf(2) && o.device != keyOf(3));
}

void TestOtaRolloutEngine::nextDeadline()
{
    RolloutPlan p = plan();
    p.deviceTimeoutS = 600;
    Harness h(2, p);
    QCOMPARE(h.engine.nextDeadlineMs(), 1);  // scheduled, due now
    h.start();
    QCOMPARE(h.engine.nextDeadlineMs(), kT0 + 600000);  // the device timeout
    h.report(0, OtaDeviceState::Updated);
    h.report(1, OtaDeviceState::Updated);
    QCOMPARE(h.engine.nextDeadlineMs(), 0);
}

// A whole rollout (dispatch, two statuses per device, waves) costs about the same per device
// for 1 000 and for 8 000 devices: no decision scans every row.
void TestOtaRolloutEngine::costPerStatusIsFlat()
{
    const auto runRollout = [](int n) {
        RolloutPlan p = plan(u"10%,50%,100%"_s);
        p.abortCriteria = {{RolloutAbortCriterion::Kind::All, 50, 10}};
        auto [r, rows] = makeRollout(n, p);
        RolloutEngine engine(r, rows);
        const qint64 now = kT0;
        const auto apply = [&](const RolloutDecision &d) {
            engine.committed(d.changes);
            for (const OtaJobOrder &o : d.publishJobs)
                engine.committed(engine.jobPublished(o.device, o.jobId, now).changes);
        };
        apply(engine.start(now, u"alice"_s));
        for (int wave = 0; wave < 3; ++wave) {
            for (qsizetype i = 0; i < engine.devices().size(); ++i) {
                const RolloutDevice &row = engine.devices()[i];
                if (row.state != OtaDeviceState::Sent)
                    continue;
                OtaStatus s;
                s.jobId = row.jobId;
                s.state = OtaDeviceState::Downloading;
                s.progress = 50;
                apply(engine.statusReceived(row.key, s, now));
                s.state = OtaDeviceState::Updated;
                apply(engine.statusReceived(engine.devices()[i].key, s, now));
            }
        }
        QCOMPARE(engine.rollout().state, RolloutState::Completed);
    };
    const double small = fd::test::bestNsPerUnit([&] { runRollout(1000); }, 1000, 3);
    const double large = fd::test::bestNsPerUnit([&] { runRollout(8000); }, 8000, 2);
    // Quadratic work would cost 8 times more per device; allow noise and cache effects.
    QVERIFY2(large < small * 4, qPrintable(u"%1 ns vs %2 ns per device"_s.arg(large).arg(small)));
}

QTEST_GUILESS_MAIN(TestOtaRolloutEngine)
#include "test_ota_rollout_engine.moc"
