// ExpectedDeviceTable, ProvisioningRequestTable and CommissioningReportTable against a real
// operations store (schema v4 on a temp file): rows round trip, every change writes its
// audit entry in the same transaction, a failed job leaves neither row nor audit entry.
#include "core/operations/operations_transaction.h"
#include "core/provisioning/commissioning_report_table.h"
#include "core/provisioning/expected_device_csv.h"
#include "core/provisioning/expected_device_table.h"
#include "core/provisioning/provisioning_request_table.h"
#include "core/storage/sql_statement.h"
#include "tests/core/operations/operations_test_support.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <memory>

using namespace fd;
using namespace fd::operationstest;

class TestProvisioningTables : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void expectedDevicesImportAndEnroll();
    void requestsInsertDecideExpire();
    void replayedNonceWritesNothing();
    void commissioningReports();

private:
    bool run(std::function<bool(OperationsTransaction &, QString *)> job, QString *error = nullptr);
    QStringList auditActions();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<OperationsStore> m_store;
};

void TestProvisioningTables::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = std::make_unique<OperationsStore>();
    QVERIFY(openStore(*m_store, m_dir->filePath(QStringLiteral("fleet.operations.sqlite"))).ok());
}

void TestProvisioningTables::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

bool TestProvisioningTables::run(std::function<bool(OperationsTransaction &, QString *)> job, QString *error)
{
    JobOutcomes outcomes(*m_store);
    const quint64 id = m_store->submit({QStringLiteral("test job"), std::move(job)});
    if (id == 0 || !QTest::qWaitFor([&] { return outcomes.done(id); }, 10000))
        return false;
    if (error)
        *error = outcomes.failed.value(id);
    return outcomes.committed.contains(id);
}

QStringList TestProvisioningTables::auditActions()
{
    auto out = std::make_shared<QStringList>();
    run([out](OperationsTransaction &tx, QString *e) {
        SqlStatement st;
        if (!st.prepare(tx.handle(), "SELECT action || ' ' || object_kind || ' ' || object_id FROM audit_log ORDER BY id", e))
            return false;
        while (st.step() == SQLITE_ROW)
            out->append(st.columnText(0));
        return true;
    });
    return *out;
}

void TestProvisioningTables::expectedDevicesImportAndEnroll()
{
    const auto csv = ExpectedDeviceCsv::parse("serial,model,claim_code,name,tags\nSN-1,TH-100,a,Cold room,x;y\nSN-2,TH-100,b,,\n", 100);
    QVERIFY(csv.ok());
    auto result = std::make_shared<ExpectedDeviceTable::ImportResult>();
    QVERIFY(run([&](OperationsTransaction &tx, QString *e) {
        return ExpectedDeviceTable::importAll(tx, csv.devices, QStringLiteral("alice"), result.get(), e);
    }));
    QCOMPARE(result->added, 2);
    QVERIFY(run([](OperationsTransaction &tx, QString *e) {
        return ExpectedDeviceTable::markEnrolled(tx, QStringLiteral("SN-1"), QStringLiteral("sn-1"), QStringLiteral("bob"), e);
    }));
    // A second import updates SN-2 and keeps the enrolled SN-1 as it is.
    QVERIFY(run([&](OperationsTransaction &tx, QString *e) {
        return ExpectedDeviceTable::importAll(tx, csv.devices, QStringLiteral("alice"), result.get(), e);
    }));
    QCOMPARE(result->added, 0);
    QCOMPARE(result->updated, 1);
    QCOMPARE(result->skippedEnrolled, 1);

    auto rows = std::make_shared<QList<ExpectedDevice>>();
    auto counts = std::make_shared<QPair<int, int>>();
    QVERIFY(run([=](OperationsTransaction &tx, QString *e) {
        return ExpectedDeviceTable::list(tx.handle(), rows.get(), e)
               && ExpectedDeviceTable::counts(tx.handle(), &counts->first, &counts->second, e);
    }));
    QCOMPARE(rows->size(), 2);
    QCOMPARE(rows->at(0).state, ExpectedDevice::State::Enrolled);
    QCOMPARE(rows->at(0).deviceId, QStringLiteral("sn-1"));
    QVERIFY(rows->at(0).enrolledMs > 0);
    QCOMPARE(rows->at(0).tags, (QStringList{QStringLiteral("x"), QStringLiteral("y")}));
    QCOMPARE(rows->at(0).name, QStringLiteral("Cold room"));
    QCOMPARE(rows->at(0).claimHash, csv.devices[0].claimHash);
    QCOMPARE(rows->at(1).state, ExpectedDevice::State::Expected);
    QCOMPARE(counts->first, 2);
    QCOMPARE(counts->second, 1);

    QString error;
    QVERIFY(!run([](OperationsTransaction &tx, QString *e) {
        return ExpectedDeviceTable::markEnrolled(tx, QStringLiteral("SN-9"), QStringLiteral("x"), QStringLiteral("bob"), e);
    }, &error));
    QVERIFY(error.contains(QStringLiteral("SN-9")));
    QVERIFY(run([](OperationsTransaction &tx, QString *e) {
        return ExpectedDeviceTable::remove(tx, QStringLiteral("SN-2"), QStringLiteral("bob"), e);
    }));
    QCOMPARE(auditActions(), (QStringList{QStringLiteral("expected_device.imported expected_device import"),
                                          QStringLiteral("expected_device.enrolled expected_device SN-1"),
                                          QStringLiteral("expected_device.imported expected_device import"),
                                          QStringLiteral("expected_device.removed expected_device SN-2")}));
}

void TestProvisioningTables::requestsInsertDecideExpire()
{
    auto r = std::make_shared<ProvisioningRequestRecord>();
    r->serial = QStringLiteral("SN-1");
    r->model = QStringLiteral("TH-100");
    r->nonce = QString(32, u'a');
    r->source = QStringLiteral("site-a");
    r->deviceId = QStringLiteral("sn-1");
    r->requestTsMs = 5;
    r->csrPem = "CSR";
    r->claimHash = QString(64, u'b');
    QVERIFY(run([r](OperationsTransaction &tx, QString *e) { return ProvisioningRequestTable::insert(tx, r.get(), QStringLiteral("fleetdeck"), e); }));
    QVERIFY(r->id > 0);

    auto flags = std::make_shared<QPair<bool, bool>>();
    QVERIFY(run([flags](OperationsTransaction &tx, QString *e) {
        return ProvisioningRequestTable::nonceExists(tx.handle(), QString(32, u'a'), &flags->first, e)
               && ProvisioningRequestTable::pendingFor(tx.handle(), ProvisioningRequestRecord::Kind::Enroll,
                                                       QStringLiteral("SN-1"), &flags->second, e);
    }));
    QVERIFY(flags->first);
    QVERIFY(flags->second);

    const qint64 id = r->id;
    QVERIFY(run([id](OperationsTransaction &tx, QString *e) {
        return ProvisioningRequestTable::decide(tx, id, ProvisioningRequestRecord::State::Accepted, QString(), QString(),
                                                QStringLiteral("0ABC"), QStringLiteral("alice"), e);
    }));
    QString error;
    QVERIFY(!run([id](OperationsTransaction &tx, QString *e) {
        return ProvisioningRequestTable::decide(tx, id, ProvisioningRequestRecord::State::Rejected, QStringLiteral("x"),
                                                QString(), QString(), QStringLiteral("alice"), e);
    }, &error));
    QVERIFY2(error.contains(QStringLiteral("accepted already")), qPrintable(error));

    auto back = std::make_shared<ProvisioningRequestRecord>();
    auto serial = std::make_shared<QString>();
    QVERIFY(run([=](OperationsTransaction &tx, QString *e) {
        bool found = false;
        return ProvisioningRequestTable::byId(tx.handle(), id, back.get(), &found, e) && found
               && ProvisioningRequestTable::enrolledSerialOf(tx.handle(), QStringLiteral("sn-1"), serial.get(), e);
    }));
    QCOMPARE(back->state, ProvisioningRequestRecord::State::Accepted);
    QCOMPARE(back->certSerial, QStringLiteral("0ABC"));
    QCOMPARE(back->decidedBy, QStringLiteral("alice"));
    QCOMPARE(back->csrPem, QByteArray("CSR"));
    QCOMPARE(back->source, QStringLiteral("site-a"));
    QCOMPARE(*serial, QStringLiteral("SN-1"));

    // An old pending request expires.
    auto old = std::make_shared<ProvisioningRequestRecord>(*r);
    old->id = 0;
    old->nonce = QString(32, u'c');
    old->state = ProvisioningRequestRecord::State::Pending;
    old->receivedMs = 1000;
    old->certSerial.clear();
    auto expired = std::make_shared<QList<qint64>>();
    QVERIFY(run([=](OperationsTransaction &tx, QString *e) {
        return ProvisioningRequestTable::insert(tx, old.get(), QStringLiteral("fleetdeck"), e)
               && ProvisioningRequestTable::expirePending(tx, 2000, QStringLiteral("fleetdeck"), expired.get(), e);
    }));
    QCOMPARE(*expired, QList<qint64>{old->id});
    QCOMPARE(auditActions(),
             (QStringList{QStringLiteral("provisioning_request.received provisioning_request %1").arg(id),
                          QStringLiteral("provisioning_request.accepted provisioning_request %1").arg(id),
                          QStringLiteral("provisioning_request.received provisioning_request %1").arg(old->id),
                          QStringLiteral("provisioning_request.expired provisioning_request %1").arg(old->id)}));
}

void TestProvisioningTables::replayedNonceWritesNothing()
{
    auto r = std::make_shared<ProvisioningRequestRecord>();
    r->serial = QStringLiteral("SN-1");
    r->nonce = QString(40, u'd');
    QVERIFY(run([r](OperationsTransaction &tx, QString *e) { return ProvisioningRequestTable::insert(tx, r.get(), QStringLiteral("fleetdeck"), e); }));
    auto clash = std::make_shared<bool>(false);
    auto again = std::make_shared<ProvisioningRequestRecord>(*r);
    QVERIFY(!run([=](OperationsTransaction &tx, QString *e) {
        return ProvisioningRequestTable::insert(tx, again.get(), QStringLiteral("fleetdeck"), e, clash.get());
    }));
    QVERIFY(*clash);
    QCOMPARE(auditActions().size(), 1);
}

void TestProvisioningTables::commissioningReports()
{
    auto rep = std::make_shared<CommissioningReport>();
    rep->deviceId = QStringLiteral("sn-1");
    rep->serial = QStringLiteral("SN-1");
    rep->certSerial = QStringLiteral("0ABC");
    rep->fingerprint = QStringLiteral("AB:CD");
    rep->technician = QStringLiteral("alice");
    rep->passed = true;
    rep->checksJson = QStringLiteral(R"([{"metric":"temp","ok":true}])");
    rep->pdf = "%PDF-1.4 test";
    QVERIFY(run([rep](OperationsTransaction &tx, QString *e) { return CommissioningReportTable::insert(tx, rep.get(), e); }));
    QVERIFY(rep->id > 0);
    auto rows = std::make_shared<QList<CommissioningReport>>();
    auto full = std::make_shared<CommissioningReport>();
    QVERIFY(run([=](OperationsTransaction &tx, QString *e) {
        bool found = false;
        return CommissioningReportTable::list(tx.handle(), QStringLiteral("sn-1"), rows.get(), e)
               && CommissioningReportTable::byId(tx.handle(), rep->id, full.get(), &found, e) && found;
    }));
    QCOMPARE(rows->size(), 1);
    QVERIFY(rows->at(0).pdf.isEmpty());  // listed without the PDF
    QCOMPARE(*full, *rep);

    QString error;
    auto bad = std::make_shared<CommissioningReport>(*rep);
    bad->checksJson = QStringLiteral("not json");
    QVERIFY(!run([bad](OperationsTransaction &tx, QString *e) { return CommissioningReportTable::insert(tx, bad.get(), e); }, &error));
    bad->checksJson = QStringLiteral("[]");
    bad->technician.clear();
    QVERIFY(!run([bad](OperationsTransaction &tx, QString *e) { return CommissioningReportTable::insert(tx, bad.get(), e); }, &error));
    QCOMPARE(auditActions(), QStringList{QStringLiteral("commissioning_report.created commissioning_report %1").arg(rep->id)});
}

QTEST_GUILESS_MAIN(TestProvisioningTables)
#include "test_provisioning_tables.moc"
