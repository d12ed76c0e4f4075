// RetentionPolicy: the rule "a coarser level never expires before a finer one", as checked
// for what an operator enters, as applied (normalized) and when a change shortens a level.
#include "core/storage/retention_policy.h"

#include <QTest>

using namespace fd;

class TestRetentionPolicy : public QObject
{
    Q_OBJECT
private slots:
    void defaultsAreValid();
    void validation_data();
    void validation();
    void normalizedRaisesCoarserLevels();
    void shorterThan();
};

void TestRetentionPolicy::defaultsAreValid()
{
    const RetentionPolicy p;
    QCOMPARE(p.rawDays, 7);
    QCOMPARE(p.minuteDays, 90);
    QCOMPARE(p.hourDays, 730);
    QVERIFY(p.isValid());
    QCOMPARE(p.normalized(), p);
}

void TestRetentionPolicy::validation_data()
{
    QTest::addColumn<int>("raw");
    QTest::addColumn<int>("minute");
    QTest::addColumn<int>("hour");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("equal levels") << 30 << 30 << 30 << true << QString();
    QTest::newRow("all forever") << 0 << 0 << 0 << true << QString();
    QTest::newRow("rollups forever") << 7 << 0 << 0 << true << QString();
    QTest::newRow("hour forever") << 7 << 90 << 0 << true << QString();
    QTest::newRow("minute before raw") << 30 << 10 << 730 << false << QStringLiteral("30 days");
    QTest::newRow("hour before minute") << 7 << 90 << 60 << false << QStringLiteral("90 days");
    QTest::newRow("raw forever, minute not") << 0 << 90 << 730 << false << QStringLiteral("forever");
    QTest::newRow("minute forever, hour not") << 7 << 0 << 730 << false << QStringLiteral("forever");
    QTest::newRow("negative") << -1 << 90 << 730 << false << QString();
    QTest::newRow("too long") << 7 << 90 << RetentionPolicy::kMaxDays + 1 << false << QString();
}

void TestRetentionPolicy::validation()
{
    QFETCH(int, raw);
    QFETCH(int, minute);
    QFETCH(int, hour);
    QFETCH(bool, valid);
    QFETCH(QString, mentions);
    QString problem;
    QCOMPARE((RetentionPolicy{raw, minute, hour}).isValid(&problem), valid);
    QCOMPARE(problem.isEmpty(), valid);
    if (!mentions.isEmpty())
        QVERIFY2(problem.contains(mentions), qPrintable(problem));
    QVERIFY((RetentionPolicy{raw, minute, hour}).normalized().isValid());
}

void TestRetentionPolicy::normalizedRaisesCoarserLevels()
{
    QCOMPARE((RetentionPolicy{30, 10, 20}).normalized(), (RetentionPolicy{30, 30, 30}));
    QCOMPARE((RetentionPolicy{0, 10, 20}).normalized(), (RetentionPolicy{0, 0, 0}));
    QCOMPARE((RetentionPolicy{7, 0, 20}).normalized(), (RetentionPolicy{7, 0, 0}));
    QCOMPARE((RetentionPolicy{-5, 10, 20}).normalized(), (RetentionPolicy{0, 0, 0}));  // negative: forever, as the writer reads it
    QCOMPARE((RetentionPolicy{7, 90, 1000000}).normalized(), (RetentionPolicy{7, 90, RetentionPolicy::kMaxDays}));
}

void TestRetentionPolicy::shorterThan()
{
    const RetentionPolicy defaults;
    QVERIFY((RetentionPolicy{3, 90, 730}).isShorterThan(defaults));
    QVERIFY((RetentionPolicy{7, 30, 730}).isShorterThan(defaults));
    QVERIFY((RetentionPolicy{7, 90, 365}).isShorterThan(defaults));
    QVERIFY(!(RetentionPolicy{14, 90, 730}).isShorterThan(defaults));
    QVERIFY(!(RetentionPolicy{0, 0, 0}).isShorterThan(defaults));
    QVERIFY(!defaults.isShorterThan(defaults));
    QVERIFY(defaults.isShorterThan(RetentionPolicy{0, 0, 0}));  // forever -> limited
    QVERIFY((RetentionPolicy{7, 90, 0}).isShorterThan(RetentionPolicy{7, 0, 0}));
    // Compared as applied: raising raw to 100 days raises the minute level too.
    QVERIFY(!(RetentionPolicy{100, 90, 730}).isShorterThan(defaults));
}

QTEST_GUILESS_MAIN(TestRetentionPolicy)
#include "test_retention_policy.moc"
