#include "core/provisioning/expected_device_csv.h"
#include "core/provisioning/provisioning_ids.h"

#include <QElapsedTimer>
#include <QTest>

using namespace fd;

class TestProvisioningCsv : public QObject
{
    Q_OBJECT
private slots:
    void parsesTheMinimalForm();
    void parsesOptionalColumnsQuotingAndCrlf();
    void columnsInAnyOrderAndBom();
    void refuses_data();
    void refuses();
    void duplicateSerialNamesBothLines();
    void lineNumbersCountQuotedNewlines();
    void sizeAndRowLimits();
    void errorsAreBounded();
    void hostileShapesStayCheap();
    void errorsAreOneLineOfText();
    void writeKeepsNoClaimCodeAndDefusesFormulas();
};

void TestProvisioningCsv::parsesTheMinimalForm()
{
    const auto r = ExpectedDeviceCsv::parse("serial,model,claim_code\nSN-1,TH-100,ABCD\nSN-2,TH-100,EFGH\n", 77);
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    QCOMPARE(r.devices.size(), 2);
    QCOMPARE(r.devices[0].serial, QStringLiteral("SN-1"));
    QCOMPARE(r.devices[0].model, QStringLiteral("TH-100"));
    QCOMPARE(r.devices[0].claimHash, ProvisioningIds::claimHash(QStringLiteral("SN-1"), QStringLiteral("ABCD")));
    QCOMPARE(r.devices[0].importedMs, 77);
    QCOMPARE(r.devices[0].state, ExpectedDevice::State::Expected);
    QVERIFY(r.devices[0].deviceId.isEmpty());
    QCOMPARE(r.devices[1].serial, QStringLiteral("SN-2"));
}

void TestProvisioningCsv::parsesOptionalColumnsQuotingAndCrlf()
{
    const QByteArray csv = "serial,model,claim_code,device_id,name,site,tags\r\n"
                           "SN-1,TH-100,\"A,B\",freezer-4,\"Cold room \"\"4\"\"\",Lyon,freezer; critical ;freezer\r\n"
                           "\r\n"
                           "SN-2,TH-100,X,,,,\r\n";
    const auto r = ExpectedDeviceCsv::parse(csv, 1);
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    QCOMPARE(r.devices.size(), 2);
    const ExpectedDevice &d = r.devices[0];
    QCOMPARE(d.claimHash, ProvisioningIds::claimHash(QStringLiteral("SN-1"), QStringLiteral("A,B")));
    QCOMPARE(d.deviceId, QStringLiteral("freezer-4"));
    QCOMPARE(d.name, QStringLiteral("Cold room \"4\""));
    QCOMPARE(d.site, QStringLiteral("Lyon"));
    QCOMPARE(d.tags, (QStringList{QStringLiteral("freezer"), QStringLiteral("critical")}));
    QVERIFY(r.devices[1].deviceId.isEmpty());
    QVERIFY(r.devices[1].tags.isEmpty());
}

void TestProvisioningCsv::columnsInAnyOrderAndBom()
{
    const auto r = ExpectedDeviceCsv::parse("\xEF\xBB\xBF" "Claim_Code , MODEL,serial\nc1,TH-200,SN-9", 1);
    QVERIFY2(r.ok(), qPrintable(r.errors.join(u'\n')));
    QCOMPARE(r.devices.size(), 1);
    QCOMPARE(r.devices[0].serial, QStringLiteral("SN-9"));
    QCOMPARE(r.devices[0].model, QStringLiteral("TH-200"));
    QCOMPARE(r.devices[0].claimHash, ProvisioningIds::claimHash(QStringLiteral("SN-9"), QStringLiteral("c1")));
}

void TestProvisioningCsv::refuses_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("needle");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("empty");
    QTest::newRow("header only") << QByteArray("serial,model,claim_code\n") << QStringLiteral("no device");
    QTest::newRow("no claim column") << QByteArray("serial,model\nSN-1,TH\n") << QStringLiteral("line 1: the header has no \"claim_code\"");
    QTest::newRow("unknown column") << QByteArray("serial,model,claim_code,colour\nSN-1,TH,c,red\n") << QStringLiteral("line 1: unknown column \"colour\"");
    QTest::newRow("column twice") << QByteArray("serial,model,claim_code,serial\nSN-1,TH,c,SN-1\n") << QStringLiteral("appears twice");
    QTest::newRow("field count") << QByteArray("serial,model,claim_code\nSN-1,TH\n") << QStringLiteral("line 2: 2 fields, the header has 3");
    QTest::newRow("bad serial") << QByteArray("serial,model,claim_code\nSN 1,TH,c\n") << QStringLiteral("line 2: serial \"SN 1\"");
    QTest::newRow("empty model") << QByteArray("serial,model,claim_code\nSN-1,,c\n") << QStringLiteral("line 2: model");
    QTest::newRow("empty claim") << QByteArray("serial,model,claim_code\nSN-1,TH,\n") << QStringLiteral("line 2: claim_code");
    QTest::newRow("reserved device id") << QByteArray("serial,model,claim_code,device_id\nSN-1,TH,c,bootstrap\n") << QStringLiteral("line 2: device_id \"bootstrap\"");
    QTest::newRow("dot device id") << QByteArray("serial,model,claim_code,device_id\nSN-1,TH,c,.x\n") << QStringLiteral("line 2: device_id");
    QTest::newRow("long name") << (QByteArray("serial,model,claim_code,name\nSN-1,TH,c,") + QByteArray(257, 'n') + "\n") << QStringLiteral("line 2: name");
    QTest::newRow("control in site") << QByteArray("serial,model,claim_code,site\nSN-1,TH,c,\"a\x01\"\n") << QStringLiteral("line 2: site");
    QTest::newRow("long tag") << (QByteArray("serial,model,claim_code,tags\nSN-1,TH,c,") + QByteArray(65, 't') + "\n") << QStringLiteral("line 2: tags");
    QTest::newRow("unclosed quote") << QByteArray("serial,model,claim_code\nSN-1,TH,\"abc\n") << QStringLiteral("line 2: a quoted field is not closed");
    QTest::newRow("quote inside") << QByteArray("serial,model,claim_code\nSN-1,TH,ab\"c\n") << QStringLiteral("line 2: a quote inside");
    QTest::newRow("text after quote") << QByteArray("serial,model,claim_code\nSN-1,TH,\"ab\"c\n") << QStringLiteral("line 2: text after a closing quote");
    QTest::newRow("not utf8") << QByteArray("serial,model,claim_code\nSN-1,TH,\xff\xfe\n") << QStringLiteral("not UTF-8");
}

void TestProvisioningCsv::refuses()
{
    QFETCH(QByteArray, csv);
    QFETCH(QString, needle);
    const auto r = ExpectedDeviceCsv::parse(csv, 1);
    QVERIFY(!r.ok());
    QVERIFY(r.devices.isEmpty());  // all or nothing
    QVERIFY2(r.errors.join(u'\n').contains(needle), qPrintable(r.errors.join(u'\n')));
}

void TestProvisioningCsv::duplicateSerialNamesBothLines()
{
    const auto r = ExpectedDeviceCsv::parse("serial,model,claim_code\nSN-1,TH,a\nSN-2,TH,b\nSN-1,TH,c\n", 1);
    QVERIFY(!r.ok());
    QVERIFY(r.devices.isEmpty());
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors.first(), QStringLiteral("line 4: serial \"SN-1\" already on line 2"));
}

void TestProvisioningCsv::lineNumbersCountQuotedNewlines()
{
    const auto r = ExpectedDeviceCsv::parse("serial,model,claim_code,name\nSN-1,TH,a,\"two\nlines\"\nSN 2,TH,b,x\n", 1);
    QVERIFY(!r.ok());
    QCOMPARE(r.errors.size(), 2);
    QVERIFY2(r.errors[0].startsWith(QStringLiteral("line 2: name")), qPrintable(r.errors[0]));  // a newline is a control char
    QVERIFY2(r.errors[1].startsWith(QStringLiteral("line 4: serial")), qPrintable(r.errors[1]));
}

void TestProvisioningCsv::sizeAndRowLimits()
{
    QByteArray big("serial,model,claim_code\n");
    big.append(QByteArray(ExpectedDeviceCsv::kMaxBytes, 'x'));
    auto r = ExpectedDeviceCsv::parse(big, 1);
    QVERIFY(!r.ok());
    QVERIFY(r.errors.first().contains(QStringLiteral("4 MiB")));

    QByteArray many("serial,model,claim_code\n");
    for (int i = 0; i <= ExpectedDeviceCsv::kMaxRows; ++i)
        many.append("S").append(QByteArray::number(i)).append(",M,c\n");
    QVERIFY(many.size() < ExpectedDeviceCsv::kMaxBytes);
    r = ExpectedDeviceCsv::parse(many, 1);
    QVERIFY(!r.ok());
    QVERIFY2(r.errors.first().contains(QStringLiteral("more than 100000 rows")), qPrintable(r.errors.first()));

    many.truncate(many.lastIndexOf("S"));  // exactly kMaxRows rows
    r = ExpectedDeviceCsv::parse(many, 1);
    QVERIFY2(r.ok(), qPrintable(r.errors.value(0)));
    QCOMPARE(r.devices.size(), ExpectedDeviceCsv::kMaxRows);
}

void TestProvisioningCsv::errorsAreBounded()
{
    QByteArray csv("serial,model,claim_code\n");
    for (int i = 0; i < 500; ++i)
        csv.append("bad serial,M,c\n");
    const auto r = ExpectedDeviceCsv::parse(csv, 1);
    QCOMPARE(r.errors.size(), ExpectedDeviceCsv::kMaxErrors);
}

void TestProvisioningCsv::hostileShapesStayCheap()
{
    // One tags field of a million distinct tags (a 4 MiB file): refused with the tag limit,
    // without comparing every tag with every other (that took minutes).
    QByteArray tags("serial,model,claim_code,tags\nSN-1,TH-100,c,");
    for (int i = 0; tags.size() < ExpectedDeviceCsv::kMaxBytes - 16; ++i)
        tags.append(QByteArray::number(i, 36)).append(';');
    QElapsedTimer timer;
    timer.start();
    auto r = ExpectedDeviceCsv::parse(tags, 1);
    QVERIFY(!r.ok());
    QVERIFY2(r.errors.first().contains(QStringLiteral("tags: at most 32")), qPrintable(r.errors.first()));
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));

    // A record of millions of empty fields: refused at the first record over the field limit.
    QByteArray commas("serial,model,claim_code\n");
    commas.append(QByteArray(ExpectedDeviceCsv::kMaxBytes - 64, ','));
    r = ExpectedDeviceCsv::parse(commas, 1);
    QVERIFY(!r.ok());
    QCOMPARE(r.errors.size(), 1);
    QVERIFY2(r.errors.first().startsWith(QStringLiteral("line 2: more than %1 fields").arg(ExpectedDeviceCsv::kMaxFields)),
             qPrintable(r.errors.first()));
    // The limit itself is fine (an unknown column is the error then, not the count).
    QByteArray wide("serial,model,claim_code");
    for (qsizetype i = 3; i < ExpectedDeviceCsv::kMaxFields; ++i)
        wide.append(",x").append(QByteArray::number(i));
    wide.append('\n');
    r = ExpectedDeviceCsv::parse(wide, 1);
    QVERIFY(!r.ok());
    QVERIFY2(r.errors.first().contains(QStringLiteral("unknown column")), qPrintable(r.errors.first()));
}

void TestProvisioningCsv::errorsAreOneLineOfText()
{
    // Found by fuzz_expected_devices_csv: a quoted header or serial holding a line break was
    // quoted into the error as it was, so one error printed as two lines.
    auto r = ExpectedDeviceCsv::parse("serial,model,claim_code,\"co\nlour\"\nSN-1,TH-100,c,red\n", 1);
    QVERIFY(!r.ok());
    QCOMPARE(r.errors.size(), 1);
    QVERIFY2(r.errors.first().startsWith(QStringLiteral("line 1: unknown column \"co?lour\"")), qPrintable(r.errors.first()));
    r = ExpectedDeviceCsv::parse("serial,model,claim_code\n\"SN\r\n1\",TH-100,c\n\"SN\r\n1\",TH-100,c\n", 1);
    QVERIFY(!r.ok());
    for (const QString &e : std::as_const(r.errors))
        QVERIFY2(!e.contains(u'\n') && !e.contains(u'\r'), qPrintable(e));
    QVERIFY2(r.errors.last().contains(QStringLiteral("serial \"SN??1\" already on line 2")), qPrintable(r.errors.last()));
}

void TestProvisioningCsv::writeKeepsNoClaimCodeAndDefusesFormulas()
{
    const auto r = ExpectedDeviceCsv::parse("serial,model,claim_code,name\nSN-1,TH,SECRET-CODE,\"=HYPERLINK(\"\"x\"\")\"\n", 1);
    QVERIFY(r.ok());
    const QByteArray out = ExpectedDeviceCsv::write(r.devices);
    QVERIFY(!out.contains("SECRET-CODE"));
    QVERIFY(out.contains(r.devices[0].claimHash.toLatin1()));
    QVERIFY2(out.contains("\"'=HYPERLINK(\"\"x\"\")\""), out.constData());
}

QTEST_GUILESS_MAIN(TestProvisioningCsv)
#include "test_provisioning_csv.moc"
