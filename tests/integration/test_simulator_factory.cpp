// fleetdeck-sim's mTLS identities and factory-state devices against a real mosquitto with
// the fleet's TLS listener, ACL and CRL, the CA made with core/pki (FleetCa). The test is a
// minimal FleetDeck: an operator client that answers provisioning and rotation requests by
// issuing with the CA (what ProvisioningService does), and watches the devices report.
#include "core/pki/certificate.h"
#include "core/pki/csr_check.h"
#include "core/provisioning/expected_device_csv.h"
#include "core/provisioning/provisioning_ids.h"
#include "core/provisioning/provisioning_request.h"
#include "core/provisioning/provisioning_response.h"
#include "core/provisioning/provisioning_topics.h"
#include "core/transport/mqtt_client.h"
#include "tests/support/broker_fixture.h"
#include "tests/support/fleet_pki_files.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <functional>
#include <memory>

using namespace Qt::StringLiterals;

namespace fd {

class TestSimulatorFactory : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void certDirDevicesAndNodesConnectOverMtls();
    void factoryDeviceEnrollsReportsAndRotates();
    void refusedFactoryDeviceAsksAgainAndStaysOut();
    void replayedRequestIsRefusedAndTheFirstStillCounts();
    void factoryListWithoutBroker();
    void refusedCertificateIsExplained();
    void survivesBrokerKilledUnderMtls();

private:
    bool startSim(const QStringList &extra);
    // Latest retained status JSON of deviceId seen by the operator.
    QJsonObject statusOf(const QString &deviceId) const;
    bool sawTelemetry(const QString &deviceId) const;
    bool sawTopic(const QByteArray &topic) const;
    void publish(const QString &topic, const QByteArray &payload);

    QString m_simPath;
    std::unique_ptr<test::FleetPkiFiles> m_pki;
    std::unique_ptr<test::BrokerFixture> m_broker;
    std::unique_ptr<MqttClient> m_operator;
    QList<MqttMessage> m_seen;
    std::function<void(const MqttMessage &)> m_onMessage;  // the test's FleetDeck
    std::unique_ptr<QProcess> m_sim;
    QByteArray m_simLog;
};

void TestSimulatorFactory::initTestCase()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    m_simPath = QStringLiteral(FLEETDECK_BIN_DIR) + u"/fleetdeck-sim"_s;
    QVERIFY2(QFileInfo(m_simPath).isExecutable(), "build fleetdeck-sim first");
}

void TestSimulatorFactory::init()
{
    m_pki = std::make_unique<test::FleetPkiFiles>();
    QString error;
    QVERIFY2(m_pki->create(&error), qPrintable(error));
    m_broker = std::make_unique<test::BrokerFixture>();
    QVERIFY2(m_broker->start(&error, m_pki->brokerOptions()), qPrintable(error));
    m_operator = std::make_unique<MqttClient>();
    connect(m_operator.get(), &MqttClient::messagesReceived, this, [this](const MqttMessageBatch &batch) {
        for (const MqttMessage &m : batch) {
            m_seen.append(m);
            if (m_onMessage)
                m_onMessage(m);
        }
    });
    QSignalSpy subscribed(m_operator.get(), &MqttClient::subscribed);
    for (const QString &filter : {u"fleetdeck/#"_s, u"spBv1.0/#"_s})
        m_operator->subscribe(filter, 1);
    m_operator->connectToBroker(m_pki->operatorProfile(m_broker->port()));
    QTRY_COMPARE_WITH_TIMEOUT(subscribed.size(), 2, 15000);
    QVERIFY(subscribed.at(0).at(1).toBool() && subscribed.at(1).at(1).toBool());
}

void TestSimulatorFactory::cleanup()
{
    if (m_sim) {
        m_sim->terminate();
        if (!m_sim->waitForFinished(10000))
            m_sim->kill();
        m_simLog += m_sim->readAll();
        if (QTest::currentTestFailed()) {
            qWarning().noquote() << "simulator output:\n" << QString::fromUtf8(m_simLog.right(6000));
            qWarning().noquote() << "broker log:\n" << m_broker->launcher().log().right(6000);
        }
        m_sim.reset();
    }
    m_simLog.clear();
    m_onMessage = nullptr;
    m_seen.clear();
    m_operator.reset();
    m_broker.reset();
    m_pki.reset();
}

bool TestSimulatorFactory::startSim(const QStringList &extra)
{
    m_sim = std::make_unique<QProcess>();
    m_sim->setProcessChannelMode(QProcess::MergedChannels);
    connect(m_sim.get(), &QProcess::readyRead, this, [this] { m_simLog += m_sim->readAll(); });
    m_sim->start(m_simPath, QStringList{u"--broker"_s, u"mqtts://127.0.0.1:%1"_s.arg(m_broker->port()), u"--cafile"_s,
                                        m_pki->chainFile(), u"--cert-dir"_s, m_pki->certDir()}
                                + extra);
    return m_sim->waitForStarted(5000);
}

QJsonObject TestSimulatorFactory::statusOf(const QString &deviceId) const
{
    const QByteArray topic = "fleetdeck/v1/" + deviceId.toUtf8() + "/status";
    for (qsizetype i = m_seen.size() - 1; i >= 0; --i) {
        if (m_seen.at(i).topic == topic)
            return QJsonDocument::fromJson(m_seen.at(i).payload).object();
    }
    return {};
}

bool TestSimulatorFactory::sawTelemetry(const QString &deviceId) const
{
    const QByteArray topic = "fleetdeck/v1/" + deviceId.toUtf8() + "/telemetry";
    for (const MqttMessage &m : m_seen) {
        if (m.topic == topic)
            return true;
    }
    return false;
}

bool TestSimulatorFactory::sawTopic(const QByteArray &topic) const
{
    for (const MqttMessage &m : m_seen) {
        if (m.topic == topic)
            return true;
    }
    return false;
}

void TestSimulatorFactory::publish(const QString &topic, const QByteArray &payload)
{
    QVERIFY(m_operator->publish(topic, payload, 1));
}

void TestSimulatorFactory::certDirDevicesAndNodesConnectOverMtls()
{
    QString error;
    const QString serial1 = m_pki->issueInto(u"dev-00001"_s, &error);
    QVERIFY2(!serial1.isEmpty(), qPrintable(error));
    QVERIFY(!m_pki->issueInto(u"dev-00002"_s, &error).isEmpty());
    QVERIFY(!m_pki->issueInto(u"gw-01"_s, &error).isEmpty());
    // dev-00003 and gw-02 have no files.
    QVERIFY(startSim({u"--devices"_s, u"3"_s, u"--rate"_s, u"4"_s, u"--seed"_s, u"5"_s, u"--sparkplug-nodes"_s, u"2"_s,
                      u"--sparkplug-devices"_s, u"1"_s, u"--sparkplug-group"_s, u"Plant"_s}));
    QTRY_VERIFY_WITH_TIMEOUT(sawTelemetry(u"dev-00001"_s) && sawTelemetry(u"dev-00002"_s), 20000);
    QCOMPARE(statusOf(u"dev-00001"_s).value(u"cert_serial"_s).toString(), serial1);
    QCOMPARE(statusOf(u"dev-00001"_s).value(u"online"_s).toBool(), true);
    QTRY_VERIFY_WITH_TIMEOUT(sawTopic("spBv1.0/Plant/NBIRTH/gw-01"), 20000);
    // The simulator says so when it starts: those two are never connected (no client, so no
    // message of theirs could be late).
    QTRY_VERIFY2_WITH_TIMEOUT(m_simLog.contains("have no certificate") && m_simLog.contains("dev-00003"),
                              m_simLog.constData(), 10000);
    QTRY_VERIFY2_WITH_TIMEOUT(m_simLog.contains("gw-02 has no certificate"), m_simLog.constData(), 10000);
    QVERIFY(!sawTelemetry(u"dev-00003"_s));
    QVERIFY(!sawTopic("spBv1.0/Plant/NBIRTH/gw-02"));
}

void TestSimulatorFactory::factoryDeviceEnrollsReportsAndRotates()
{
    const QString listPath = QDir(m_pki->dir()).filePath(u"expected.csv"_s);
    const ProvisioningTopics topics;
    QList<ExpectedDevice> expected;
    QStringList answered;
    QString issuedSerial;
    QString rotatedSerial;
    QByteArray firstRequest;
    // The test's FleetDeck: checks the request against the expected list (claim hash),
    // signs the CSR, answers; later the same for the rotation CSR.
    m_onMessage = [&](const MqttMessage &m) {
        const ProvisioningTopics::Parsed where = topics.parse(m.topic);
        QString why;
        if (where.kind == ProvisioningTopics::Kind::Request) {
            firstRequest = m.payload;
            ProvisioningRequest::Error parseError;
            const std::optional<ProvisioningRequest> request =
                ProvisioningRequest::parseEnroll(m.payload, where.id, &parseError);
            QVERIFY2(request, qPrintable(parseError.detail));
            QVERIFY(!expected.isEmpty());
            QCOMPARE(request->claimHash, expected.constFirst().claimHash);
            QCOMPARE(request->model, u"TH-100"_s);
            QVERIFY(CsrCheck::check(request->csrPem, request->deviceId).ok());
            const std::optional<Certificate> cert = m_pki->issueForCsr(request->csrPem, request->deviceId, &why);
            QVERIFY2(cert, qPrintable(why));
            issuedSerial = cert->serialHex();
            ProvisioningResponse response;
            response.nonce = request->nonce;
            response.accepted = true;
            response.deviceId = request->deviceId;
            response.certSerial = issuedSerial;
            response.certificatePem = cert->pem();
            response.chainPem = m_pki->ca().chainPem();
            publish(topics.responseTopic(where.id), response.toJson());
            answered << where.id;
        } else if (where.kind == ProvisioningTopics::Kind::RotationCsr) {
            ProvisioningRequest::Error parseError;
            const std::optional<ProvisioningRequest> request =
                ProvisioningRequest::parseRotation(m.payload, where.id, &parseError);
            QVERIFY2(request, qPrintable(parseError.detail));
            const std::optional<Certificate> cert = m_pki->issueForCsr(request->csrPem, where.id, &why);
            QVERIFY2(cert, qPrintable(why));
            rotatedSerial = cert->serialHex();
            ProvisioningResponse response;
            response.nonce = request->nonce;
            response.accepted = true;
            response.deviceId = where.id;
            response.certSerial = rotatedSerial;
            response.certificatePem = cert->pem();
            response.chainPem = m_pki->ca().chainPem();
            publish(topics.rotationCertTopic(where.id), response.toJson());
        }
    };
    // The expected list first (as FleetDeck imports it), then the device.
    QProcess list;
    list.start(m_simPath, {u"--factory"_s, u"1"_s, u"--seed"_s, u"42"_s, u"--factory-list"_s, listPath});
    QVERIFY(list.waitForFinished(10000));
    QCOMPARE(list.exitCode(), 0);
    QFile csv(listPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const ExpectedDeviceCsv::Result parsed = ExpectedDeviceCsv::parse(csv.readAll(), 0);
    QVERIFY2(parsed.ok(), qPrintable(parsed.errors.join(u'\n')));
    expected = parsed.devices;
    QCOMPARE(expected.size(), 1);
    QCOMPARE(expected.constFirst().serial, u"SN-42-0001"_s);

    QVERIFY(startSim({u"--factory"_s, u"1"_s, u"--seed"_s, u"42"_s, u"--rate"_s, u"5"_s, u"--bootstrap-cert"_s,
                      m_pki->bootstrapCert(), u"--bootstrap-key"_s, m_pki->bootstrapKey()}));
    QTRY_COMPARE_WITH_TIMEOUT(answered, QStringList{u"SN-42-0001"_s}, 20000);
    const QJsonObject request = QJsonDocument::fromJson(firstRequest).object();
    QCOMPARE(request.value(u"device_id"_s).toString(), u"sn-42-0001"_s);
    QVERIFY(!request.contains(u"claim"_s));  // only its hash

    // Online with its own certificate, telemetry flowing, status naming the certificate.
    QTRY_VERIFY_WITH_TIMEOUT(sawTelemetry(u"sn-42-0001"_s), 20000);
    QCOMPARE(statusOf(u"sn-42-0001"_s).value(u"cert_serial"_s).toString(), issuedSerial);
    QCOMPARE(statusOf(u"sn-42-0001"_s).value(u"model"_s).toString(), u"TH-100"_s);
    QVERIFY(!statusOf(u"sn-42-0001"_s).contains(u"name"_s));  // the technician's to give
    const QString keyPath = QDir(m_pki->certDir()).filePath(u"sn-42-0001.key"_s);
    QVERIFY(QFile::exists(keyPath));
    QCOMPARE(QFileInfo(keyPath).permissions() & 0x7077, QFileDevice::ReadOwner | QFileDevice::WriteOwner);

    // Rotation: pki.rekey -> CSR on pki/csr -> certificate on pki/cert -> reconnect with it.
    publish(u"fleetdeck/v1/sn-42-0001/cmd"_s, R"({"id":"rk-1","name":"pki.rekey","params":{},"ts":1})");
    QTRY_VERIFY_WITH_TIMEOUT(!rotatedSerial.isEmpty(), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(u"sn-42-0001"_s).value(u"cert_serial"_s).toString(), rotatedSerial, 15000);
    QVERIFY(rotatedSerial != issuedSerial);
    // The command was answered, and telemetry continues after the reconnect.
    bool answeredCommand = false;
    for (const MqttMessage &m : std::as_const(m_seen)) {
        if (m.topic == "fleetdeck/v1/sn-42-0001/cmd/response"
            && QJsonDocument::fromJson(m.payload).object().value(u"ok"_s).toBool())
            answeredCommand = true;
    }
    QVERIFY(answeredCommand);
    const qsizetype before = m_seen.size();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (qsizetype i = before; i < m_seen.size(); ++i) {
                if (m_seen.at(i).topic == "fleetdeck/v1/sn-42-0001/telemetry")
                    return true;
            }
            return false;
        }(),
        10000);
    QFile crt(QDir(m_pki->certDir()).filePath(u"sn-42-0001.crt"_s));
    QVERIFY(crt.open(QIODevice::ReadOnly));
    QString why;
    QCOMPARE(Certificate::chainFromPem(crt.readAll(), &why).value(0).serialHex(), rotatedSerial);
}

void TestSimulatorFactory::refusedFactoryDeviceAsksAgainAndStaysOut()
{
    const ProvisioningTopics topics;
    int requests = 0;
    QStringList nonces;
    m_onMessage = [&](const MqttMessage &m) {
        const ProvisioningTopics::Parsed where = topics.parse(m.topic);
        if (where.kind != ProvisioningTopics::Kind::Request)
            return;
        ProvisioningRequest::Error parseError;
        const std::optional<ProvisioningRequest> request = ProvisioningRequest::parseEnroll(m.payload, where.id, &parseError);
        QVERIFY(request);
        ++requests;
        nonces << request->nonce;
        QVERIFY(request->claimHash != ProvisioningIds::claimHash(where.id, u"anything"_s));
        publish(topics.responseTopic(where.id),
                ProvisioningResponse::rejection(request->nonce, u"wrong_claim"_s, u"The claim code does not match."_s)
                    .toJson());
    };
    QVERIFY(startSim({u"--factory"_s, u"1"_s, u"--seed"_s, u"9"_s, u"--factory-fault"_s, u"wrong-claim"_s,
                      u"--factory-retry-s"_s, u"1"_s, u"--bootstrap-cert"_s, m_pki->bootstrapCert(),
                      u"--bootstrap-key"_s, m_pki->bootstrapKey()}));
    QTRY_VERIFY_WITH_TIMEOUT(requests >= 2, 20000);
    QCOMPARE(nonces.removeDuplicates(), 0);  // each attempt is a new request
    QTRY_VERIFY_WITH_TIMEOUT(m_simLog.contains("was refused: wrong_claim"), 5000);
    QVERIFY(!QFile::exists(QDir(m_pki->certDir()).filePath(u"sn-9-0001.key"_s)));
    QVERIFY(!sawTelemetry(u"sn-9-0001"_s));
}

// --factory-fault replay: the same request twice. The responder refuses the copy (replay)
// before it answers the first (as a technician would, later): the device waits and enrolls.
void TestSimulatorFactory::replayedRequestIsRefusedAndTheFirstStillCounts()
{
    const ProvisioningTopics topics;
    QStringList nonces;
    QByteArray firstCsr;
    QString firstNonce;
    QString serialOfDevice;
    int issued = 0;
    m_onMessage = [&](const MqttMessage &m) {
        const ProvisioningTopics::Parsed where = topics.parse(m.topic);
        if (where.kind != ProvisioningTopics::Kind::Request)
            return;
        ProvisioningRequest::Error parseError;
        const std::optional<ProvisioningRequest> request = ProvisioningRequest::parseEnroll(m.payload, where.id, &parseError);
        QVERIFY(request);
        serialOfDevice = where.id;
        if (nonces.contains(request->nonce)) {
            publish(topics.responseTopic(where.id),
                    ProvisioningResponse::rejection(request->nonce, u"replay"_s, u"This request was seen before."_s).toJson());
            return;
        }
        nonces << request->nonce;
        firstCsr = request->csrPem;
        firstNonce = request->nonce;
    };
    QVERIFY(startSim({u"--factory"_s, u"1"_s, u"--seed"_s, u"11"_s, u"--factory-fault"_s, u"replay"_s,
                      u"--factory-retry-s"_s, u"1"_s, u"--bootstrap-cert"_s, m_pki->bootstrapCert(),
                      u"--bootstrap-key"_s, m_pki->bootstrapKey()}));
    QTRY_VERIFY_WITH_TIMEOUT(m_simLog.contains("a copy of its request was refused (replay)"), 20000);
    QCOMPARE(nonces.size(), 1);
    // What is tested is a time span: past --factory-retry-s (1 s) the device sends no new
    // request, it waits for the first. Fails as soon as one comes.
    const qsizetype logBefore = m_simLog.size();
    QVERIFY2(!QTest::qWaitFor([&] { return nonces.size() > 1 || m_simLog.indexOf("asking again", logBefore) >= 0; },
                              1500),
             m_simLog.constData());
    QCOMPARE(nonces.size(), 1);
    // Now the technician's answer to the first.
    QString why;
    const std::optional<Certificate> cert = m_pki->issueForCsr(firstCsr, u"sn-11-0001"_s, &why);
    QVERIFY2(cert, qPrintable(why));
    ++issued;
    ProvisioningResponse response;
    response.nonce = firstNonce;
    response.accepted = true;
    response.deviceId = u"sn-11-0001"_s;
    response.certSerial = cert->serialHex();
    response.certificatePem = cert->pem();
    response.chainPem = m_pki->ca().chainPem();
    publish(topics.responseTopic(serialOfDevice), response.toJson());
    QTRY_VERIFY_WITH_TIMEOUT(sawTelemetry(u"sn-11-0001"_s), 20000);
    QCOMPARE(statusOf(u"sn-11-0001"_s).value(u"cert_serial"_s).toString(), cert->serialHex());
    QCOMPARE(issued, 1);
}

void TestSimulatorFactory::factoryListWithoutBroker()
{
    QTemporaryDir dir;
    QProcess sim;
    sim.start(m_simPath, {u"--factory"_s, u"2"_s, u"--seed"_s, u"3"_s, u"--factory-model"_s, u"PM-10"_s,
                          u"--factory-list"_s, dir.filePath(u"list.csv"_s)});
    QVERIFY(sim.waitForFinished(10000));
    QCOMPARE(sim.exitCode(), 0);
    QFile f(dir.filePath(u"list.csv"_s));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().split('\n');
    QCOMPARE(lines.at(0), QByteArray("serial,model,claim_code"));
    QVERIFY(lines.at(1).startsWith("SN-3-0001,PM-10,"));
    QVERIFY(lines.at(2).startsWith("SN-3-0002,PM-10,"));
    // Factory devices without their bootstrap identity, or over plain TCP: refused at start.
    QProcess noBootstrap;
    noBootstrap.start(m_simPath, {u"--broker"_s, u"mqtts://127.0.0.1:%1"_s.arg(m_broker->port()), u"--factory"_s,
                                  u"1"_s, u"--cert-dir"_s, dir.path()});
    QVERIFY(noBootstrap.waitForFinished(10000));
    QCOMPARE(noBootstrap.exitCode(), 1);
    QVERIFY(noBootstrap.readAllStandardError().contains("--bootstrap-cert"));
}

// A device whose certificate the broker does not trust says why it cannot connect: the
// handshake is repeated with its settings (ClientTls::explainFailure), since Paho's own TLS
// error callback is not safe to use with Paho C++ 1.2.
void TestSimulatorFactory::refusedCertificateIsExplained()
{
    QString error;
    QVERIFY(!m_pki->issueInto(u"dev-00001"_s, &error).isEmpty());
    test::FleetPkiFiles stranger;  // another fleet CA, which the broker does not know
    QVERIFY2(stranger.create(&error), qPrintable(error));
    QVERIFY(!stranger.issueInto(u"dev-00002"_s, &error).isEmpty());
    for (const QString &suffix : {u".crt"_s, u".key"_s}) {
        QVERIFY(QFile::copy(stranger.certDir() + u"/dev-00002"_s + suffix, m_pki->certDir() + u"/dev-00002"_s + suffix));
    }
    QVERIFY(startSim({u"--devices"_s, u"2"_s, u"--rate"_s, u"4"_s, u"--seed"_s, u"5"_s}));
    QTRY_VERIFY_WITH_TIMEOUT(sawTelemetry(u"dev-00001"_s), 20000);
    const QRegularExpression refused(u"dev-00002 cannot connect: .* \\(TLS: [^)]+\\)"_s);
    QTRY_VERIFY2_WITH_TIMEOUT(refused.match(QString::fromUtf8(m_simLog)).hasMatch(), m_simLog.constData(), 20000);
    QVERIFY(!sawTelemetry(u"dev-00002"_s));
}

// The demo's simulator died with SIGSEGV when its broker was killed: the first TLS error
// after the loss called Paho's TLS error callback with a context that pointed into a dead
// copy of the connect options. Devices, an edge node and a factory device over mTLS now ride
// out a broker killed (SIGKILL) and restarted on the same port, three times.
void TestSimulatorFactory::survivesBrokerKilledUnderMtls()
{
    QString error;
    QVERIFY(!m_pki->issueInto(u"dev-00001"_s, &error).isEmpty());
    QVERIFY(!m_pki->issueInto(u"dev-00002"_s, &error).isEmpty());
    QVERIFY(!m_pki->issueInto(u"gw-01"_s, &error).isEmpty());
    QVERIFY(startSim({u"--devices"_s, u"2"_s, u"--rate"_s, u"5"_s, u"--seed"_s, u"8"_s, u"--sparkplug-nodes"_s, u"1"_s,
                      u"--sparkplug-devices"_s, u"1"_s, u"--sparkplug-group"_s, u"Plant"_s, u"--factory"_s, u"1"_s,
                      u"--bootstrap-cert"_s, m_pki->bootstrapCert(), u"--bootstrap-key"_s, m_pki->bootstrapKey()}));
    QTRY_VERIFY_WITH_TIMEOUT(sawTelemetry(u"dev-00001"_s) && sawTopic("spBv1.0/Plant/NBIRTH/gw-01"), 20000);
    QTRY_VERIFY2_WITH_TIMEOUT(m_simLog.contains("asks to be enrolled"), m_simLog.constData(), 20000);
    for (int round = 1; round <= 3; ++round) {
        const qint64 pid = m_broker->launcher().processId();
        QVERIFY(pid > 0);
        QVERIFY(::kill(pid_t(pid), SIGKILL) == 0);
        const qsizetype logBefore = m_simLog.size();
        QTRY_VERIFY2_WITH_TIMEOUT(m_simLog.indexOf("connection lost", logBefore) >= 0, m_simLog.constData(), 15000);
        m_seen.clear();
        QSignalSpy resubscribed(m_operator.get(), &MqttClient::subscribed);
        QVERIFY2(m_broker->restart(&error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(resubscribed.size() >= 2, 20000);
        // The node's NBIRTH may come before our own subscription: its NDATA shows it is back.
        QTRY_VERIFY2_WITH_TIMEOUT(sawTelemetry(u"dev-00001"_s) && sawTelemetry(u"dev-00002"_s)
                                      && sawTopic("spBv1.0/Plant/NDATA/gw-01"),
                                  qPrintable(u"round %1:\n"_s.arg(round) + QString::fromUtf8(m_simLog.right(3000))), 30000);
        QCOMPARE(m_sim->state(), QProcess::Running);
    }
    QVERIFY2(!m_simLog.contains("Segmentation") && !m_simLog.contains("AddressSanitizer"), m_simLog.constData());
}

} // namespace fd

QTEST_GUILESS_MAIN(fd::TestSimulatorFactory)
#include "test_simulator_factory.moc"
