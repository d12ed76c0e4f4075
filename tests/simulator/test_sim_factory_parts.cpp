// The pure parts of fleetdeck-sim's factory-state devices and mTLS identities: safe file
// names, fault specs, identities and claim codes, the expected-devices CSV (read back by
// FleetDeck's own parser), keys and CSRs (judged by FleetDeck's CsrCheck), the request JSON
// (read back by ProvisioningRequest), the certificate folder (0600 keys), answers to a
// request (issued by a real FleetCa) and rotation.
#include "core/pki/certificate.h"
#include "core/pki/csr_check.h"
#include "core/pki/fleet_ca.h"
#include "core/pki/serial_number.h"
#include "core/provisioning/expected_device_csv.h"
#include "core/provisioning/provisioning_ids.h"
#include "core/provisioning/provisioning_request.h"
#include "core/provisioning/provisioning_response.h"
#include "simulator/cert_rotation.h"
#include "simulator/device_cert_dir.h"
#include "simulator/device_csr.h"
#include "simulator/factory_fault.h"
#include "simulator/factory_identity.h"
#include "simulator/factory_list_writer.h"
#include "simulator/factory_request.h"
#include "simulator/identity_answer.h"
#include "simulator/safe_file_name.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace fd::sim {

class TestSimFactoryParts : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void safeFileNames_data();
    void safeFileNames();
    void safeFileNamesNeverCollide();
    void faultSpecs();
    void identitiesAreReproducible();
    void serialFile();
    void listIsWhatFleetDeckImports();
    void csrOfEachKeyKind_data();
    void csrOfEachKeyKind();
    void requestIsWhatFleetDeckParses();
    void requestFaults();
    void certDirKeepsKeysPrivate();
    void answerAccepted();
    void answerForAnotherKeyIsRefused();
    void answerToAnotherNonceIsIgnored();
    void answerRejected();
    void rotation();

private:
    // What FleetDeck would answer (accepted) to a CSR, for deviceId.
    QByteArray accept(const QString &nonce, const QByteArray &csrPem, const QString &deviceId, QString *serial = nullptr);

    std::optional<FleetCa> m_ca;
};

void TestSimFactoryParts::initTestCase()
{
    m_ca = FleetCa::create(u"Sim Test"_s).ca;
}

QByteArray TestSimFactoryParts::accept(const QString &nonce, const QByteArray &csrPem, const QString &deviceId,
                                       QString *serial)
{
    QString why;
    const std::optional<Certificate> cert = m_ca->issueDevice(csrPem, deviceId, 30, SerialNumber::random(),
                                                              QDateTime::currentMSecsSinceEpoch(), &why);
    if (!cert) {
        qWarning().noquote() << why;
        return {};
    }
    if (serial)
        *serial = cert->serialHex();
    ProvisioningResponse response;
    response.nonce = nonce;
    response.accepted = true;
    response.deviceId = deviceId;
    response.certSerial = cert->serialHex();
    response.certificatePem = cert->pem();
    response.chainPem = m_ca->chainPem();
    return response.toJson();
}

void TestSimFactoryParts::safeFileNames_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("startsWith");
    QTest::addColumn<bool>("kept");
    QTest::newRow("device id") << u"dev-00001"_s << u"dev-00001"_s << true;
    QTest::newRow("serial") << u"SN-42-0001"_s << u"SN-42-0001"_s << true;
    QTest::newRow("dots inside") << u"gw.01_a"_s << u"gw.01_a"_s << true;
    QTest::newRow("path traversal") << u"../../etc/passwd"_s << u"_._.._etc_passwd-"_s << false;
    QTest::newRow("slash") << u"a/b"_s << u"a_b-"_s << false;
    QTest::newRow("backslash") << u"a\\b"_s << u"a_b-"_s << false;
    QTest::newRow("leading dot") << u".hidden"_s << u"_hidden-"_s << false;
    QTest::newRow("dot dot") << u".."_s << u"_.-"_s << false;
    QTest::newRow("empty") << QString() << u"unnamed-"_s << false;
    QTest::newRow("space and markup") << u"<b>x</b> y"_s << u"_b_x__b__y-"_s << false;
    QTest::newRow("newline") << u"a\nb"_s << u"a_b-"_s << false;
    QTest::newRow("unicode") << u"gerät"_s << u"ger_t-"_s << false;
    QTest::newRow("windows device") << u"CON"_s << u"CON-"_s << false;
    QTest::newRow("windows device with extension") << u"com1.txt"_s << u"com1.txt-"_s << false;
    QTest::newRow("long") << QString(100, u'a') << QString(64, u'a') + u'-' << false;
}

void TestSimFactoryParts::safeFileNames()
{
    QFETCH(QString, id);
    QFETCH(QString, startsWith);
    QFETCH(bool, kept);
    const QString name = SafeFileName::from(id);
    QCOMPARE(SafeFileName::isSafe(id), kept);
    if (kept) {
        QCOMPARE(name, id);
    } else {
        QVERIFY2(name.startsWith(startsWith), qPrintable(name));
        QCOMPARE(name.size(), startsWith.size() + 8);  // the hash suffix
    }
    QVERIFY(!name.contains(u'/') && !name.contains(u'\\') && !name.startsWith(u'.'));
    for (const QChar c : name)
        QVERIFY2(c.isLetterOrNumber() || c == u'.' || c == u'_' || c == u'-', qPrintable(name));
    QCOMPARE(SafeFileName::from(id), name);  // stable
}

void TestSimFactoryParts::safeFileNamesNeverCollide()
{
    // "a/b" becomes "a_b-<hash>", never "a_b" (a valid id of its own).
    QVERIFY(SafeFileName::from(u"a/b"_s) != SafeFileName::from(u"a_b"_s));
    QVERIFY(SafeFileName::from(u"a/b"_s) != SafeFileName::from(u"a\\b"_s));
    QVERIFY(SafeFileName::from(QString(70, u'x')) != SafeFileName::from(QString(71, u'x')));
}

void TestSimFactoryParts::faultSpecs()
{
    FactoryFaults faults;
    QString why;
    QVERIFY(FactoryFaults::parse(u"wrong-claim, replay"_s, &faults, &why));
    QVERIFY(FactoryFaults::parse(u"expired,replay"_s, &faults, &why));  // repeatable, no duplicates
    QCOMPARE(faults.toString(), u"wrong-claim,replay,expired"_s);
    QVERIFY(faults.has(FactoryFault::Replay));
    QVERIFY(!faults.has(FactoryFault::BadCsr));
    for (FactoryFault f : FactoryFaults::all()) {
        FactoryFaults one;
        QVERIFY(FactoryFaults::parse(FactoryFaults::key(f), &one, &why));
        QVERIFY(one.has(f));
    }
    FactoryFaults bad;
    QVERIFY(!FactoryFaults::parse(u"wrong-claim,bogus"_s, &bad, &why));
    QVERIFY2(why.contains(u"bogus"_s) && why.contains(u"weak-key"_s), qPrintable(why));
    QVERIFY(bad.isEmpty());  // nothing half-applied
    QVERIFY(!FactoryFaults::parse(QString(), &bad, &why));
}

void TestSimFactoryParts::identitiesAreReproducible()
{
    const QList<FactoryIdentity> a = FactoryIdentities::generate(3, 42, u"TH-100"_s);
    QCOMPARE(a.size(), 3);
    QCOMPARE(a.at(0).serial, u"SN-42-0001"_s);
    QCOMPARE(a.at(2).serial, u"SN-42-0003"_s);
    QCOMPARE(a.at(0).deviceId, u"sn-42-0001"_s);
    QCOMPARE(a.at(0).model, u"TH-100"_s);
    QVERIFY(QRegularExpression(u"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$"_s)
                .match(a.at(0).claimCode)
                .hasMatch());
    QCOMPARE(FactoryIdentities::generate(3, 42, u"TH-100"_s).at(1).claimCode, a.at(1).claimCode);  // same seed
    QVERIFY(FactoryIdentities::generate(3, 43, u"TH-100"_s).at(0).claimCode != a.at(0).claimCode);
    QVERIFY(a.at(0).claimCode != a.at(1).claimCode);
    for (const FactoryIdentity &id : a) {
        QVERIFY(ProvisioningIds::isValidSerial(id.serial));
        QVERIFY(ProvisioningIds::isValidDeviceId(id.deviceId));
    }
    QCOMPARE(FactoryIdentities::generate(12000, 1, u"TH-100"_s).size(), FactoryIdentities::kMaxDevices);
}

void TestSimFactoryParts::serialFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"serials.txt"_s);
    auto write = [&](const QByteArray &text) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    };
    QList<FactoryIdentity> out;
    QString why;
    write("# batch 7\nAB-1\n\n  AB-2  \n");
    QVERIFY2(FactoryIdentities::fromSerialFile(path, 5, u"PM-10"_s, &out, &why), qPrintable(why));
    QCOMPARE(out.size(), 2);
    QCOMPARE(out.at(1).serial, u"AB-2"_s);
    QCOMPARE(out.at(1).model, u"PM-10"_s);
    QCOMPARE(out.at(1).claimCode, FactoryIdentities::claimCode(u"AB-2"_s, 5));
    write("AB-1\nAB/2\n");
    QVERIFY(!FactoryIdentities::fromSerialFile(path, 5, u"PM-10"_s, &out, &why));
    QVERIFY2(why.contains(u"line 2"_s), qPrintable(why));
    write("AB-1\nAB-1\n");
    QVERIFY(!FactoryIdentities::fromSerialFile(path, 5, u"PM-10"_s, &out, &why));
    QVERIFY2(why.contains(u"twice"_s), qPrintable(why));
    write("# nothing\n");
    QVERIFY(!FactoryIdentities::fromSerialFile(path, 5, u"PM-10"_s, &out, &why));
    QVERIFY(!FactoryIdentities::fromSerialFile(dir.filePath(u"missing"_s), 5, u"PM-10"_s, &out, &why));
}

void TestSimFactoryParts::listIsWhatFleetDeckImports()
{
    QList<FactoryIdentity> devices = FactoryIdentities::generate(2, 42, u"TH-100"_s);
    devices.append(FactoryIdentities::identity(u"SN-X"_s, 42, u"Model, \"quoted\""_s));
    const QByteArray csv = FactoryListWriter::csv(devices);
    QVERIFY(csv.startsWith("serial,model,claim_code\n"));
    const ExpectedDeviceCsv::Result parsed = ExpectedDeviceCsv::parse(csv, 1000);
    QVERIFY2(parsed.ok(), qPrintable(parsed.errors.join(u'\n')));
    QCOMPARE(parsed.devices.size(), 3);
    QCOMPARE(parsed.devices.at(0).serial, u"SN-42-0001"_s);
    QCOMPARE(parsed.devices.at(2).model, u"Model, \"quoted\""_s);
    for (qsizetype i = 0; i < devices.size(); ++i)
        QCOMPARE(parsed.devices.at(i).claimHash, ProvisioningIds::claimHash(devices.at(i).serial, devices.at(i).claimCode));

    QTemporaryDir dir;
    QString error;
    QVERIFY2(FactoryListWriter::write(dir.filePath(u"list.csv"_s), devices, &error), qPrintable(error));
    QFile f(dir.filePath(u"list.csv"_s));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), csv);
    QVERIFY(!FactoryListWriter::write(dir.filePath(u"no/such/dir/list.csv"_s), devices, &error));
}

void TestSimFactoryParts::csrOfEachKeyKind_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("broken");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("verdict");  // CsrCheck's key, "" for fine
    QTest::newRow("P-256") << int(DeviceCsr::KeyKind::P256) << false << u"sn-1"_s << QString();
    QTest::newRow("P-192 (weak)") << int(DeviceCsr::KeyKind::P192) << false << u"sn-1"_s << u"weak_key"_s;
    QTest::newRow("RSA-1024 (weak)") << int(DeviceCsr::KeyKind::Rsa1024) << false << u"sn-1"_s << u"weak_key"_s;
    QTest::newRow("broken signature") << int(DeviceCsr::KeyKind::P256) << true << u"sn-1"_s << u"bad_csr_signature"_s;
    QTest::newRow("another subject") << int(DeviceCsr::KeyKind::P256) << false << u"sn-2"_s << u"subject_mismatch"_s;
}

void TestSimFactoryParts::csrOfEachKeyKind()
{
    QFETCH(int, kind);
    QFETCH(bool, broken);
    QFETCH(QString, subject);
    QFETCH(QString, verdict);
    QString error;
    const std::optional<DeviceCsr::Made> made = DeviceCsr::make(subject, DeviceCsr::KeyKind(kind), broken, &error);
    QVERIFY2(made, qPrintable(error));
    QVERIFY(made->csrPem.startsWith("-----BEGIN CERTIFICATE REQUEST-----"));
    QVERIFY(made->keyPem.startsWith("-----BEGIN PRIVATE KEY-----"));
    const CsrVerdict v = CsrCheck::check(made->csrPem, u"sn-1"_s);
    QCOMPARE(v.ok() ? QString() : CsrCheck::problemKey(v.problem), verdict);
}

void TestSimFactoryParts::requestIsWhatFleetDeckParses()
{
    const FactoryIdentity identity = FactoryIdentities::generate(1, 42, u"TH-100"_s).constFirst();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QString error;
    const std::optional<FactoryRequest> r = FactoryRequest::build(identity, {}, now, &error);
    QVERIFY2(r, qPrintable(error));
    QCOMPARE(r->nonce.size(), 32);
    QCOMPARE(r->deviceId, u"sn-42-0001"_s);
    ProvisioningRequest::Error parseError;
    const std::optional<ProvisioningRequest> parsed =
        ProvisioningRequest::parseEnroll(r->json, identity.serial, &parseError);
    QVERIFY2(parsed, qPrintable(parseError.detail));
    QCOMPARE(parsed->serial, identity.serial);
    QCOMPARE(parsed->model, u"TH-100"_s);
    QCOMPARE(parsed->deviceId, identity.deviceId);
    QCOMPARE(parsed->nonce, r->nonce);
    QCOMPARE(parsed->tsMs, now);
    QCOMPARE(parsed->claimHash, ProvisioningIds::claimHash(identity.serial, identity.claimCode));
    QVERIFY(CsrCheck::check(parsed->csrPem, identity.deviceId).ok());
    // The claim code itself is not on the wire, only its hash.
    QVERIFY(!r->json.contains(identity.claimCode.toUtf8()));
    // A new request, a new key and nonce.
    const std::optional<FactoryRequest> again = FactoryRequest::build(identity, {}, now, &error);
    QVERIFY(again->nonce != r->nonce);
    QVERIFY(again->keyPem != r->keyPem);
}

void TestSimFactoryParts::requestFaults()
{
    const FactoryIdentity identity = FactoryIdentities::generate(1, 42, u"TH-100"_s).constFirst();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto build = [&](FactoryFault fault) {
        FactoryFaults faults;
        faults.add(fault);
        QString error;
        std::optional<FactoryRequest> r = FactoryRequest::build(identity, faults, now, &error);
        ProvisioningRequest::Error parseError;
        std::optional<ProvisioningRequest> parsed =
            r ? ProvisioningRequest::parseEnroll(r->json, identity.serial, &parseError) : std::nullopt;
        return parsed;
    };
    const auto wrongClaim = build(FactoryFault::WrongClaim);
    QVERIFY(wrongClaim);
    QVERIFY(wrongClaim->claimHash != ProvisioningIds::claimHash(identity.serial, identity.claimCode));
    QCOMPARE(CsrCheck::problemKey(CsrCheck::check(build(FactoryFault::BadCsr)->csrPem, identity.deviceId).problem),
             u"bad_csr_signature"_s);
    QCOMPARE(CsrCheck::problemKey(CsrCheck::check(build(FactoryFault::WrongSubject)->csrPem, identity.deviceId).problem),
             u"subject_mismatch"_s);
    QCOMPARE(CsrCheck::problemKey(CsrCheck::check(build(FactoryFault::WeakKey)->csrPem, identity.deviceId).problem),
             u"weak_key"_s);
    QCOMPARE(build(FactoryFault::Expired)->tsMs, now - FactoryRequest::kExpiredAgeMs);
    const auto replay = build(FactoryFault::Replay);  // the request itself is a good one (sent twice)
    QVERIFY(CsrCheck::check(replay->csrPem, identity.deviceId).ok());
}

void TestSimFactoryParts::certDirKeepsKeysPrivate()
{
    QTemporaryDir parent;
    const QString path = parent.filePath(u"certs"_s);  // created on the first store
    const DeviceCertDir dir(path);
    QVERIFY(!dir.has(u"dev-1"_s));
    QString error;
    const std::optional<DeviceCsr::Made> made = DeviceCsr::make(u"dev-1"_s);
    QString serial;
    const QByteArray answer = accept(u"00"_s.repeated(16), made->csrPem, u"dev-1"_s, &serial);
    const std::optional<ProvisioningResponse> response = ProvisioningResponse::parse(answer);
    QVERIFY(response);
    QVERIFY2(dir.store(u"dev-1"_s, made->keyPem, response->certificatePem + response->chainPem, &error), qPrintable(error));
    QVERIFY(dir.has(u"dev-1"_s));
    QCOMPARE(dir.certSerial(u"dev-1"_s), serial);
    // Qt's owner bits are 0x7000, group 0x0070, other 0x0007: 0600 and 0700.
    QCOMPARE(QFileInfo(dir.keyPath(u"dev-1"_s)).permissions() & 0x7077,
             QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QCOMPARE(QFileInfo(path).permissions() & 0x7077,
             QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    // Replacing a key someone made readable: private again.
    QVERIFY(QFile::setPermissions(dir.keyPath(u"dev-1"_s), QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                                                | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    QVERIFY(dir.store(u"dev-1"_s, made->keyPem, response->certificatePem, &error));
    QCOMPARE(QFileInfo(dir.keyPath(u"dev-1"_s)).permissions() & 0x7077, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    // An unsafe id lands in a safe file inside the folder.
    QVERIFY(dir.store(u"../evil"_s, made->keyPem, response->certificatePem, &error));
    QCOMPARE(QFileInfo(dir.keyPath(u"../evil"_s)).absolutePath(), QFileInfo(path).absoluteFilePath());
    QVERIFY(!QFile::exists(parent.filePath(u"evil.key"_s)));
    QVERIFY(!DeviceCertDir().store(u"x"_s, "k", "c", &error));
}

void TestSimFactoryParts::answerAccepted()
{
    const FactoryIdentity identity = FactoryIdentities::generate(1, 7, u"TH-100"_s).constFirst();
    QString error;
    const std::optional<FactoryRequest> r = FactoryRequest::build(identity, {}, QDateTime::currentMSecsSinceEpoch(), &error);
    QVERIFY(r);
    ProvisioningRequest::Error parseError;
    const auto parsed = ProvisioningRequest::parseEnroll(r->json, identity.serial, &parseError);
    QString serial;
    const QByteArray payload = accept(r->nonce.toUpper(), parsed->csrPem, identity.deviceId, &serial);
    const IdentityAnswer a = IdentityAnswer::read(payload, r->nonce, r->keyPem, identity.deviceId);
    QCOMPARE(int(a.kind), int(IdentityAnswer::Kind::Accepted));
    QCOMPARE(a.certSerial, serial);
    QCOMPARE(a.deviceId, identity.deviceId);
    const QList<Certificate> chain = Certificate::chainFromPem(a.certChainPem, &error);
    QCOMPARE(chain.size(), 3);  // device, intermediate, root
    QCOMPARE(chain.at(0).serialHex(), serial);
}

void TestSimFactoryParts::answerForAnotherKeyIsRefused()
{
    const std::optional<DeviceCsr::Made> mine = DeviceCsr::make(u"sn-1"_s);
    const std::optional<DeviceCsr::Made> other = DeviceCsr::make(u"sn-1"_s);
    const QString nonce = u"ab"_s.repeated(16);
    const IdentityAnswer a = IdentityAnswer::read(accept(nonce, other->csrPem, u"sn-1"_s), nonce, mine->keyPem, u"sn-1"_s);
    QCOMPARE(int(a.kind), int(IdentityAnswer::Kind::Rejected));
    QCOMPARE(a.reasonKey, u"bad_answer"_s);
    // ... or for another device id.
    const IdentityAnswer b = IdentityAnswer::read(accept(nonce, mine->csrPem, u"sn-1"_s), nonce, mine->keyPem, u"sn-2"_s);
    QCOMPARE(int(b.kind), int(IdentityAnswer::Kind::Rejected));
}

void TestSimFactoryParts::answerToAnotherNonceIsIgnored()
{
    const std::optional<DeviceCsr::Made> mine = DeviceCsr::make(u"sn-1"_s);
    const IdentityAnswer a = IdentityAnswer::read(accept(u"cd"_s.repeated(16), mine->csrPem, u"sn-1"_s),
                                                  u"ab"_s.repeated(16), mine->keyPem, u"sn-1"_s);
    QCOMPARE(int(a.kind), int(IdentityAnswer::Kind::Ignored));
    for (const QByteArray &junk : {QByteArray("not json"), QByteArray("[]"), QByteArray(300 * 1024, '{')}) {
        QCOMPARE(int(IdentityAnswer::read(junk, u"ab"_s.repeated(16), mine->keyPem, u"sn-1"_s).kind),
                 int(IdentityAnswer::Kind::Ignored));
    }
}

void TestSimFactoryParts::answerRejected()
{
    const QString nonce = u"ef"_s.repeated(16);
    const QByteArray payload = ProvisioningResponse::rejection(nonce, u"wrong_claim"_s, u"The claim code is wrong."_s).toJson();
    const IdentityAnswer a = IdentityAnswer::read(payload, nonce, QByteArray(), u"sn-1"_s);
    QCOMPARE(int(a.kind), int(IdentityAnswer::Kind::Rejected));
    QCOMPARE(a.reasonKey, u"wrong_claim"_s);
    QCOMPARE(a.message, u"The claim code is wrong."_s);
}

void TestSimFactoryParts::rotation()
{
    QTemporaryDir tmp;
    const DeviceCertDir dir(tmp.path());
    CertRotation rotation(u"dev-7"_s, dir, u"fleetdeck/v1"_s);
    QCOMPARE(rotation.csrTopic(), std::string("fleetdeck/v1/dev-7/pki/csr"));
    QCOMPARE(rotation.certTopic(), std::string("fleetdeck/v1/dev-7/pki/cert"));
    QVERIFY(!rotation.isPending());
    QCOMPARE(int(rotation.onAnswer("{}").kind), int(IdentityAnswer::Kind::Ignored));  // nothing asked

    QString error;
    const std::optional<QByteArray> request = rotation.begin(QDateTime::currentMSecsSinceEpoch(), &error);
    QVERIFY2(request, qPrintable(error));
    QVERIFY(rotation.isPending());
    ProvisioningRequest::Error parseError;
    const auto parsed = ProvisioningRequest::parseRotation(*request, u"dev-7"_s, &parseError);
    QVERIFY2(parsed, qPrintable(parseError.detail));
    QCOMPARE(parsed->nonce, rotation.pendingNonce());
    QVERIFY(CsrCheck::check(parsed->csrPem, u"dev-7"_s).ok());

    // An answer to something else leaves it pending; the right one stores the new identity.
    QCOMPARE(int(rotation.onAnswer(accept(u"00"_s.repeated(16), parsed->csrPem, u"dev-7"_s)).kind),
             int(IdentityAnswer::Kind::Ignored));
    QVERIFY(rotation.isPending());
    QString serial;
    const IdentityAnswer a = rotation.onAnswer(accept(rotation.pendingNonce(), parsed->csrPem, u"dev-7"_s, &serial));
    QCOMPARE(int(a.kind), int(IdentityAnswer::Kind::Accepted));
    QVERIFY(!rotation.isPending());
    QCOMPARE(dir.certSerial(u"dev-7"_s), serial);
    QVERIFY(dir.has(u"dev-7"_s));
}

} // namespace fd::sim

QTEST_GUILESS_MAIN(fd::sim::TestSimFactoryParts)
#include "test_sim_factory_parts.moc"
