// The commissioning report's PDF (QPdfWriter + QTextDocument) from a plain content struct:
// a real PDF, every device-derived string escaped (markup shown literally), a safe default
// file name; and the label entry as a barcode scanner drives it (keys to the focused field).
#include "ui/commissioning_report_pdf.h"
#include "ui/label_code_entry.h"

#include <QApplication>
#include <QFile>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>

using namespace fd;

namespace {

CommissioningReportContent hostileContent()
{
    CommissioningReportContent c;
    c.deviceId = QStringLiteral("../sn-42-0001");
    c.deviceName = QStringLiteral("<b>Boiler</b> <img src=\"x\">");
    c.site = QStringLiteral("Lyon & <i>Co</i>");
    c.tags = {QStringLiteral("<script>"), QStringLiteral("floor-2")};
    c.model = QStringLiteral("TH-100");
    c.serial = QStringLiteral("SN-42-0001");
    c.certSerial = QStringLiteral("5A0C93E1D2F4");
    c.fingerprint = QStringLiteral("AB:CD:EF");
    c.certNotAfterMs = 1'900'000'000'000;
    c.issuer = QStringLiteral("FleetDeck Issuing CA");
    c.technician = QStringLiteral("Ana <Tech>");
    c.createdMs = 1'750'000'000'000;
    c.passed = false;
    c.checks = {{QStringLiteral("temperature"), QStringLiteral("-20 to 60 °C"), QStringLiteral("21.5"), true, {}},
                {QStringLiteral("<u>battery</u>"), QStringLiteral("0 to 100 %"), QString(), false,
                 QStringLiteral("not reported")}};
    return c;
}

// What a scanner does: each character goes to whatever has the focus, Tab included.
void scan(const QString &text)
{
    for (QChar c : text) {
        QWidget *target = QApplication::focusWidget();
        QVERIFY(target);
        if (c == u'\t')
            QTest::keyClick(target, Qt::Key_Tab);
        else if (c == u'\n')
            QTest::keyClick(target, Qt::Key_Return);
        else
            QTest::keyClicks(target, QString(c));
    }
}

} // namespace

class TestCommissioningReportPdf : public QObject
{
    Q_OBJECT
private slots:
    void writesAPdf();
    void escapesEveryDeviceString();
    void defaultFileNameIsSafe();
    void enterInSerialMovesToClaimAndEnterInClaimSubmits();
    void scannedSemicolonOrTabFillsBoth();
};

void TestCommissioningReportPdf::writesAPdf()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("report.pdf"));
    QString error;
    QVERIFY2(CommissioningReportPdf::write(hostileContent(), path, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QVERIFY(bytes.startsWith("%PDF-"));
    QVERIFY(bytes.size() > 1000);
    QVERIFY(bytes.trimmed().endsWith("%%EOF"));
    QVERIFY(!CommissioningReportPdf::write(hostileContent(), dir.filePath(QStringLiteral("no/such/dir/r.pdf")), &error));
    QVERIFY(!error.isEmpty());
}

void TestCommissioningReportPdf::escapesEveryDeviceString()
{
    const QString html = CommissioningReportPdf::html(hostileContent());
    QVERIFY(!html.contains(QStringLiteral("<b>Boiler")));
    QVERIFY(!html.contains(QStringLiteral("<img")));
    QVERIFY(!html.contains(QStringLiteral("<script>")));
    QVERIFY(!html.contains(QStringLiteral("<u>battery")));
    QVERIFY(!html.contains(QStringLiteral("<Tech>")));
    QVERIFY(html.contains(QStringLiteral("&lt;b&gt;Boiler&lt;/b&gt;")));
    // What the PDF prints: the characters as the device sent them.
    QTextDocument doc;
    doc.setHtml(html);
    const QString shown = doc.toPlainText();
    QVERIFY(shown.contains(QStringLiteral("<b>Boiler</b> <img src=\"x\">")));
    QVERIFY(shown.contains(QStringLiteral("Lyon & <i>Co</i>")));
    QVERIFY(shown.contains(QStringLiteral("<script>, floor-2")));
    QVERIFY(shown.contains(QStringLiteral("Ana <Tech>")));
    QVERIFY(shown.contains(QStringLiteral("Result: FAILED")));
    QVERIFY(shown.contains(QStringLiteral("fail: not reported")));
    QVERIFY(shown.contains(QStringLiteral("AB:CD:EF")));

    CommissioningReportContent unknown = hostileContent();
    unknown.model = QStringLiteral("<h1>XR</h1>");
    unknown.rangesKnown = false;
    unknown.checks.clear();
    doc.setHtml(CommissioningReportPdf::html(unknown));
    QVERIFY(doc.toPlainText().contains(QStringLiteral("No expected ranges for model <h1>XR</h1>: telemetry arrival checked only.")));
}

void TestCommissioningReportPdf::defaultFileNameIsSafe()
{
    CommissioningReportContent c = hostileContent();
    const QString name = CommissioningReportPdf::defaultFileName(c);
    QVERIFY(name.startsWith(QStringLiteral("commissioning-sn-42-0001-")));
    QVERIFY(name.endsWith(QStringLiteral(".pdf")));
    QVERIFY(!name.contains(u'/'));
    c.deviceId = QStringLiteral("..");
    QVERIFY(CommissioningReportPdf::defaultFileName(c).startsWith(QStringLiteral("commissioning-device-")));
}

void TestCommissioningReportPdf::enterInSerialMovesToClaimAndEnterInClaimSubmits()
{
    LabelCodeEntry entry;
    entry.show();
    QApplication::setActiveWindow(&entry);
    QVERIFY(QTest::qWaitForWindowActive(&entry));
    entry.serialEdit()->setFocus();
    QSignalSpy submitted(&entry, &LabelCodeEntry::submitted);
    scan(QStringLiteral("SN-42-0001\n"));
    QCOMPARE(entry.serial(), QStringLiteral("SN-42-0001"));
    QCOMPARE(QApplication::focusWidget(), entry.claimEdit());
    QCOMPARE(submitted.count(), 0);
    scan(QStringLiteral("K7F2-99QA\n"));
    QCOMPARE(entry.claim(), QStringLiteral("K7F2-99QA"));
    QCOMPARE(submitted.count(), 1);
    // A second scan of the serial label: Enter selects the claim, the next scan replaces it.
    entry.serialEdit()->setFocus();
    QTest::keyClick(entry.serialEdit(), Qt::Key_Return);
    scan(QStringLiteral("NEWCLAIM"));
    QCOMPARE(entry.claim(), QStringLiteral("NEWCLAIM"));
}

void TestCommissioningReportPdf::scannedSemicolonOrTabFillsBoth()
{
    LabelCodeEntry entry;
    entry.show();
    QApplication::setActiveWindow(&entry);
    QVERIFY(QTest::qWaitForWindowActive(&entry));
    QSignalSpy submitted(&entry, &LabelCodeEntry::submitted);

    entry.serialEdit()->setFocus();
    scan(QStringLiteral("SN-42-0001;K7F2-99QA\n"));
    QCOMPARE(entry.serial(), QStringLiteral("SN-42-0001"));
    QCOMPARE(entry.claim(), QStringLiteral("K7F2-99QA"));
    QCOMPARE(submitted.count(), 1);

    entry.clear();
    scan(QStringLiteral("SN-42-0002\tZZ-11\n"));
    QCOMPARE(entry.serial(), QStringLiteral("SN-42-0002"));
    QCOMPARE(entry.claim(), QStringLiteral("ZZ-11"));
    QCOMPARE(submitted.count(), 2);

    // Pasted in one go (a Tab kept in the text), and a scan with the focus in the claim field.
    entry.clear();
    entry.serialEdit()->insert(QStringLiteral("SN-42-0003\tQQ-1"));
    QCOMPARE(entry.serial(), QStringLiteral("SN-42-0003"));
    QCOMPARE(entry.claim(), QStringLiteral("QQ-1"));
    entry.clear();
    entry.claimEdit()->setFocus();
    scan(QStringLiteral("SN-42-0004;AB-2\n"));
    QCOMPARE(entry.serial(), QStringLiteral("SN-42-0004"));
    QCOMPARE(entry.claim(), QStringLiteral("AB-2"));
    QCOMPARE(submitted.count(), 3);
}

QTEST_MAIN(TestCommissioningReportPdf)
#include "test_commissioning_report_pdf.moc"
