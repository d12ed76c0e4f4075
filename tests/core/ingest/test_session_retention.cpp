// FleetSession::setRetention on a real temp SQLite cache: a shorter limit prunes raw rows
// and rollups older than it at once, a longer one deletes nothing; CacheStatistics counts.
#include "core/ingest/fleet_session.h"
#include "core/storage/cache_statistics.h"

#include "tests/support/aged_telemetry.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

class TestSessionRetention : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void shorterLimitPrunesAtOnce();
    void longerLimitDeletesNothing();
    void retentionGivenBeforeOpenAppliesAtStart();

private:
    // Rows of one series at these ages (days), written with retention off.
    void fill(const QList<double> &agesInDays);
    CacheStatistics counts();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void TestSessionRetention::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(u"cache.sqlite"_s);
}

void TestSessionRetention::fill(const QList<double> &agesInDays)
{
    QString error;
    QVERIFY2(testsupport::writeAgedTelemetry(m_path, agesInDays, {{u"humidity"_s, 40.0}}, &error), qPrintable(error));
}

CacheStatistics TestSessionRetention::counts()
{
    QString error;
    const CacheStatistics s = CacheStatistics::read(m_path, &error);
    [&] { QVERIFY2(s.hasCounts(), qPrintable(error)); }();
    return s;
}

void TestSessionRetention::shorterLimitPrunesAtOnce()
{
    fill({0.5, 3, 10, 100, 800});
    FleetSession session(FleetSession::Options{.retention = (RetentionPolicy{0, 0, 0})});
    QSignalSpy pruned(&session, &FleetSession::pruned);
    QVERIFY(session.open(m_path).ok());
    QVERIFY(pruned.wait(5000));  // the pass at start, keeping everything
    QCOMPARE(counts().rawRows, 5);
    QCOMPARE(counts().minuteRows, 5);
    QCOMPARE(counts().hourRows, 5);
    QVERIFY(counts().fileBytes > 0);

    pruned.clear();
    QVERIFY(session.setRetention(RetentionPolicy{7, 90, 730}));
    QCOMPARE(session.retention(), (RetentionPolicy{7, 90, 730}));
    QVERIFY(pruned.wait(5000));
    QCOMPARE(pruned.constFirst().constFirst().toLongLong(), 3);  // raw rows of 10, 100, 800 days
    const CacheStatistics after = counts();
    QCOMPARE(after.rawRows, 2);     // 0.5 and 3 days
    QCOMPARE(after.minuteRows, 3);  // + 10 days
    QCOMPARE(after.hourRows, 4);    // + 100 days

    // An invalid combination is applied as the writer would: coarser levels raised.
    pruned.clear();
    QVERIFY(session.setRetention(RetentionPolicy{1, 0, 5}));  // minute "forever" below a finite hour
    QCOMPARE(session.retention(), (RetentionPolicy{1, 0, 0}));
    QVERIFY(pruned.wait(5000));
    QCOMPARE(counts().rawRows, 1);
    QCOMPARE(counts().minuteRows, 3);
    QCOMPARE(counts().hourRows, 4);
}

void TestSessionRetention::longerLimitDeletesNothing()
{
    fill({0.5, 10});
    FleetSession session(FleetSession::Options{.retention = (RetentionPolicy{30, 90, 730})});
    QSignalSpy pruned(&session, &FleetSession::pruned);
    QVERIFY(session.open(m_path).ok());
    QVERIFY(pruned.wait(5000));
    pruned.clear();
    QVERIFY(!session.setRetention(RetentionPolicy{60, 90, 730}));
    QVERIFY(!session.setRetention(RetentionPolicy{0, 0, 0}));
    QVERIFY(!pruned.wait(300));
    QCOMPARE(counts().rawRows, 2);
}

void TestSessionRetention::retentionGivenBeforeOpenAppliesAtStart()
{
    fill({0.5, 3, 10});
    FleetSession session;
    QVERIFY(!session.setRetention(RetentionPolicy{2, 2, 2}));  // not open yet: applied by open()
    QSignalSpy pruned(&session, &FleetSession::pruned);
    QVERIFY(session.open(m_path).ok());
    QVERIFY(pruned.wait(5000));
    QCOMPARE(pruned.constFirst().constFirst().toLongLong(), 2);
    session.shutdown();
    QCOMPARE(counts().rawRows, 1);
}

QTEST_GUILESS_MAIN(TestSessionRetention)
#include "test_session_retention.moc"
