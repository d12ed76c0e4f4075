// The pure helpers of the commissioning GUI: LabelScan (what a scanner types), SafeFileName
// (file names from device text) and ModelExpectations (first-telemetry checks per model).
#include "models/label_scan.h"
#include "models/model_expectations.h"
#include "models/safe_file_name.h"

#include <QTest>

using namespace fd;

class TestCommissioningHelpers : public QObject
{
    Q_OBJECT
private slots:
    void scanSplitsAtSemicolonOrTab();
    void scanWithoutSeparatorIsASerial();
    void serialAndClaimProblemsInPlainWords();
    void safeFileNameNeverLeavesTheFolder();
    void th100RangesMatchWhatTheSimulatorSends();
    void unknownModelHasNoChecks();
};

void TestCommissioningHelpers::scanSplitsAtSemicolonOrTab()
{
    LabelScan s = LabelScan::parse(QStringLiteral("SN-42-0001;K7F2-99QA"));
    QVERIFY(s.hasSeparator);
    QCOMPARE(s.serial, QStringLiteral("SN-42-0001"));
    QCOMPARE(s.claim, QStringLiteral("K7F2-99QA"));
    s = LabelScan::parse(QStringLiteral(" SN-42-0001\tK7F2-99QA\r\n"));
    QCOMPARE(s.serial, QStringLiteral("SN-42-0001"));
    QCOMPARE(s.claim, QStringLiteral("K7F2-99QA"));
    s = LabelScan::parse(QStringLiteral("SN-1;CODE;trailer"));
    QCOMPARE(s.claim, QStringLiteral("CODE"));
    s = LabelScan::parse(QStringLiteral("SN-1;"));
    QVERIFY(s.hasSeparator);
    QCOMPARE(s.serial, QStringLiteral("SN-1"));
    QVERIFY(s.claim.isEmpty());
    // Bounded: a hostile "scan" does not grow without end.
    s = LabelScan::parse(QString(10000, u'A') + u';' + QString(10000, u'B'));
    QVERIFY(s.serial.size() <= LabelScan::kMaxSerialLength + 1);
    QVERIFY(s.claim.size() <= LabelScan::kMaxClaimLength + 1);
    QVERIFY(!LabelScan::serialProblem(s.serial).isEmpty());
    QVERIFY(!LabelScan::claimProblem(s.claim).isEmpty());
}

void TestCommissioningHelpers::scanWithoutSeparatorIsASerial()
{
    const LabelScan s = LabelScan::parse(QStringLiteral("  SN-42-0002 "));
    QVERIFY(!s.hasSeparator);
    QCOMPARE(s.serial, QStringLiteral("SN-42-0002"));
    QVERIFY(s.claim.isEmpty());
    QVERIFY(!LabelScan::containsSeparator(QStringLiteral("SN-42")));
    QVERIFY(LabelScan::containsSeparator(QStringLiteral("SN\t42")));
}

void TestCommissioningHelpers::serialAndClaimProblemsInPlainWords()
{
    QVERIFY(LabelScan::serialProblem(QStringLiteral("SN-42-0001")).isEmpty());
    QVERIFY(LabelScan::serialProblem(QStringLiteral("sn_1.a")).isEmpty());
    QVERIFY(LabelScan::serialProblem(QString()).contains(QStringLiteral("serial number")));
    QVERIFY(LabelScan::serialProblem(QStringLiteral("SN 42")).contains(QStringLiteral("a space")));
    QVERIFY(LabelScan::serialProblem(QStringLiteral("SN/42")).contains(QStringLiteral("\"/\"")));
    QVERIFY(!LabelScan::serialProblem(QString(65, u'A')).isEmpty());
    QVERIFY(LabelScan::serialProblem(QString(64, u'A')).isEmpty());
    QVERIFY(LabelScan::claimProblem(QStringLiteral("K7F2-99QA")).isEmpty());
    QVERIFY(!LabelScan::claimProblem(QString()).isEmpty());
    QVERIFY(!LabelScan::claimProblem(QStringLiteral("a\x01b")).isEmpty());
}

void TestCommissioningHelpers::safeFileNameNeverLeavesTheFolder()
{
    QCOMPARE(SafeFileName::part(QStringLiteral("sn-42-0001")), QStringLiteral("sn-42-0001"));
    QCOMPARE(SafeFileName::part(QStringLiteral("../../etc/passwd")), QStringLiteral("etc_passwd"));
    QCOMPARE(SafeFileName::part(QStringLiteral("..")), QStringLiteral("device"));
    QCOMPARE(SafeFileName::part(QStringLiteral("")), QStringLiteral("device"));
    QCOMPARE(SafeFileName::part(QStringLiteral("<b>x</b>")), QStringLiteral("b_x_b"));
    QCOMPARE(SafeFileName::part(QStringLiteral("-rf")), QStringLiteral("rf"));
    QCOMPARE(SafeFileName::part(QStringLiteral("C:\\con\u00e9")), QStringLiteral("C_con"));
    QCOMPARE(SafeFileName::part(QString(500, u'a')).size(), 64);
    const QString odd = SafeFileName::part(QStringLiteral(".hidden/\n\t name"));
    QVERIFY(!odd.startsWith(u'.'));
    QVERIFY(!odd.contains(u'/'));
    QVERIFY(!odd.contains(u'\n'));
}

void TestCommissioningHelpers::th100RangesMatchWhatTheSimulatorSends()
{
    const ModelExpectations e = ModelExpectations::builtIn();
    QVERIFY(e.knows(QStringLiteral("TH-100")));
    MetricValues values;
    values.append({QStringLiteral("temperature"), 21.5});
    values.append({QStringLiteral("humidity"), 48.0});
    values.append({QStringLiteral("battery"), 97.25});
    values.append({QStringLiteral("rssi"), -67.0});
    QList<MetricCheck> checks = e.check(QStringLiteral("TH-100"), values);
    QCOMPARE(checks.size(), 4);
    for (const MetricCheck &c : checks)
        QVERIFY2(c.passed, qPrintable(c.metric + u' ' + c.note));
    QCOMPARE(checks.at(0).metric, QStringLiteral("temperature"));
    QCOMPARE(checks.at(0).expected, QStringLiteral("-20 to 60 °C"));
    QCOMPARE(checks.at(0).observed, QStringLiteral("21.5"));

    values[0].value = 85.0;              // too hot
    values.removeAt(2);                  // no battery
    values.append(MetricValue::ofString(QStringLiteral("humidity"), QStringLiteral("wet")));
    values.removeAt(1);                  // humidity now a string
    checks = e.check(QStringLiteral("TH-100"), values);
    QVERIFY(!checks.at(0).passed);
    QCOMPARE(checks.at(0).note, QStringLiteral("above the expected range"));
    QVERIFY(!checks.at(1).passed);
    QCOMPARE(checks.at(1).note, QStringLiteral("not a number"));
    QVERIFY(!checks.at(2).passed);
    QCOMPARE(checks.at(2).note, QStringLiteral("not reported"));
    QVERIFY(checks.at(2).observed.isEmpty());
    QVERIFY(checks.at(3).passed);
}

void TestCommissioningHelpers::unknownModelHasNoChecks()
{
    const ModelExpectations e = ModelExpectations::builtIn();
    QVERIFY(!e.knows(QStringLiteral("XR-9")));
    MetricValues values;
    values.append({QStringLiteral("temperature"), 21.5});
    QVERIFY(e.check(QStringLiteral("XR-9"), values).isEmpty());
}

QTEST_GUILESS_MAIN(TestCommissioningHelpers)
#include "test_commissioning_helpers.moc"
