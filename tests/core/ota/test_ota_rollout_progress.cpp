// RolloutProgress: devices per minute over the recent past and the ETA, with no answer before
// there is enough history, samples bounded, clock jumps and retries handled.
#include "core/ota/rollout_progress.h"

#include <QTest>

using namespace fd;

class TestOtaRolloutProgress : public QObject
{
    Q_OBJECT
private slots:
    void unknownWithoutHistory();
    void steadyRate();
    void windowForgetsTheOldPace();
    void fewerFinishedStartsOver();
};

void TestOtaRolloutProgress::unknownWithoutHistory()
{
    RolloutProgress p;
    QCOMPARE(p.devicesPerMinute(1000), 0.0);
    QCOMPARE(p.etaMs(1000, 10), -1);
    QCOMPARE(p.etaMs(1000, 0), 0);
    p.record(0, 0);
    p.record(5000, 5);  // 5 s: not enough
    QCOMPARE(p.devicesPerMinute(5000), 0.0);
    QCOMPARE(p.etaMs(5000, 10), -1);
}

void TestOtaRolloutProgress::steadyRate()
{
    RolloutProgress p;
    for (int s = 0; s <= 60; ++s)
        p.record(qint64(s) * 1000, s / 2);  // one device every 2 s = 30/min
    QCOMPARE(p.devicesPerMinute(60000), 30.0);
    QCOMPARE(p.etaMs(60000, 15), 30000);
    // Sub-second updates replace the last sample instead of piling up.
    for (int i = 0; i < 1000; ++i)
        p.record(60000 + i / 2, 30);
    QCOMPARE(p.devicesPerMinute(60500), 30.0 * 60000.0 / 60500.0);
}

void TestOtaRolloutProgress::windowForgetsTheOldPace()
{
    RolloutProgress p;
    // 10 minutes at 60/min, then 5 minutes at 6/min: the rate is the recent one.
    int finished = 0;
    qint64 t = 0;
    for (; t <= 600000; t += 1000)
        p.record(t, finished++);
    for (; t <= 900000; t += 10000)
        p.record(t, finished += 1);
    QVERIFY2(p.devicesPerMinute(t) < 10.0, qPrintable(QString::number(p.devicesPerMinute(t))));
    QVERIFY(p.devicesPerMinute(t) > 5.0);
}

void TestOtaRolloutProgress::fewerFinishedStartsOver()
{
    RolloutProgress p;
    p.record(0, 0);
    p.record(20000, 10);
    QVERIFY(p.devicesPerMinute(20000) > 0);
    p.record(21000, 9);  // a retry took a device back to pending
    QCOMPARE(p.devicesPerMinute(21000), 0.0);
    p.record(10000, 9);  // the clock went back
    QCOMPARE(p.devicesPerMinute(10000), 0.0);
}

QTEST_GUILESS_MAIN(TestOtaRolloutProgress)
#include "test_ota_rollout_progress.moc"
