// The commissioning models, each under QAbstractItemModelTester through every change it
// makes: CertificateListModel (status from now and the expiry window), ExpectedDeviceModel
// (counts, in-place enrolment) and PendingRequestModel (live requests).
#include "models/certificate_list_model.h"
#include "models/expected_device_model.h"
#include "models/pending_request_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace fd;

namespace {

constexpr qint64 kDay = 24LL * 3600 * 1000;
constexpr qint64 kNow = 1'750'000'000'000;

CertificateRecord cert(const QString &serial, const QString &device, qint64 notAfterMs)
{
    CertificateRecord r;
    r.serial = serial;
    r.kind = CertificateRecord::Kind::Device;
    r.commonName = device;
    r.deviceId = device;
    r.notBeforeMs = kNow - 10 * kDay;
    r.notAfterMs = notAfterMs;
    r.fingerprint = QStringLiteral("AB:CD");
    r.issuedBy = QStringLiteral("tester");
    return r;
}

ExpectedDevice expected(const QString &serial, bool enrolled = false)
{
    ExpectedDevice d;
    d.serial = serial;
    d.model = QStringLiteral("TH-100");
    d.claimHash = QString(64, u'a');
    d.name = QStringLiteral("<b>%1</b>").arg(serial);
    d.site = QStringLiteral("Lyon");
    d.tags = {QStringLiteral("a"), QStringLiteral("b")};
    d.state = enrolled ? ExpectedDevice::State::Enrolled : ExpectedDevice::State::Expected;
    d.enrolledMs = enrolled ? kNow : 0;
    return d;
}

} // namespace

class TestCommissioningModels : public QObject
{
    Q_OBJECT
private slots:
    void certificateStatusFollowsNowAndWindow();
    void certificateRowsUpdateInPlaceOnRevoke();
    void expectedDevicesCountAndUpdateInPlace();
    void pendingRequestsKeepRowsThatStay();
};

void TestCommissioningModels::certificateStatusFollowsNowAndWindow()
{
    CertificateListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setNowMs(kNow);
    CertificateRecord revoked = cert(QStringLiteral("03"), QStringLiteral("dev-3"), kNow + 300 * kDay);
    revoked.status = CertificateRecord::Status::Revoked;
    revoked.revokedMs = kNow - kDay;
    revoked.revokeReason = QStringLiteral("<i>stolen</i>");
    CertificateRecord op = cert(QStringLiteral("05"), QString(), kNow + 400 * kDay);
    op.kind = CertificateRecord::Kind::Operator;
    op.commonName = QStringLiteral("fleetdeck-operator");
    model.setCertificates({cert(QStringLiteral("01"), QStringLiteral("dev-1"), kNow + 200 * kDay),
                           cert(QStringLiteral("02"), QStringLiteral("dev-2"), kNow + 12 * kDay + 3600),
                           revoked, cert(QStringLiteral("04"), QStringLiteral("dev-4"), kNow - kDay), op,
                           cert(QStringLiteral("06"), QStringLiteral("dev-6"), kNow + 3600 * 1000)});
    QCOMPARE(model.rowCount(), 6);
    auto text = [&model](int row, int column) { return model.index(row, column).data().toString(); };
    QCOMPARE(text(0, CertificateListModel::StatusColumn), QStringLiteral("valid"));
    QCOMPARE(text(1, CertificateListModel::StatusColumn), QStringLiteral("expiring in 12 days"));
    QCOMPARE(text(2, CertificateListModel::StatusColumn), QStringLiteral("revoked"));
    QCOMPARE(text(3, CertificateListModel::StatusColumn), QStringLiteral("expired"));
    QCOMPARE(text(5, CertificateListModel::StatusColumn), QStringLiteral("expires today"));
    QCOMPARE(text(4, CertificateListModel::KindColumn), QStringLiteral("operator"));
    QCOMPARE(text(4, CertificateListModel::SubjectColumn), QStringLiteral("fleetdeck-operator"));
    QCOMPARE(text(0, CertificateListModel::SubjectColumn), QStringLiteral("dev-1"));
    QCOMPARE(model.index(1, 0).data(CertificateListModel::StatusKeyRole).toString(), QStringLiteral("expiring"));
    // The revocation reason in the tooltip shows as the characters it has.
    const QString tip = model.index(2, CertificateListModel::StatusColumn).data(Qt::ToolTipRole).toString();
    QVERIFY(tip.contains(QStringLiteral("&lt;i&gt;stolen&lt;/i&gt;")));
    // A smaller window: 12 days left is no longer "expiring"; time passing makes it expired.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setExpiryWindowMs(7 * kDay);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(text(1, CertificateListModel::StatusColumn), QStringLiteral("valid"));
    model.setNowMs(kNow + 13 * kDay);
    QCOMPARE(text(1, CertificateListModel::StatusColumn), QStringLiteral("expired"));
    // Sorting puts the ones needing attention first.
    model.setNowMs(kNow);
    model.setExpiryWindowMs(CertificateListModel::kDefaultExpiryWindowMs);
    QVERIFY(model.index(1, CertificateListModel::StatusColumn).data(CertificateListModel::SortRole).toLongLong()
            < model.index(0, CertificateListModel::StatusColumn).data(CertificateListModel::SortRole).toLongLong());
}

void TestCommissioningModels::certificateRowsUpdateInPlaceOnRevoke()
{
    CertificateListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setNowMs(kNow);
    QList<CertificateRecord> rows{cert(QStringLiteral("01"), QStringLiteral("dev-1"), kNow + 200 * kDay),
                                  cert(QStringLiteral("02"), QStringLiteral("dev-2"), kNow + 200 * kDay)};
    model.setCertificates(rows);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    rows[1].status = CertificateRecord::Status::Revoked;
    model.setCertificates(rows);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.constFirst().at(0).toModelIndex().row(), 1);
    QCOMPARE(model.rowOfSerial(QStringLiteral("02")), 1);
    // A new certificate (newest first): a reset.
    rows.prepend(cert(QStringLiteral("07"), QStringLiteral("dev-7"), kNow + 365 * kDay));
    model.setCertificates(rows);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 3);
    model.setCertificates({});
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.certificateAt(0));
}

void TestCommissioningModels::expectedDevicesCountAndUpdateInPlace()
{
    ExpectedDeviceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy counts(&model, &ExpectedDeviceModel::countsChanged);
    QList<ExpectedDevice> rows{expected(QStringLiteral("SN-1")), expected(QStringLiteral("SN-2")),
                               expected(QStringLiteral("SN-3"), true)};
    model.setDevices(rows);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(counts.count(), 1);
    QCOMPARE(counts.constLast().at(0).toInt(), 1);
    QCOMPARE(counts.constLast().at(1).toInt(), 3);
    QCOMPARE(model.index(0, ExpectedDeviceModel::NameColumn).data().toString(), QStringLiteral("<b>SN-1</b>"));
    QCOMPARE(model.index(0, ExpectedDeviceModel::TagsColumn).data().toString(), QStringLiteral("a, b"));
    QCOMPARE(model.index(0, ExpectedDeviceModel::StateColumn).data().toString(), QStringLiteral("expected"));
    QVERIFY(model.index(2, ExpectedDeviceModel::StateColumn).data().toString().startsWith(QStringLiteral("enrolled ")));

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    rows[0].state = ExpectedDevice::State::Enrolled;
    rows[0].enrolledMs = kNow;
    model.setDevices(rows);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.enrolledCount(), 2);
    QCOMPARE(counts.constLast().at(0).toInt(), 2);
    QVERIFY(model.index(0, 0).data(ExpectedDeviceModel::EnrolledRole).toBool());
    rows.append(expected(QStringLiteral("SN-4")));
    model.setDevices(rows);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowOfSerial(QStringLiteral("SN-4")), 3);
    QCOMPARE(model.rowOfSerial(QStringLiteral("nope")), -1);
}

namespace {
PendingRequest pending(qint64 id, const QString &serial, bool listed)
{
    PendingRequest p;
    p.record.id = id;
    p.record.serial = serial;
    p.record.model = QStringLiteral("TH-100");
    p.record.deviceId = serial.toLower();
    p.record.source = QStringLiteral("<b>site</b>");
    p.record.receivedMs = kNow;
    if (listed)
        p.expected = expected(serial);
    return p;
}
} // namespace

void TestCommissioningModels::pendingRequestsKeepRowsThatStay()
{
    PendingRequestModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRequests({pending(3, QStringLiteral("SN-3"), false), pending(1, QStringLiteral("SN-1"), true)});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, PendingRequestModel::SerialColumn).data().toString(), QStringLiteral("SN-1"));  // oldest first
    QCOMPARE(model.index(0, PendingRequestModel::ListedColumn).data().toString(), QStringLiteral("listed"));
    QCOMPARE(model.index(1, PendingRequestModel::ListedColumn).data().toString(), QStringLiteral("not on the list"));
    QCOMPARE(model.index(1, PendingRequestModel::SourceColumn).data().toString(), QStringLiteral("<b>site</b>"));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    // SN-1 decided, SN-5 arrives: one removal, one insertion, SN-3 stays (selection kept).
    model.setRequests({pending(3, QStringLiteral("SN-3"), false), pending(5, QStringLiteral("SN-5"), true)});
    QCOMPARE(reset.count(), 0);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowOfRequest(3), 0);
    QCOMPARE(model.rowOfSerial(QStringLiteral("SN-5")), 1);
    QCOMPARE(model.index(1, 0).data(PendingRequestModel::RequestIdRole).toLongLong(), 5);
    model.setRequests({});
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestCommissioningModels)
#include "test_commissioning_models.moc"
