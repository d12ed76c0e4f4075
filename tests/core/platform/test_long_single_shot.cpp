// LongSingleShot: a duration longer than one QTimer step (in the app a day; here a few
// milliseconds) fires once, at the deadline, not at the first step; a duration beyond what a
// QTimer's int can hold (~24.8 days) is accepted without wrapping into "at once".
#include "core/platform/long_single_shot.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace fd;

class TestLongSingleShot : public QObject
{
    Q_OBJECT
private slots:
    void firesOnceAtTheDeadlineAcrossSteps();
    void monthsDoNotWrapAround();
    void stopCancels();
};

void TestLongSingleShot::firesOnceAtTheDeadlineAcrossSteps()
{
    LongSingleShot timer;
    timer.setMaxStepMs(20);
    QSignalSpy fired(&timer, &LongSingleShot::timeout);
    QElapsedTimer clock;
    clock.start();
    timer.start(150);  // 8 steps of 20 ms
    QVERIFY(fired.wait(2000));
    QVERIFY2(clock.elapsed() >= 145, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(fired.size(), 1);
    QVERIFY(!timer.isActive());
    QVERIFY(!fired.wait(100));  // once
}

void TestLongSingleShot::monthsDoNotWrapAround()
{
    LongSingleShot timer;
    QSignalSpy fired(&timer, &LongSingleShot::timeout);
    const qint64 fortyDays = 40LL * 24 * 3600 * 1000;  // > INT_MAX ms
    timer.start(fortyDays);
    QVERIFY(timer.isActive());
    QVERIFY(timer.remainingMs() > fortyDays - 60000);
    QVERIFY(!fired.wait(200));  // a wrapped int would have fired at once (or never been armed)
}

void TestLongSingleShot::stopCancels()
{
    LongSingleShot timer;
    timer.setMaxStepMs(10);
    QSignalSpy fired(&timer, &LongSingleShot::timeout);
    timer.start(50);
    timer.stop();
    QVERIFY(!fired.wait(150));
}

QTEST_GUILESS_MAIN(TestLongSingleShot)
#include "test_long_single_shot.moc"
