// ProvisioningService against a real mosquitto and a real operations store: fake factory
// devices made here with OpenSSL (key, CSR, request JSON) on their own MQTT connections.
// Enrollment (pending -> technician approves -> certificate verifying against the chain),
// every rejection case (answered with its reason key, audited, nothing issued), replay,
// duplicate, expiry, bulk auto-approval, and a rotation driven by a test device.
#include "core/commands/command_codec.h"
#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "core/pki/ca_table.h"
#include "core/pki/certificate_table.h"
#include "core/pki/fleet_ca.h"
#include "core/provisioning/expected_device_csv.h"
#include "core/provisioning/provisioning_reason.h"
#include "core/provisioning/provisioning_request_table.h"
#include "core/provisioning/provisioning_response.h"
#include "core/provisioning/provisioning_service.h"
#include "core/provisioning/provisioning_topics.h"
#include "core/storage/sql_statement.h"
#include "core/transport/mqtt_client.h"
#include "tests/core/operations/operations_test_support.h"
#include "tests/core/provisioning/provisioning_test_device.h"
#include "tests/support/broker_fixture.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <memory>

using namespace fd;
using namespace fd::test;
using namespace fd::operationstest;

namespace {

const QString kSource = QStringLiteral("site-a");

// An MQTT connection of a fake device: collects what arrives on its topics.
class DeviceLink
{
public:
    DeviceLink(const ConnectionProfile &base, const QString &clientId)
    {
        ConnectionProfile p = base;
        p.clientId = clientId;
        p.sparkplug = false;
        m_profile = p;
        QObject::connect(&client, &MqttClient::messagesReceived, &client, [this](const MqttMessageBatch &batch) {
            for (const MqttMessage &m : batch)
                received.append({QString::fromUtf8(m.topic), m.payload});
        });
    }
    bool connectAndSubscribe(const QStringList &filters)
    {
        QSignalSpy subscribed(&client, &MqttClient::subscribed);
        for (const QString &f : filters)
            client.subscribe(f, 1);
        client.connectToBroker(m_profile);
        return QTest::qWaitFor([&] { return subscribed.size() >= filters.size(); }, 10000);
    }
    std::optional<QByteArray> waitFor(const QString &topic, int timeoutMs = 10000)
    {
        std::optional<QByteArray> out;
        (void)QTest::qWaitFor(
            [&] {
                for (qsizetype i = 0; i < received.size(); ++i) {
                    if (received[i].first == topic) {
                        out = received.takeAt(i).second;
                        return true;
                    }
                }
                return false;
            },
            timeoutMs);
        return out;
    }

    MqttClient client;
    QList<QPair<QString, QByteArray>> received;

private:
    ConnectionProfile m_profile;
};

} // namespace

class TestProvisioningService : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void enrollWithTechnician();
    void lostAcceptanceIsResent();
    void rejections_data();
    void rejections();
    void technicianRejectsAndWrongLabel();
    void replayAndDuplicate();
    void pendingRequestsExpire();
    void bulkAutoApproval();
    void caLockedKeepsRequestsPending();
    void rotation();

private:
    std::optional<ProvisioningResponse> enroll(const TestFactoryDevice &dev, const QByteArray &payload,
                                               DeviceLink **linkOut = nullptr);
    void importList(const QByteArray &csv);
    int count(const char *sql);
    bool run(std::function<bool(OperationsTransaction &, QString *)> job);

    BrokerFixture m_broker;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<OperationsStore> m_store;
    std::unique_ptr<ProvisioningService> m_service;
    std::shared_ptr<const FleetCa> m_ca;
    std::vector<std::unique_ptr<DeviceLink>> m_devices;
    ProvisioningTopics m_topics;
};

void TestProvisioningService::initTestCase()
{
    if (!BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    QString error;
    QVERIFY2(m_broker.start(&error), qPrintable(error));
    m_ca = std::make_shared<const FleetCa>(FleetCa::create(QStringLiteral("Test Fleet")).ca);
}

void TestProvisioningService::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = std::make_unique<OperationsStore>();
    QVERIFY(openStore(*m_store, m_dir->filePath(QStringLiteral("fleet.operations.sqlite"))).ok());
    // The CA row (the CRL number lives there).
    const FleetCa ca = *m_ca;
    QVERIFY(run([ca](OperationsTransaction &tx, QString *e) {
        CaRecord r;
        r.name = QStringLiteral("Test-Fleet");
        r.rootPem = ca.root().pem();
        r.intermediatePem = ca.intermediate().pem();
        r.intermediateKeyPem = ca.intermediateKey().privatePem("test-passphrase");
        return CaTable::insert(tx, r, false, QStringLiteral("test"), e) > 0;
    }));
    m_service = std::make_unique<ProvisioningService>(m_store.get(), QStringLiteral("tech"), ProvisioningPolicy{});
    m_service->setAuthority(m_ca);
    QSignalSpy ready(m_service.get(), &ProvisioningService::linkReady);
    m_service->setSourceLink(kSource, m_broker.profile(), m_broker.secrets());
    QVERIFY(ready.wait(10000) || m_service->isReady(kSource));
}

void TestProvisioningService::cleanup()
{
    m_devices.clear();
    m_service.reset();
    m_store.reset();
    m_dir.reset();
}

bool TestProvisioningService::run(std::function<bool(OperationsTransaction &, QString *)> job)
{
    JobOutcomes outcomes(*m_store);
    const quint64 id = m_store->submit({QStringLiteral("test"), std::move(job)});
    return id != 0 && QTest::qWaitFor([&] { return outcomes.done(id); }, 10000) && outcomes.committed.contains(id);
}

int TestProvisioningService::count(const char *sql)
{
    auto n = std::make_shared<int>(-1);
    const QByteArray q(sql);
    run([n, q](OperationsTransaction &tx, QString *e) {
        SqlStatement st;
        if (!st.prepare(tx.handle(), q.constData(), e) || st.step() != SQLITE_ROW)
            return false;
        *n = int(st.columnInt64(0));
        return true;
    });
    return *n;
}

void TestProvisioningService::importList(const QByteArray &csv)
{
    const auto parsed = ExpectedDeviceCsv::parse(csv, 1);
    QVERIFY(parsed.ok());
    QSignalSpy imported(m_service.get(), &ProvisioningService::expectedImported);
    QVERIFY(m_service->importExpected(parsed.devices) > 0);
    QVERIFY(imported.wait(10000));
}

std::optional<ProvisioningResponse> TestProvisioningService::enroll(const TestFactoryDevice &dev,
                                                                    const QByteArray &payload, DeviceLink **linkOut)
{
    auto link = std::make_unique<DeviceLink>(m_broker.profile(), dev.serial);  // client id = serial
    const QString responseTopic = m_topics.responseTopic(dev.serial);
    if (!link->connectAndSubscribe({responseTopic}))
        return std::nullopt;
    link->client.publish(m_topics.requestTopic(dev.serial), payload, 1, false);
    DeviceLink *raw = link.get();
    m_devices.push_back(std::move(link));
    if (linkOut)
        *linkOut = raw;
    const std::optional<QByteArray> answer = raw->waitFor(responseTopic, 300);
    if (!answer)
        return std::nullopt;  // no answer yet: pending
    QString why;
    return ProvisioningResponse::parse(*answer, &why);
}

void TestProvisioningService::enrollWithTechnician()
{
    importList("serial,model,claim_code\nSN-42-0001,TH-100,ABCD-1234\n");
    const TestFactoryDevice dev(QStringLiteral("SN-42-0001"), QStringLiteral("ABCD-1234"));
    const ProvisioningRequest request = dev.request();
    QSignalSpy pendingChanged(m_service.get(), &ProvisioningService::pendingChanged);
    DeviceLink *link = nullptr;
    QVERIFY(!enroll(dev, request.toJson(), &link));  // no answer: it waits for the technician
    QTRY_COMPARE_WITH_TIMEOUT(m_service->pending().size(), 1, 10000);
    const PendingRequest p = m_service->pending().constFirst();
    QCOMPARE(p.record.serial, dev.serial);
    QCOMPARE(p.record.deviceId, QStringLiteral("sn-42-0001"));
    QCOMPARE(p.record.nonce, request.nonce);
    QCOMPARE(p.record.source, kSource);
    QVERIFY(p.listed());

    // A different device id than the CSR names is refused without a decision.
    QSignalSpy errors(m_service.get(), &ProvisioningService::error);
    Enrollment other;
    other.deviceId = QStringLiteral("freezer-9");
    QCOMPARE(m_service->approve(p.record.id, other), 0u);
    QCOMPARE(errors.size(), 1);

    QSignalSpy decided(m_service.get(), &ProvisioningService::requestDecided);
    Enrollment e;
    e.name = QStringLiteral("Cold room 4");
    e.site = QStringLiteral("Lyon");
    e.typedSerial = QStringLiteral("SN-42-0001");
    e.typedClaim = QStringLiteral("ABCD-1234");
    QVERIFY(m_service->approve(p.record.id, e) > 0);
    QVERIFY(decided.wait(10000));
    QCOMPARE(decided.first().at(1).toBool(), true);
    const CertificateRecord cert = decided.first().at(4).value<CertificateRecord>();
    QCOMPARE(cert.deviceId, QStringLiteral("sn-42-0001"));
    QVERIFY(m_service->pending().isEmpty());

    const std::optional<QByteArray> answer = link->waitFor(m_topics.responseTopic(dev.serial));
    QVERIFY(answer);
    const auto response = ProvisioningResponse::parse(*answer);
    QVERIFY(response);
    QVERIFY(response->accepted);
    QCOMPARE(response->nonce, request.nonce);
    QCOMPARE(response->deviceId, QStringLiteral("sn-42-0001"));
    QCOMPARE(response->certSerial, cert.serial);
    QString why;
    QVERIFY2(verifiesAgainstChain(response->certificatePem, response->chainPem, &why), qPrintable(why));

    QCOMPARE(count("SELECT COUNT(*) FROM certificates WHERE device_id = 'sn-42-0001' AND status = 'valid'"), 1);
    QCOMPARE(count("SELECT COUNT(*) FROM expected_devices WHERE serial = 'SN-42-0001' AND state = 'enrolled'"
                   " AND name = 'Cold room 4' AND site = 'Lyon'"), 1);
    QCOMPARE(count("SELECT COUNT(*) FROM provisioning_requests WHERE state = 'accepted' AND cert_serial IS NOT NULL"), 1);
    QCOMPARE(count("SELECT COUNT(*) FROM audit_log WHERE action = 'provisioning_request.received'"), 1);
    QCOMPARE(count("SELECT COUNT(*) FROM audit_log WHERE action = 'provisioning_request.accepted' AND actor = 'tech'"), 1);
    QCOMPARE(count("SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.issued'"), 1);

    // The same device asking again (new nonce, same key: it lost the answer) gets the same
    // certificate again; with another key it is already enrolled.
    link->client.publish(m_topics.requestTopic(dev.serial), dev.request().toJson(), 1, false);
    const auto againAnswer = link->waitFor(m_topics.responseTopic(dev.serial));
    QVERIFY(againAnswer);
    const auto again = ProvisioningResponse::parse(*againAnswer);
    QVERIFY(again && again->accepted);
    QCOMPARE(again->certSerial, cert.serial);
    const TestFactoryDevice rekeyed(dev.serial, dev.claimCode);
    link->client.publish(m_topics.requestTopic(dev.serial), rekeyed.request().toJson(), 1, false);
    const auto otherAnswer = link->waitFor(m_topics.responseTopic(dev.serial));
    QVERIFY(otherAnswer);
    QCOMPARE(ProvisioningResponse::parse(*otherAnswer)->reasonKey, ProvisioningReason::AlreadyEnrolled);
    QCOMPARE(count("SELECT COUNT(*) FROM certificates"), 1);
}

void TestProvisioningService::lostAcceptanceIsResent()
{
    ProvisioningPolicy p;
    p.autoApproveListed = true;
    m_service->setPolicy(p);
    importList("serial,model,claim_code\nSN-LOST,TH-100,c0de\n");
    const TestFactoryDevice dev(QStringLiteral("SN-LOST"), QStringLiteral("c0de"));
    // One connection of the device (client id = serial) for all its requests.
    DeviceLink *link = nullptr;
    std::optional<ProvisioningResponse> issued = enroll(dev, dev.request().toJson(), &link);
    auto ask = [&](const ProvisioningRequest &request) -> std::optional<ProvisioningResponse> {
        link->client.publish(m_topics.requestTopic(dev.serial), request.toJson(), 1, false);
        const auto answer = link->waitFor(m_topics.responseTopic(dev.serial));
        return answer ? ProvisioningResponse::parse(*answer) : std::nullopt;
    };
    if (!issued) {
        const auto answer = link->waitFor(m_topics.responseTopic(dev.serial));
        QVERIFY(answer);
        issued = ProvisioningResponse::parse(*answer);
    }
    // The device never sees this answer (broker dropped it, it rebooted): it asks again.
    QVERIFY(issued && issued->accepted);
    QCOMPARE(count("SELECT COUNT(*) FROM certificates"), 1);

    // A new nonce and a CSR for the same key (kept in its flash).
    QSignalSpy decided(m_service.get(), &ProvisioningService::requestDecided);
    const ProvisioningRequest second = dev.request();
    const auto resent = ask(second);
    QVERIFY(resent);
    QVERIFY2(resent->accepted, qPrintable(resent->reasonKey + u' ' + resent->message));
    QCOMPARE(resent->nonce, second.nonce);
    QCOMPARE(resent->deviceId, dev.id());
    QCOMPARE(resent->certSerial, issued->certSerial);
    QCOMPARE(resent->certificatePem, issued->certificatePem);
    QCOMPARE(resent->chainPem, issued->chainPem);
    QString why;
    QVERIFY2(verifiesAgainstChain(resent->certificatePem, resent->chainPem, &why), qPrintable(why));
    QTRY_VERIFY(!decided.isEmpty());
    QCOMPARE(decided.first().at(1).toBool(), true);
    QCOMPARE(decided.first().at(4).value<CertificateRecord>().serial, issued->certSerial);
    QVERIFY(m_service->pending().isEmpty());

    // Nothing new: one certificate, one issuance; the request is recorded accepted with the
    // same serial and audited as a re-send.
    QCOMPARE(count("SELECT COUNT(*) FROM certificates"), 1);
    QCOMPARE(count("SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.issued'"), 1);
    const QByteArray sameSerial = QStringLiteral("SELECT COUNT(*) FROM provisioning_requests WHERE state = 'accepted'"
                                                 " AND cert_serial = '%1'").arg(issued->certSerial).toUtf8();
    QCOMPARE(count(sameSerial.constData()), 2);
    QCOMPARE(count("SELECT COUNT(*) FROM audit_log WHERE action = 'provisioning_request.resent'"
                   " AND object_kind = 'provisioning_request'"), 1);
    QCOMPARE(count("SELECT COUNT(*) FROM provisioning_requests WHERE reason LIKE 're-sent%'"), 1);

    // The same bytes again are still a replay.
    const auto replay = ask(second);
    QVERIFY(replay);
    QCOMPARE(replay->reasonKey, ProvisioningReason::Replay);

    // Nothing is signed, so it works while the CA is locked (the chain comes from the store).
    m_service->setAuthority(nullptr);
    const auto locked = ask(dev.request());
    QVERIFY(locked && locked->accepted);
    QCOMPARE(locked->certSerial, issued->certSerial);
    QVERIFY(verifiesAgainstChain(locked->certificatePem, locked->chainPem));
    m_service->setAuthority(m_ca);

    // The certificate's public key with a signature that does not verify proves nothing.
    ProvisioningRequest forged = dev.request();
    forged.csrPem = makeTestCsr(dev.key.get(), dev.id(), true);
    const auto forgedAnswer = ask(forged);
    QVERIFY(forgedAnswer);
    QCOMPARE(forgedAnswer->reasonKey, ProvisioningReason::BadCsrSignature);
    QVERIFY(forgedAnswer->certificatePem.isEmpty());

    // The right key but the wrong claim: refused before the key is looked at.
    ProvisioningRequest wrongClaim = dev.request();
    wrongClaim.claimHash = ProvisioningIds::claimHash(dev.serial, QStringLiteral("guess"));
    const auto claimAnswer = ask(wrongClaim);
    QVERIFY(claimAnswer);
    QCOMPARE(claimAnswer->reasonKey, ProvisioningReason::WrongClaim);

    // Another key for the enrolled serial: already enrolled, as before.
    const TestFactoryDevice impostor(dev.serial, dev.claimCode);
    const auto other = ask(impostor.request());
    QVERIFY(other);
    QCOMPARE(other->reasonKey, ProvisioningReason::AlreadyEnrolled);

    // Once its certificate is revoked the key is not re-sent either.
    const QString serial = issued->certSerial;
    QVERIFY(run([serial](OperationsTransaction &tx, QString *e) {
        return CertificateTable::revoke(tx, serial, QStringLiteral("lost"), tx.nowMs(), QStringLiteral("test"), e);
    }));
    const auto afterRevoke = ask(dev.request());
    QVERIFY(afterRevoke);
    QCOMPARE(afterRevoke->reasonKey, ProvisioningReason::AlreadyEnrolled);
    QCOMPARE(count("SELECT COUNT(*) FROM certificates"), 1);
    QCOMPARE(count("SELECT COUNT(*) FROM audit_log WHERE action = 'provisioning_request.resent'"), 2);
}

void TestProvisioningService::rejections_data()
{
    QTest::addColumn<QString>("caseName");
    QTest::addColumn<QString>("reason");
    for (const QString &r : {ProvisioningReason::UnknownSerial, ProvisioningReason::WrongClaim, ProvisioningReason::ModelMismatch,
                             ProvisioningReason::InvalidDeviceId, ProvisioningReason::Expired, ProvisioningReason::Malformed,
                             ProvisioningReason::TooLarge, ProvisioningReason::BadCsr, ProvisioningReason::BadCsrSignature,
                             ProvisioningReason::SubjectMismatch, ProvisioningReason::WeakKey, ProvisioningReason::WrongKeyType})
        QTest::newRow(qPrintable(r)) << r << r;
    QTest::newRow("expired future") << QStringLiteral("future") << ProvisioningReason::Expired;
    QTest::newRow("reserved id") << QStringLiteral("reserved") << ProvisioningReason::InvalidDeviceId;
}

void TestProvisioningService::rejections()
{
    QFETCH(QString, caseName);
    QFETCH(QString, reason);
    importList("serial,model,claim_code\nSN-1,TH-100,GOOD\n");
    const bool weak = caseName == ProvisioningReason::WeakKey;
    const bool wrongType = caseName == ProvisioningReason::WrongKeyType;
    TestFactoryDevice dev(caseName == ProvisioningReason::UnknownSerial ? QStringLiteral("SN-2") : QStringLiteral("SN-1"),
                          caseName == ProvisioningReason::WrongClaim ? QStringLiteral("BAD") : QStringLiteral("GOOD"),
                          weak ? TestKeyType::P192 : wrongType ? TestKeyType::Rsa2048 : TestKeyType::P256);
    if (caseName == ProvisioningReason::ModelMismatch)
        dev.model = QStringLiteral("TH-999");
    if (caseName == ProvisioningReason::InvalidDeviceId)
        dev.deviceId = QStringLiteral(".hidden");
    if (caseName == u"reserved")
        dev.deviceId = QStringLiteral("fleetdeck-operator");
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    ProvisioningRequest r = dev.request(caseName == ProvisioningReason::Expired ? now - 2 * 3600 * 1000
                                        : caseName == u"future"                ? now + 10 * 60 * 1000
                                                                                : now);
    if (caseName == ProvisioningReason::BadCsr)
        r.csrPem = "-----BEGIN CERTIFICATE REQUEST-----\nnot base64\n-----END CERTIFICATE REQUEST-----\n";
    if (caseName == ProvisioningReason::BadCsrSignature)
        r.csrPem = makeTestCsr(dev.key.get(), dev.id(), true);
    if (caseName == ProvisioningReason::SubjectMismatch)
        r.csrPem = makeTestCsr(dev.key.get(), QStringLiteral("someone-else"));
    QByteArray payload = r.toJson();
    if (caseName == ProvisioningReason::Malformed)
        payload = R"({"v":1,"serial":"SN-1","nonce":")" + r.nonce.toLatin1() + R"(","ts":"yesterday"})";
    if (caseName == ProvisioningReason::TooLarge)
        payload = QByteArray(20000, ' ');

    QSignalSpy decided(m_service.get(), &ProvisioningService::requestDecided);
    const auto response = enroll(dev, payload);
    QVERIFY2(response, "the device got no answer");
    QVERIFY(!response->accepted);
    QCOMPARE(response->reasonKey, reason);
    QVERIFY(!response->message.isEmpty());
    QVERIFY(response->certificatePem.isEmpty());
    if (caseName != ProvisioningReason::TooLarge)
        QCOMPARE(response->nonce, r.nonce);
    QTRY_VERIFY(!decided.isEmpty());
    QCOMPARE(decided.first().at(2).toString(), reason);

    QCOMPARE(count("SELECT COUNT(*) FROM certificates"), 0);  // nothing issued
    QVERIFY(m_service->pending().isEmpty());
    if (caseName == ProvisioningReason::TooLarge) {
        // No nonce to key a row on: audited only.
        QCOMPARE(count("SELECT COUNT(*) FROM provisioning_requests"), 0);
        QCOMPARE(count("SELECT COUNT(*) FROM audit_log WHERE action = 'provisioning_request.too_large'"), 1);
    } else {
        QCOMPARE(count("SELECT COUNT(*) FROM provisioning_requests WHERE state = 'rejected'"), 1);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = 'provisioning_request.received'"
                                      " AND detail LIKE '%1:%'")
                           .arg(reason)
                           .toUtf8()
                           .constData()),
                 1);
    }
}

void TestProvisioningService::technicianRejectsAndWrongLabel()
{
    ProvisioningPolicy open;
    open.allowUnknown = true;
    m_service->setPolicy(open);
    const TestFactoryDevice a(QStringLiteral("SN-A"), QStringLiteral("CODE-A"));
    const TestFactoryDevice b(QStringLiteral("SN-B"), QStringLiteral("CODE-B"));
    DeviceLink *linkA = nullptr;
    DeviceLink *linkB = nullptr;
    QVERIFY(!enroll(a, a.request().toJson(), &linkA));
    QVERIFY(!enroll(b, b.request().toJson(), &linkB));
    QTRY_COMPARE_WITH_TIMEOUT(m_service->pending().size(), 2, 10000);
    QVERIFY(!m_service->pending().at(0).listed());  // unknown, allowed by the policy

    QSignalSpy decided(m_service.get(), &ProvisioningService::requestDecided);
    QVERIFY(m_service->reject(m_service->pending().at(0).record.id, QStringLiteral("not on the work order")) > 0);
    const auto ra = linkA->waitFor(m_topics.responseTopic(a.serial));
    QVERIFY(ra);
    QCOMPARE(ProvisioningResponse::parse(*ra)->reasonKey, ProvisioningReason::RejectedByTechnician);
    QCOMPARE(ProvisioningResponse::parse(*ra)->message, QStringLiteral("not on the work order"));

    Enrollment e;
    e.typedSerial = b.serial;
    e.typedClaim = QStringLiteral("CODE-X");  // mistyped or a swapped label
    QVERIFY(m_service->approve(m_service->pending().at(0).record.id, e) > 0);
    const auto rb = linkB->waitFor(m_topics.responseTopic(b.serial));
    QVERIFY(rb);
    QCOMPARE(ProvisioningResponse::parse(*rb)->reasonKey, ProvisioningReason::WrongClaim);
    QTRY_COMPARE(decided.size(), 2);
    QCOMPARE(count("SELECT COUNT(*) FROM certificates"), 0);
    QCOMPARE(count("SELECT COUNT(*) FROM audit_log WHERE action = 'provisioning_request.rejected' AND actor = 'tech'"), 2);
}

void TestProvisioningService::replayAndDuplicate()
{
    ProvisioningPolicy open;
    open.allowUnknown = true;
    m_service->setPolicy(open);
    const TestFactoryDevice dev(QStringLiteral("SN-R"), QStringLiteral("c"));
    const ProvisioningRequest first = dev.request();
    DeviceLink *link = nullptr;
    QVERIFY(!enroll(dev, first.toJson(), &link));
    QTRY_COMPARE_WITH_TIMEOUT(m_service->pending().size(), 1, 10000);

    // The same bytes again: a replay, answered and audited, no second row.
    link->client.publish(m_topics.requestTopic(dev.serial), first.toJson(), 1, false);
    auto answer = link->waitFor(m_topics.responseTopic(dev.serial));
    QVERIFY(answer);
    QCOMPARE(ProvisioningResponse::parse(*answer)->reasonKey, ProvisioningReason::Replay);
    QCOMPARE(count("SELECT COUNT(*) FROM audit_log WHERE action = 'provisioning_request.replay'"), 1);

    // A new request of the same serial while the first waits: a duplicate; the first stays.
    const ProvisioningRequest second = dev.request();
    link->client.publish(m_topics.requestTopic(dev.serial), second.toJson(), 1, false);
    answer = link->waitFor(m_topics.responseTopic(dev.serial));
    QVERIFY(answer);
    QCOMPARE(ProvisioningResponse::parse(*answer)->reasonKey, ProvisioningReason::Duplicate);
    QCOMPARE(ProvisioningResponse::parse(*answer)->nonce, second.nonce);
    QCOMPARE(m_service->pending().size(), 1);
    QCOMPARE(m_service->pending().constFirst().record.nonce, first.nonce);
    QCOMPARE(count("SELECT COUNT(*) FROM provisioning_requests"), 2);
}

void TestProvisioningService::pendingRequestsExpire()
{
    ProvisioningPolicy p;
    p.allowUnknown = true;
    p.requestTtlMs = 5000;  // connecting the device takes a moment: the request must still be valid on arrival
    m_service->setPolicy(p);
    m_service->setExpiryCheckIntervalMs(100);
    const TestFactoryDevice dev(QStringLiteral("SN-E"), QStringLiteral("c"));
    DeviceLink *link = nullptr;
    const auto early = enroll(dev, dev.request().toJson(), &link);
    QVERIFY2(!early, early ? qPrintable(early->reasonKey + u' ' + early->message) : "");
    QTRY_COMPARE_WITH_TIMEOUT(m_service->pending().size(), 1, 10000);
    const auto answer = link->waitFor(m_topics.responseTopic(dev.serial), 20000);
    QVERIFY(answer);
    QCOMPARE(ProvisioningResponse::parse(*answer)->reasonKey, ProvisioningReason::Expired);
    QVERIFY(m_service->pending().isEmpty());
    QCOMPARE(count("SELECT COUNT(*) FROM provisioning_requests WHERE state = 'expired'"), 1);
}

void TestProvisioningService::bulkAutoApproval()
{
    ProvisioningPolicy p;
    p.autoApproveListed = true;
    m_service->setPolicy(p);
    importList("serial,model,claim_code,device_id\nSN-B1,TH-100,c1,\nSN-B2,TH-100,c2,freezer-2\n");
    TestFactoryDevice one(QStringLiteral("SN-B1"), QStringLiteral("c1"));
    TestFactoryDevice two(QStringLiteral("SN-B2"), QStringLiteral("c2"));
    two.deviceId = QStringLiteral("freezer-2");
    for (const TestFactoryDevice *dev : {&one, &two}) {
        DeviceLink *link = nullptr;
        std::optional<ProvisioningResponse> r = enroll(*dev, dev->request().toJson(), &link);
        if (!r) {
            const auto answer = link->waitFor(m_topics.responseTopic(dev->serial));
            QVERIFY(answer);
            r = ProvisioningResponse::parse(*answer);
        }
        QVERIFY(r && r->accepted);
        QCOMPARE(r->deviceId, dev->id());
        QVERIFY(verifiesAgainstChain(r->certificatePem, r->chainPem));
    }
    QCOMPARE(count("SELECT COUNT(*) FROM expected_devices WHERE state = 'enrolled'"), 2);
    QCOMPARE(count("SELECT COUNT(*) FROM provisioning_requests WHERE state = 'accepted' AND decided_by = 'tech'"), 2);
    // Unlisted devices are still refused under the strict policy.
    const TestFactoryDevice stranger(QStringLiteral("SN-X"), QStringLiteral("c"));
    const auto r = enroll(stranger, stranger.request().toJson());
    QVERIFY(r);
    QCOMPARE(r->reasonKey, ProvisioningReason::UnknownSerial);
}

void TestProvisioningService::caLockedKeepsRequestsPending()
{
    ProvisioningPolicy p;
    p.autoApproveListed = true;
    m_service->setPolicy(p);
    m_service->setAuthority(nullptr);
    importList("serial,model,claim_code\nSN-L,TH-100,c\n");
    const TestFactoryDevice dev(QStringLiteral("SN-L"), QStringLiteral("c"));
    DeviceLink *link = nullptr;
    QVERIFY(!enroll(dev, dev.request().toJson(), &link));
    QTRY_COMPARE_WITH_TIMEOUT(m_service->pending().size(), 1, 10000);
    Enrollment e;
    e.typedSerial = dev.serial;
    e.typedClaim = dev.claimCode;
    QCOMPARE(m_service->approve(m_service->pending().constFirst().record.id, e), 0u);  // locked: refused, still pending

    // An expired CA: the request is rejected with ca_unusable.
    const auto expired = std::make_shared<const FleetCa>(
        FleetCa::create(QStringLiteral("Old"), 2, 1, QDateTime::currentMSecsSinceEpoch() - 10LL * 86400 * 1000).ca);
    m_service->setAuthority(expired);
    QVERIFY(m_service->approve(m_service->pending().constFirst().record.id, e) > 0);
    const auto answer = link->waitFor(m_topics.responseTopic(dev.serial));
    QVERIFY(answer);
    QCOMPARE(ProvisioningResponse::parse(*answer)->reasonKey, ProvisioningReason::CaUnusable);
    QCOMPARE(count("SELECT COUNT(*) FROM certificates"), 0);
}

void TestProvisioningService::rotation()
{
    ProvisioningPolicy p;
    p.autoApproveListed = true;
    m_service->setPolicy(p);
    importList("serial,model,claim_code\nSN-ROT,TH-100,c\n");
    const TestFactoryDevice dev(QStringLiteral("SN-ROT"), QStringLiteral("c"));
    const auto enrolled = enroll(dev, dev.request().toJson());
    QVERIFY(enrolled && enrolled->accepted);
    const QString oldSerial = enrolled->certSerial;

    // The enrolled device, on its own topics.
    const QString id = dev.id();
    const QString prefix = QStringLiteral("fleetdeck/v1/") + id;
    auto device = std::make_unique<DeviceLink>(m_broker.profile(), id);
    QVERIFY(device->connectAndSubscribe({prefix + QStringLiteral("/cmd"), prefix + QStringLiteral("/pki/cert")}));

    QVERIFY(m_service->requestRotation(kSource, id) > 0);
    const auto cmd = device->waitFor(prefix + QStringLiteral("/cmd"));
    QVERIFY(cmd);
    CommandRequest request;
    QVERIFY(CommandCodec::parseRequest(*cmd, &request));
    QCOMPARE(request.name, QStringLiteral("pki.rekey"));

    // The device makes a new key and sends its CSR.
    std::shared_ptr<EVP_PKEY> newKey(makeTestKey(TestKeyType::P256), EVP_PKEY_free);
    ProvisioningRequest csr;
    csr.kind = ProvisioningRequest::Kind::Rotate;
    csr.nonce = randomNonce();
    csr.tsMs = QDateTime::currentMSecsSinceEpoch();
    csr.csrPem = makeTestCsr(newKey.get(), id);
    device->client.publish(prefix + QStringLiteral("/pki/csr"), csr.toJson(), 1, false);
    const auto certAnswer = device->waitFor(prefix + QStringLiteral("/pki/cert"));
    QVERIFY(certAnswer);
    const auto issued = ProvisioningResponse::parse(*certAnswer);
    QVERIFY(issued && issued->accepted);
    QCOMPARE(issued->nonce, csr.nonce);
    QVERIFY(issued->certSerial != oldSerial);
    QVERIFY(verifiesAgainstChain(issued->certificatePem, issued->chainPem));
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM certificates WHERE serial = '%1' AND replaces_serial = '%2'")
                       .arg(issued->certSerial, oldSerial).toUtf8().constData()), 1);

    // An old status (the previous certificate) changes nothing; the new one finishes it.
    QSignalSpy finished(m_service.get(), &ProvisioningService::rotationFinished);
    QSignalSpy crl(m_service.get(), &ProvisioningService::crlChanged);
    device->client.publish(prefix + QStringLiteral("/status"),
                           QJsonDocument(QJsonObject{{QStringLiteral("online"), true}, {QStringLiteral("cert_serial"), oldSerial}}).toJson(), 1, true);
    device->client.publish(prefix + QStringLiteral("/status"),
                           QJsonDocument(QJsonObject{{QStringLiteral("online"), true}, {QStringLiteral("cert_serial"), issued->certSerial}}).toJson(), 1, true);
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(0).toString(), id);
    QCOMPARE(finished.first().at(1).toString(), oldSerial);
    QCOMPARE(finished.first().at(2).toString(), issued->certSerial);
    QCOMPARE(crl.size(), 1);
    QVERIFY(crl.first().at(0).toByteArray().contains("BEGIN X509 CRL"));
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM certificates WHERE serial = '%1' AND status = 'revoked'")
                       .arg(oldSerial).toUtf8().constData()), 1);
    QCOMPARE(count("SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.rotation_requested'"), 1);
    device->client.publish(prefix + QStringLiteral("/status"), QByteArray(), 1, true);  // clear the retained status

    // A CSR nobody asked for waits for the technician.
    csr.nonce = randomNonce();
    device->client.publish(prefix + QStringLiteral("/pki/csr"), csr.toJson(), 1, false);
    QTRY_COMPARE_WITH_TIMEOUT(m_service->pending().size(), 1, 10000);
    QCOMPARE(m_service->pending().constFirst().record.kind, ProvisioningRequestRecord::Kind::Rotate);
}

QTEST_GUILESS_MAIN(TestProvisioningService)
#include "test_provisioning_service.moc"
