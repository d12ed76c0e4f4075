// The commissioning wizard against a real mosquitto, a real operations store and the real
// ProvisioningService and CertificateAuthorityService: a factory device made here with
// OpenSSL (its own key and CSR, on its own MQTT connection) asks for a certificate; the
// technician scans its label like a barcode scanner does (keys to the focused field, a
// wrong claim code first), assigns it, unlocks the CA with its passphrase, issues (the
// device gets its certificate), sees it come online with the new certificate and report
// (live device updates, as FleetSession delivers them), and ends with the PDF report kept in
// the store. Also: the Commissioning page (live requests, CSV import errors line by line),
// the Certificates tab (revoke with a reason and a CRL), and Verify's failures.
#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "core/pki/ca_table.h"
#include "core/pki/certificate_authority_service.h"
#include "core/pki/fleet_ca.h"
#include "core/provisioning/provisioning_response.h"
#include "core/provisioning/provisioning_service.h"
#include "core/provisioning/provisioning_topics.h"
#include "core/storage/sql_statement.h"
#include "core/transport/mqtt_client.h"
#include "models/certificate_list_model.h"
#include "models/expected_device_model.h"
#include "models/pending_request_model.h"
#include "tests/core/operations/operations_test_support.h"
#include "tests/core/provisioning/provisioning_test_device.h"
#include "tests/support/broker_fixture.h"
#include "ui/ca_unlock_dialog.h"
#include "ui/certificates_panel.h"
#include "ui/commissioning_assign_page.h"
#include "ui/commissioning_identify_page.h"
#include "ui/commissioning_issue_page.h"
#include "ui/commissioning_page.h"
#include "ui/commissioning_records.h"
#include "ui/commissioning_report_page.h"
#include "ui/commissioning_report_pdf.h"
#include "ui/commissioning_verify_page.h"
#include "ui/commissioning_wizard.h"
#include "ui/expected_import_dialog.h"
#include "ui/label_code_entry.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QCheckBox>
#include <QTest>
#include <QTreeWidget>

#include <sqlite3.h>

#include <memory>

using namespace fd;
using namespace fd::test;
using namespace fd::operationstest;

namespace {

const QString kSource = QStringLiteral("site-a");
const QByteArray kPassphrase = "correct horse battery";

// What a barcode scanner does: each character to whatever has the focus; Tab and Enter as keys.
void scan(const QString &text)
{
    for (QChar c : text) {
        QWidget *target = QApplication::focusWidget();
        QVERIFY2(target, "nothing has the focus");
        if (c == u'\t')
            QTest::keyClick(target, Qt::Key_Tab);
        else if (c == u'\n')
            QTest::keyClick(target, Qt::Key_Return);
        else
            QTest::keyClicks(target, QString(c));
    }
}

// A factory device's MQTT connection (client id = serial), collecting its responses.
class FactoryLink
{
public:
    explicit FactoryLink(ConnectionProfile profile, const QString &serial)
    {
        profile.clientId = serial;
        profile.sparkplug = false;
        m_profile = profile;
        QObject::connect(&client, &MqttClient::messagesReceived, &client, [this](const MqttMessageBatch &batch) {
            for (const MqttMessage &m : batch)
                received.append(m.payload);
        });
    }
    bool connectAndSubscribe(const QString &topic)
    {
        QSignalSpy subscribed(&client, &MqttClient::subscribed);
        client.subscribe(topic, 1);
        client.connectToBroker(m_profile);
        return QTest::qWaitFor([&] { return !subscribed.isEmpty(); }, 10000);
    }
    MqttClient client;
    QList<QByteArray> received;

private:
    ConnectionProfile m_profile;
};

// Screenshots for the docs: <build>/screenshots/commissioning-NAME.png.
void shoot(QWidget *widget, const QString &name)
{
    const QString dir = QDir(QStringLiteral(FLEETDECK_BIN_DIR)).absoluteFilePath(QStringLiteral("../screenshots"));
    QDir().mkpath(dir);
    QCoreApplication::processEvents();
    QVERIFY(widget->grab().save(QDir(dir).filePath(QStringLiteral("commissioning-%1.png").arg(name))));
}

Device reportingDevice(const QString &id, const QString &certSerial, double temperature, qint64 telemetryMs)
{
    Device d;
    d.source = kSource;
    d.id = id;
    d.path = id;
    d.model = QStringLiteral("TH-100");
    d.online = true;
    d.certSerial = certSerial;
    if (telemetryMs > 0) {
        d.lastTelemetryMs = telemetryMs;
        d.metrics = {{QStringLiteral("temperature"), temperature},
                     {QStringLiteral("humidity"), 48.0},
                     {QStringLiteral("battery"), 97.5},
                     {QStringLiteral("rssi"), -61.0}};
    }
    return d;
}

} // namespace

class TestCommissioningWizard : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void commissionsAScannedDeviceEndToEnd();
    void verifyFailsOutOfRangeAndSaysWhenModelHasNoRanges();
    void pageShowsRequestsLiveAndCsvErrorsLineByLine();
    void certificatesTabRevokesWithReasonAndCrl();

private:
    FactoryLink *sendRequest(const TestFactoryDevice &device);
    void importList(const QByteArray &csv);
    CommissioningWizard::Services wizardServices();
    int count(const QString &sql);
    bool run(std::function<bool(OperationsTransaction &, QString *)> job);
    // Drives the wizard from Identify to Verify for device (CA unlocked first).
    void driveToVerify(CommissioningWizard &wizard, const TestFactoryDevice &device);

    BrokerFixture m_broker;
    std::shared_ptr<const FleetCa> m_ca;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<OperationsStore> m_store;
    std::unique_ptr<CertificateAuthorityService> m_authority;
    std::unique_ptr<ProvisioningService> m_provisioning;
    std::unique_ptr<CommissioningRecords> m_records;
    std::vector<std::unique_ptr<FactoryLink>> m_links;
    QList<Device> m_inventory;
    ProvisioningTopics m_topics;
};

void TestCommissioningWizard::initTestCase()
{
    if (!BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    QString error;
    QVERIFY2(m_broker.start(&error), qPrintable(error));
    m_ca = std::make_shared<const FleetCa>(FleetCa::create(QStringLiteral("Test Fleet")).ca);
}

void TestCommissioningWizard::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = std::make_unique<OperationsStore>();
    QVERIFY(openStore(*m_store, m_dir->filePath(QStringLiteral("fleet.operations.sqlite"))).ok());
    const FleetCa ca = *m_ca;
    QVERIFY(run([ca](OperationsTransaction &tx, QString *e) {
        CaRecord r;
        r.name = QStringLiteral("Test-Fleet");
        r.rootPem = ca.root().pem();
        r.intermediatePem = ca.intermediate().pem();
        r.intermediateKeyPem = ca.intermediateKey().privatePem(kPassphrase);
        return CaTable::insert(tx, r, false, QStringLiteral("test"), e) > 0;
    }));
    m_authority = std::make_unique<CertificateAuthorityService>(m_store.get(), nullptr, QStringLiteral("Ana <Tech>"));
    QSignalSpy loaded(m_authority.get(), &CertificateAuthorityService::authorityLoaded);
    m_authority->load();
    QVERIFY(loaded.wait(10000));
    QVERIFY(m_authority->hasAuthority());
    QVERIFY(!m_authority->isUnlocked());
    m_provisioning = std::make_unique<ProvisioningService>(m_store.get(), QStringLiteral("Ana <Tech>"), ProvisioningPolicy{});
    QSignalSpy ready(m_provisioning.get(), &ProvisioningService::linkReady);
    m_provisioning->setSourceLink(kSource, m_broker.profile(), m_broker.secrets());
    QVERIFY(ready.wait(10000) || m_provisioning->isReady(kSource));
    m_records = std::make_unique<CommissioningRecords>(m_store.get());
    m_inventory.clear();
}

void TestCommissioningWizard::cleanup()
{
    m_links.clear();
    m_records.reset();
    m_provisioning.reset();
    m_authority.reset();
    m_store.reset();
    m_dir.reset();
}

bool TestCommissioningWizard::run(std::function<bool(OperationsTransaction &, QString *)> job)
{
    JobOutcomes outcomes(*m_store);
    const quint64 id = m_store->submit({QStringLiteral("test"), std::move(job)});
    return id != 0 && QTest::qWaitFor([&] { return outcomes.done(id); }, 10000) && outcomes.committed.contains(id);
}

int TestCommissioningWizard::count(const QString &sql)
{
    auto n = std::make_shared<int>(-1);
    const QByteArray q = sql.toUtf8();
    run([n, q](OperationsTransaction &tx, QString *e) {
        SqlStatement st;
        if (!st.prepare(tx.handle(), q.constData(), e) || st.step() != SQLITE_ROW)
            return false;
        *n = int(st.columnInt64(0));
        return true;
    });
    return *n;
}

void TestCommissioningWizard::importList(const QByteArray &csv)
{
    ExpectedImportDialog dialog(QStringLiteral("list.csv"), csv);
    QVERIFY(dialog.ok());
    QSignalSpy imported(m_provisioning.get(), &ProvisioningService::expectedImported);
    QVERIFY(m_provisioning->importExpected(dialog.devices()) > 0);
    QVERIFY(imported.wait(10000));
}

FactoryLink *TestCommissioningWizard::sendRequest(const TestFactoryDevice &device)
{
    auto link = std::make_unique<FactoryLink>(m_broker.profile(), device.serial);
    if (!link->connectAndSubscribe(m_topics.responseTopic(device.serial)))
        return nullptr;
    link->client.publish(m_topics.requestTopic(device.serial), device.request().toJson(), 1, false);
    m_links.push_back(std::move(link));
    return m_links.back().get();
}

CommissioningWizard::Services TestCommissioningWizard::wizardServices()
{
    CommissioningWizard::Services s;
    s.provisioning = m_provisioning.get();
    s.authority = m_authority.get();
    s.records = m_records.get();
    s.inventory = [this] { return m_inventory; };
    s.technician = QStringLiteral("Ana <Tech>");
    return s;
}

void TestCommissioningWizard::driveToVerify(CommissioningWizard &wizard, const TestFactoryDevice &device)
{
    QTRY_VERIFY_WITH_TIMEOUT(m_provisioning->pending().size() == 1, 10000);
    wizard.show();
    QApplication::setActiveWindow(&wizard);
    QVERIFY(QTest::qWaitForWindowActive(&wizard));
    QTRY_COMPARE(QApplication::focusWidget(), wizard.identifyPage()->entry()->serialEdit());
    scan(device.serial + u';' + device.claimCode + u'\n');
    QTRY_COMPARE(wizard.currentId(), int(CommissioningWizard::AssignPageId));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(CommissioningWizard::IssuePageId));
    if (!m_authority->isUnlocked()) {
        QSignalSpy unlocked(m_authority.get(), &CertificateAuthorityService::unlocked);
        m_authority->unlockWithPassphrase(kPassphrase);
        QVERIFY(!unlocked.isEmpty() || unlocked.wait(10000));
    }
    QSignalSpy decided(m_provisioning.get(), &ProvisioningService::requestDecided);
    QTRY_VERIFY(wizard.issuePage()->issueButton()->isEnabled());
    wizard.issuePage()->issueButton()->click();
    QVERIFY(decided.wait(10000));
    QVERIFY(wizard.issuePage()->isComplete());
    wizard.next();
    QCOMPARE(wizard.currentId(), int(CommissioningWizard::VerifyPageId));
}

void TestCommissioningWizard::commissionsAScannedDeviceEndToEnd()
{
    importList("serial,model,claim_code,name,site,tags\n"
               "SN-42-0001,TH-100,ABCD-1234,\"<b>Cold room</b> 4\",Lyon,\"cold-chain;floor-2\"\n");
    const TestFactoryDevice device(QStringLiteral("SN-42-0001"), QStringLiteral("ABCD-1234"));
    FactoryLink *link = sendRequest(device);
    QVERIFY(link);
    QTRY_VERIFY_WITH_TIMEOUT(m_provisioning->pending().size() == 1, 10000);

    CommissioningWizard wizard(wizardServices());
    wizard.show();
    QApplication::setActiveWindow(&wizard);
    QVERIFY(QTest::qWaitForWindowActive(&wizard));
    CommissioningIdentifyPage *identify = wizard.identifyPage();
    QTRY_COMPARE(QApplication::focusWidget(), identify->entry()->serialEdit());
    QVERIFY(!identify->isComplete());

    // 1. Typed serial, Enter moves to the claim; a wrong claim code: told in plain words,
    //    the wizard stays.
    scan(QStringLiteral("SN-42-0001\n"));
    QCOMPARE(QApplication::focusWidget(), identify->entry()->claimEdit());
    QVERIFY(identify->requestLabel()->text().contains(QStringLiteral("asks to be \"sn-42-0001\"")));
    QVERIFY(identify->requestLabel()->text().contains(QStringLiteral("On the expected-devices list")));
    scan(QStringLiteral("WRONG-0000\n"));
    QCOMPARE(wizard.currentId(), int(CommissioningWizard::IdentifyPageId));
    QVERIFY(identify->problemLabel()->isVisible());
    QVERIFY(identify->problemLabel()->text().contains(QStringLiteral("does not match")));
    shoot(&wizard, QStringLiteral("identify"));
    // Then the whole label scanned as "SERIAL<Tab>CLAIM<Enter>" from the serial field: both
    // filled, checked, on to Assign.
    identify->entry()->clear();
    QTRY_COMPARE(QApplication::focusWidget(), identify->entry()->serialEdit());
    scan(QStringLiteral("SN-42-0001\tABCD-1234\n"));
    QCOMPARE(identify->entry()->serial(), QStringLiteral("SN-42-0001"));
    QCOMPARE(identify->entry()->claim(), QStringLiteral("ABCD-1234"));
    QCOMPARE(wizard.currentId(), int(CommissioningWizard::AssignPageId));

    // 2. Assign: prefilled from the request and the list; a different device id is refused.
    CommissioningAssignPage *assign = wizard.assignPage();
    QCOMPARE(assign->deviceIdEdit()->text(), QStringLiteral("sn-42-0001"));
    QCOMPARE(assign->nameEdit()->text(), QStringLiteral("<b>Cold room</b> 4"));
    QCOMPARE(assign->tagsEdit()->text(), QStringLiteral("cold-chain, floor-2"));
    assign->deviceIdEdit()->setText(QStringLiteral("freezer-9"));
    QVERIFY(!assign->isComplete());
    QVERIFY(assign->problemLabel()->text().contains(QStringLiteral("sn-42-0001")));
    assign->deviceIdEdit()->setText(QStringLiteral("bootstrap"));
    QVERIFY(!assign->isComplete());
    assign->deviceIdEdit()->setText(QStringLiteral("sn-42-0001"));
    assign->tagsEdit()->setText(QString(70, u'x'));
    QVERIFY(!assign->isComplete());
    assign->tagsEdit()->setText(QStringLiteral("cold-chain, floor-2, cold-chain"));
    QVERIFY(assign->isComplete());
    wizard.next();
    QCOMPARE(wizard.currentId(), int(CommissioningWizard::IssuePageId));
    QCOMPARE(wizard.context().enrollment.tags, QStringList({QStringLiteral("cold-chain"), QStringLiteral("floor-2")}));
    shoot(&wizard, QStringLiteral("issue-locked"));

    // 3. Issue: the CA is locked; unlocked through the dialog (a wrong passphrase first).
    CommissioningIssuePage *issue = wizard.issuePage();
    QVERIFY(!issue->issueButton()->isEnabled());
    QVERIFY(issue->unlockButton()->isVisibleTo(issue));
    {
        CaUnlockDialog dialog(m_authority.get(), QStringLiteral("Issuing the certificate"));
        dialog.show();
        QSignalSpy failed(m_authority.get(), &CertificateAuthorityService::unlockFailed);
        QTest::keyClicks(dialog.passphraseEdit(), QStringLiteral("not the passphrase"));
        dialog.accept();
        QVERIFY(!failed.isEmpty() || failed.wait(10000));
        QTRY_VERIFY(dialog.problemLabel()->isVisible());
        QVERIFY(dialog.problemLabel()->text().startsWith(QStringLiteral("Not unlocked")));
        QVERIFY(dialog.isVisible());
        dialog.passphraseEdit()->clear();
        QTest::keyClicks(dialog.passphraseEdit(), QString::fromUtf8(kPassphrase));
        QSignalSpy unlocked(m_authority.get(), &CertificateAuthorityService::unlocked);
        dialog.accept();
        QVERIFY(!unlocked.isEmpty() || unlocked.wait(10000));
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }
    QTRY_VERIFY(issue->issueButton()->isEnabled());
    QVERIFY(!issue->isComplete());
    QSignalSpy decided(m_provisioning.get(), &ProvisioningService::requestDecided);
    issue->issueButton()->click();
    QVERIFY(decided.wait(10000));
    QVERIFY2(decided.constFirst().at(1).toBool(), qPrintable(decided.constFirst().at(3).toString()));
    QVERIFY2(issue->isComplete(), qPrintable(issue->resultLabel()->text()));
    const CertificateRecord cert = *wizard.context().certificate;
    QVERIFY(issue->resultLabel()->text().contains(cert.serial));
    QVERIFY(issue->resultLabel()->text().contains(cert.fingerprint));
    QVERIFY(cert.fingerprint.contains(u':'));
    QVERIFY(!wizard.button(QWizard::BackButton)->isEnabled());  // what was signed stays signed
    shoot(&wizard, QStringLiteral("issue"));
    // The device got its certificate, which verifies against the chain it was sent.
    QTRY_VERIFY_WITH_TIMEOUT(!link->received.isEmpty(), 10000);
    const auto response = ProvisioningResponse::parse(link->received.constLast());
    QVERIFY(response);
    QVERIFY(response->accepted);
    QCOMPARE(response->certSerial, cert.serial);
    QString why;
    QVERIFY2(verifiesAgainstChain(response->certificatePem, response->chainPem, &why), qPrintable(why));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(CommissioningWizard::VerifyPageId));
    QVERIFY(!wizard.button(QWizard::BackButton)->isVisible() || !wizard.button(QWizard::BackButton)->isEnabled());

    // 4. Verify: online with an old certificate is not enough; then the new one, then telemetry.
    CommissioningVerifyPage *verify = wizard.verifyPage();
    QVERIFY(!verify->isComplete());
    QVERIFY(verify->stateLabel()->text().contains(QStringLiteral("Waiting for sn-42-0001")));
    wizard.onDevicesUpdated({reportingDevice(QStringLiteral("sn-42-0001"), QStringLiteral("0BADC0DE"), 21.0, 0)});
    QVERIFY(verify->stateLabel()->text().contains(QStringLiteral("still with certificate 0BADC0DE")));
    QVERIFY(!verify->isComplete());
    wizard.onDevicesUpdated({reportingDevice(QStringLiteral("sn-42-0001"), cert.serial, 21.0, 0)});
    QVERIFY(verify->stateLabel()->text().contains(QStringLiteral("waiting for its first telemetry")));
    QVERIFY(!verify->isComplete());
    // Another device with the same id on another connection does not count.
    Device elsewhere = reportingDevice(QStringLiteral("sn-42-0001"), cert.serial, 21.0, 1000);
    elsewhere.source = QStringLiteral("site-b");
    wizard.onDevicesUpdated({elsewhere});
    QVERIFY(!verify->isComplete());
    wizard.onDevicesUpdated({reportingDevice(QStringLiteral("sn-42-0001"), cert.serial, 21.5, 1000)});
    QVERIFY(verify->isComplete());
    QVERIFY(wizard.context().passed());
    QCOMPARE(verify->checksView()->topLevelItemCount(), 2 + 4);
    for (int i = 0; i < verify->checksView()->topLevelItemCount(); ++i)
        QCOMPARE(verify->checksView()->topLevelItem(i)->text(1), QStringLiteral("pass"));
    QCOMPARE(verify->checksView()->topLevelItem(2)->text(0), QStringLiteral("temperature"));
    QCOMPARE(verify->checksView()->topLevelItem(2)->text(3), QStringLiteral("21.5"));
    shoot(&wizard, QStringLiteral("verify"));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(CommissioningWizard::ReportPageId));

    // 5. Report: kept in the store with its PDF; a copy saved; technician as the setting has it.
    CommissioningReportPage *report = wizard.reportPage();
    QTRY_VERIFY_WITH_TIMEOUT(report->isComplete(), 10000);
    QVERIFY(wizard.context().reportId > 0);
    QVERIFY(report->storeLabel()->text().contains(QStringLiteral("kept in the operations store")));
    QVERIFY(report->summaryView()->toPlainText().startsWith(QStringLiteral("PASSED")));
    QVERIFY(report->summaryView()->toPlainText().contains(QStringLiteral("<b>Cold room</b> 4")));
    QCOMPARE(report->content().technician, QStringLiteral("Ana <Tech>"));
    shoot(&wizard, QStringLiteral("report"));
    QCOMPARE(report->content().certSerial, cert.serial);
    QVERIFY(report->pdf().startsWith("%PDF"));
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM commissioning_reports WHERE device_id = 'sn-42-0001' AND "
                                  "passed = 1 AND cert_serial = '%1' AND technician = 'Ana <Tech>' AND length(pdf) = %2")
                       .arg(cert.serial)
                       .arg(report->pdf().size())),
             1);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE object_kind = 'commissioning_report'")), 1);
    const QString path = m_dir->filePath(CommissioningReportPdf::defaultFileName(report->content()));
    QVERIFY(QFileInfo(path).fileName().startsWith(QStringLiteral("commissioning-sn-42-0001-")));
    QVERIFY(report->savePdf(path));
    QFile saved(path);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll(), report->pdf());
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM expected_devices WHERE serial = 'SN-42-0001' AND state = 'enrolled'")),
             1);
}

void TestCommissioningWizard::verifyFailsOutOfRangeAndSaysWhenModelHasNoRanges()
{
    importList("serial,model,claim_code\nSN-42-0002,TH-100,EFGH-5678\nSN-42-0003,XR-9,IJKL-9012\n");
    {
        const TestFactoryDevice device(QStringLiteral("SN-42-0002"), QStringLiteral("EFGH-5678"));
        QVERIFY(sendRequest(device));
        CommissioningWizard wizard(wizardServices());
        driveToVerify(wizard, device);
        const QString serial = wizard.context().certificate->serial;
        wizard.onDevicesUpdated({reportingDevice(QStringLiteral("sn-42-0002"), serial, 85.0, 5000)});
        QVERIFY(wizard.verifyPage()->isComplete());
        QVERIFY(!wizard.context().passed());
        QCOMPARE(wizard.verifyPage()->checksView()->topLevelItem(2)->text(1),
                 QStringLiteral("fail: above the expected range"));
        wizard.next();
        QTRY_VERIFY_WITH_TIMEOUT(wizard.reportPage()->isComplete(), 10000);
        QVERIFY(wizard.reportPage()->summaryView()->toPlainText().startsWith(QStringLiteral("FAILED")));
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM commissioning_reports WHERE device_id = 'sn-42-0002' "
                                      "AND passed = 0")),
                 1);
    }
    {
        TestFactoryDevice device(QStringLiteral("SN-42-0003"), QStringLiteral("IJKL-9012"));
        device.model = QStringLiteral("XR-9");
        QVERIFY(sendRequest(device));
        CommissioningWizard wizard(wizardServices());
        driveToVerify(wizard, device);
        const QString serial = wizard.context().certificate->serial;
        Device d = reportingDevice(QStringLiteral("sn-42-0003"), serial, 21.0, 5000);
        d.model = QStringLiteral("XR-9");
        wizard.onDevicesUpdated({d});
        QVERIFY(wizard.verifyPage()->isComplete());
        QVERIFY(wizard.context().passed());  // arrival only
        QVERIFY(wizard.verifyPage()->checksView()->topLevelItem(2)->text(0).contains(
            QStringLiteral("No ranges for model XR-9: telemetry arrival checked only")));
        wizard.next();
        QTRY_VERIFY_WITH_TIMEOUT(wizard.reportPage()->isComplete(), 10000);
        QVERIFY(wizard.reportPage()->summaryView()->toPlainText().contains(
            QStringLiteral("No ranges for model XR-9: telemetry arrival checked only.")));
    }
}

void TestCommissioningWizard::pageShowsRequestsLiveAndCsvErrorsLineByLine()
{
    CommissioningPage::Services s;
    s.provisioning = m_provisioning.get();
    s.authority = m_authority.get();
    s.records = m_records.get();
    s.inventory = [this] { return m_inventory; };
    s.technician = [] { return QStringLiteral("Ana <Tech>"); };
    QList<ProvisioningPolicy> saved;
    s.savePolicy = [&saved](const ProvisioningPolicy &p) { saved.append(p); };
    CommissioningPage page(s);
    QAbstractItemModelTester pendingTester(page.pendingModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester expectedTester(page.expectedModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.resize(1000, 700);
    page.show();
    QCOMPARE(page.pendingModel()->rowCount(), 0);

    // The policy checkboxes: the service follows at once, the choice is saved.
    auto *allowUnknown = page.findChild<QCheckBox *>(QStringLiteral("allowUnknown"));
    auto *autoApprove = page.findChild<QCheckBox *>(QStringLiteral("autoApproveListed"));
    QVERIFY(allowUnknown && autoApprove);
    const ProvisioningPolicy before = m_provisioning->policy();
    QCOMPARE(allowUnknown->isChecked(), before.allowUnknown);
    allowUnknown->click();
    autoApprove->click();
    QCOMPARE(m_provisioning->policy().allowUnknown, !before.allowUnknown);
    QCOMPARE(m_provisioning->policy().autoApproveListed, !before.autoApproveListed);
    QCOMPARE(saved.size(), 2);
    QCOMPARE(saved.last().autoApproveListed, !before.autoApproveListed);
    m_provisioning->setPolicy(before);  // the rest of this test expects the fixture's policy

    // A CSV with errors: each on its own line, nothing imported.
    const QString bad = m_dir->filePath(QStringLiteral("bad.csv"));
    QVERIFY(writeAll(bad, "serial,model,claim_code\nSN-1,TH-100,AAAA\nSN 2,TH-100,BBBB\nSN-3,,CCCC\n"));
    auto *dialog = qobject_cast<ExpectedImportDialog *>(page.importFile(bad));
    QVERIFY(dialog);
    QVERIFY(!dialog->ok());
    QVERIFY(!dialog->importButton()->isEnabled());
    QVERIFY(dialog->linesView()->count() >= 2);
    QVERIFY(dialog->linesView()->item(0)->text().startsWith(QStringLiteral("line 3")));
    QVERIFY(dialog->linesView()->item(1)->text().startsWith(QStringLiteral("line 4")));
    dialog->reject();
    // A good one: imported; the count follows.
    const QString good = m_dir->filePath(QStringLiteral("good.csv"));
    QVERIFY(writeAll(good, "serial,model,claim_code,name\nSN-42-0005,TH-100,MNOP-1,<i>Boiler</i>\nSN-42-0006,TH-100,QRST-2,\n"));
    dialog = qobject_cast<ExpectedImportDialog *>(page.importFile(good));
    QVERIFY(dialog && dialog->ok());
    dialog->importButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(page.expectedModel()->rowCount(), 2, 10000);
    QCOMPARE(page.countsLabel()->text(), QStringLiteral("Expected devices: 0 of 2 enrolled"));
    QCOMPARE(page.expectedModel()->index(0, ExpectedDeviceModel::NameColumn).data().toString(), QStringLiteral("<i>Boiler</i>"));

    // A request arrives: shown at once (live), selected; Commission… opens on its serial.
    QSignalSpy countSpy(&page, &CommissioningPage::pendingCountChanged);
    const TestFactoryDevice device(QStringLiteral("SN-42-0005"), QStringLiteral("MNOP-1"));
    QVERIFY(sendRequest(device));
    QTRY_COMPARE_WITH_TIMEOUT(page.pendingModel()->rowCount(), 1, 10000);
    QVERIFY(!countSpy.isEmpty());
    QCOMPARE(countSpy.constLast().at(0).toInt(), 1);
    QCOMPARE(page.pendingModel()->index(0, PendingRequestModel::SerialColumn).data().toString(), device.serial);
    QCOMPARE(page.pendingModel()->index(0, PendingRequestModel::ListedColumn).data().toString(), QStringLiteral("listed"));
    page.pendingTable()->resizeColumnsToContents();
    shoot(&page, QStringLiteral("page"));
    CommissioningWizard *wizard = page.openWizard();
    QVERIFY(wizard);
    QCOMPARE(wizard->identifyPage()->entry()->serial(), device.serial);
    QApplication::setActiveWindow(wizard);
    QVERIFY(QTest::qWaitForWindowActive(wizard));
    QTRY_COMPARE(QApplication::focusWidget(), wizard->identifyPage()->entry()->claimEdit());  // the claim is left to scan
    QVERIFY(wizard->identifyPage()->requestLabel()->text().contains(QStringLiteral("Request from SN-42-0005")));
    QCOMPARE(page.openWizard(), wizard);  // one at a time
    wizard->close();
}

void TestCommissioningWizard::certificatesTabRevokesWithReasonAndCrl()
{
    importList("serial,model,claim_code\nSN-42-0007,TH-100,UVWX-3\n");
    const TestFactoryDevice device(QStringLiteral("SN-42-0007"), QStringLiteral("UVWX-3"));
    QVERIFY(sendRequest(device));
    QString serial;
    {
        CommissioningWizard wizard(wizardServices());
        driveToVerify(wizard, device);
        serial = wizard.context().certificate->serial;
    }
    CertificatesPanel panel(m_authority.get());
    QAbstractItemModelTester tester(panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_authority->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(panel.model()->rowOfSerial(serial) >= 0, 10000);
    panel.selectSerial(serial);
    QVERIFY(panel.selected());
    QCOMPARE(panel.selected()->deviceId, QStringLiteral("sn-42-0007"));
    QVERIFY(panel.revokeButton()->isEnabled());
    QVERIFY(panel.rotateButton()->isEnabled());
    const int row = panel.model()->rowOfSerial(serial);
    QCOMPARE(panel.model()->index(row, CertificateListModel::StatusColumn).data().toString(), QStringLiteral("valid"));

    QSignalSpy crl(m_authority.get(), &CertificateAuthorityService::crlChanged);
    panel.revoke(serial, QStringLiteral("<b>stolen</b> van"));
    QVERIFY(crl.wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(panel.model()->index(panel.model()->rowOfSerial(serial), CertificateListModel::StatusColumn)
                                  .data()
                                  .toString(),
                              QStringLiteral("revoked"),
                              10000);
    QTRY_VERIFY(panel.feedbackLabel()->text().contains(QStringLiteral("the new CRL is written")));
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM certificates WHERE serial = '%1' AND status = 'revoked' AND "
                                  "revoke_reason = '<b>stolen</b> van'")
                       .arg(serial)),
             1);
    QVERIFY(!panel.revokeButton()->isEnabled());
    QVERIFY(!panel.rotateButton()->isEnabled());
    panel.resize(1000, 420);
    shoot(&panel, QStringLiteral("certificates"));
    // Export chain: intermediate then root.
    const QString chainPath = m_dir->filePath(QStringLiteral("chain.pem"));
    QVERIFY(panel.exportChain(chainPath));
    QCOMPARE(readAll(chainPath), m_ca->chainPem());
}

QTEST_MAIN(TestCommissioningWizard)
#include "test_commissioning_wizard.moc"
