// The certificate inventory against a real operations store (OperationsStore on a temp
// file, schema v4): CertificateTable insert / serial clash / revoke / queries / expiring
// window / CRL serials with their audit entries; CertificateIssuance (fresh serials);
// CaTable and CaKeyVault (passphrase, keychain with a fake SecretStore, wrong passphrase);
// CertificateAuthorityService end to end (create, reload, unlock, issue, refuse, revoke, CRL).
#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "core/pki/ca_key_vault.h"
#include "core/pki/ca_table.h"
#include "core/pki/certificate_authority_service.h"
#include "core/pki/certificate_issuance.h"
#include "core/pki/certificate_table.h"
#include "core/pki/serial_number.h"
#include "core/storage/sql_statement.h"
#include "tests/core/operations/operations_test_support.h"
#include "tests/core/pki/pki_test_support.h"
#include "tests/support/fake_secret_store.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <memory>

using namespace fd;
using namespace fd::pkitest;
using namespace fd::operationstest;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

QByteArray p256Csr(const QByteArray &cn)
{
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(makeKey("EC", "P-256"), EVP_PKEY_free);
    return makeCsr(key.get(), cn);
}

} // namespace

class TestPkiCertificateTable : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void insertReadAndAudit();
    void serialClashIsRefused();
    void revokeAndCrlSerials();
    void expiringWindow();
    void listFiltersAndRotation();
    void issuanceDrawsFreshSerials();
    void caTableAndVault();
    void keychainVault();
    void serviceEndToEnd();

private:
    bool run(std::function<bool(OperationsTransaction &, QString *)> job, QString *error = nullptr);
    CertificateRecord issued(const QString &deviceId, int days, qint64 nowMs, const QByteArray &serial = QByteArray());
    QList<QPair<QString, QString>> audit(const QString &kind);

    std::optional<FleetCa> m_ca;
    PkiKey m_rootKey;
    qint64 m_now = 0;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<OperationsStore> m_store;
};

void TestPkiCertificateTable::initTestCase()
{
    m_now = QDateTime::currentMSecsSinceEpoch();
    FleetCa::Created created = FleetCa::create(u"table"_s, 7300, 3650, m_now - 30 * kDayMs);  // certificates back-dated below
    m_ca = created.ca;
    m_rootKey = created.rootKey;
}

void TestPkiCertificateTable::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = std::make_unique<OperationsStore>();
    QVERIFY(openStore(*m_store, m_dir->filePath(u"fleet.operations.sqlite"_s)).ok());
}

void TestPkiCertificateTable::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

bool TestPkiCertificateTable::run(std::function<bool(OperationsTransaction &, QString *)> job, QString *error)
{
    JobOutcomes outcomes(*m_store);
    const quint64 id = m_store->submit({u"test job"_s, std::move(job)});
    if (id == 0 || !QTest::qWaitFor([&] { return outcomes.done(id); }, 10000))
        return false;
    if (error)
        *error = outcomes.failed.value(id);
    return outcomes.committed.contains(id);
}

CertificateRecord TestPkiCertificateTable::issued(const QString &deviceId, int days, qint64 nowMs,
                                                  const QByteArray &serial)
{
    QString why;
    const std::optional<Certificate> cert = m_ca->issueDevice(p256Csr(deviceId.toUtf8()), deviceId, days,
                                                              serial.isEmpty() ? SerialNumber::random() : serial,
                                                              nowMs, &why);
    if (!cert)
        qFatal("cannot issue: %s", qPrintable(why));
    return CertificateRecord::fromCertificate(*cert, CertificateRecord::Kind::Device, deviceId, u"tester"_s);
}

QList<QPair<QString, QString>> TestPkiCertificateTable::audit(const QString &kind)
{
    auto rows = std::make_shared<QList<QPair<QString, QString>>>();
    run([rows, kind](OperationsTransaction &t, QString *e) {
        SqlStatement st;
        if (!st.prepare(t.handle(), "SELECT action, object_id FROM audit_log WHERE object_kind = ?1 ORDER BY id", e))
            return false;
        st.bindText(1, kind);
        while (st.step() == SQLITE_ROW)
            rows->append({st.columnText(0), st.columnText(1)});
        return true;
    });
    return *rows;
}

void TestPkiCertificateTable::insertReadAndAudit()
{
    const CertificateRecord r = issued(u"dev-01"_s, 365, m_now);
    QString error;
    QVERIFY2(run([r](OperationsTransaction &t, QString *e) { return CertificateTable::insert(t, r, u"alice"_s, e); },
                 &error),
             qPrintable(error));
    auto read = std::make_shared<CertificateRecord>();
    auto found = std::make_shared<bool>(false);
    QVERIFY(run([=](OperationsTransaction &t, QString *e) {
        return CertificateTable::bySerial(t.handle(), r.serial.toLower(), read.get(), found.get(), e);
    }));
    QVERIFY(*found);
    QCOMPARE(read->serial, r.serial);
    QCOMPARE(read->commonName, u"dev-01"_s);
    QCOMPARE(read->deviceId, u"dev-01"_s);
    QCOMPARE(read->status, CertificateRecord::Status::Valid);
    QCOMPARE(read->pem, r.pem);
    QCOMPARE(read->fingerprint, r.fingerprint);
    QCOMPARE(read->notAfterMs, r.notAfterMs);
    QVERIFY(read->issuedMs > 0);
    QCOMPARE(audit(u"certificate"_s), (QList<QPair<QString, QString>>{{u"certificate.issued"_s, r.serial}}));
    // A non-canonical serial is refused.
    CertificateRecord lower = issued(u"dev-02"_s, 365, m_now);
    lower.serial = lower.serial.toLower();
    QVERIFY(!run([lower](OperationsTransaction &t, QString *e) { return CertificateTable::insert(t, lower, u"a"_s, e); },
                 &error));
}

void TestPkiCertificateTable::serialClashIsRefused()
{
    const QByteArray serial = SerialNumber::random();
    const CertificateRecord first = issued(u"dev-01"_s, 365, m_now, serial);
    const CertificateRecord second = issued(u"dev-02"_s, 365, m_now, serial);  // same serial, other device
    QCOMPARE(first.serial, second.serial);
    QVERIFY(run([first](OperationsTransaction &t, QString *e) { return CertificateTable::insert(t, first, u"a"_s, e); }));
    auto clash = std::make_shared<bool>(false);
    QString error;
    QVERIFY(!run([second, clash](OperationsTransaction &t, QString *e) {
        return CertificateTable::insert(t, second, u"a"_s, e, clash.get());
    }, &error));
    QVERIFY(*clash);
    QVERIFY(error.contains(u"exists already"_s));
    // The first row is untouched, and only one issuance was audited.
    auto rows = std::make_shared<QList<CertificateRecord>>();
    QVERIFY(run([rows](OperationsTransaction &t, QString *e) {
        return CertificateTable::list(t.handle(), CertificateFilter{}, rows.get(), e);
    }));
    QCOMPARE(rows->size(), 1);
    QCOMPARE(rows->first().deviceId, u"dev-01"_s);
    QCOMPARE(audit(u"certificate"_s).size(), 1);
}

void TestPkiCertificateTable::revokeAndCrlSerials()
{
    const CertificateRecord a = issued(u"dev-a"_s, 365, m_now);
    const CertificateRecord b = issued(u"dev-b"_s, 365, m_now);
    QVERIFY(run([=](OperationsTransaction &t, QString *e) {
        return CertificateTable::insert(t, a, u"x"_s, e) && CertificateTable::insert(t, b, u"x"_s, e);
    }));
    QString error;
    QVERIFY(run([=, this](OperationsTransaction &t, QString *e) {
        return CertificateTable::revoke(t, a.serial, u"stolen"_s, m_now + 1000, u"bob"_s, e);
    }, &error));
    // Twice, or unknown: refused.
    QVERIFY(!run([=, this](OperationsTransaction &t, QString *e) {
        return CertificateTable::revoke(t, a.serial, QString(), m_now, u"bob"_s, e);
    }, &error));
    QVERIFY(error.contains(u"revoked already"_s));
    QVERIFY(!run([=, this](OperationsTransaction &t, QString *e) {
        return CertificateTable::revoke(t, u"ABCDEF"_s, QString(), m_now, u"bob"_s, e);
    }, &error));
    QVERIFY(error.contains(u"no certificate"_s));

    auto revoked = std::make_shared<QList<QPair<QByteArray, qint64>>>();
    auto row = std::make_shared<CertificateRecord>();
    auto found = std::make_shared<bool>();
    QVERIFY(run([=](OperationsTransaction &t, QString *e) {
        return CertificateTable::revokedForCrl(t.handle(), revoked.get(), e)
               && CertificateTable::bySerial(t.handle(), a.serial, row.get(), found.get(), e);
    }));
    QCOMPARE(revoked->size(), 1);
    QCOMPARE(SerialNumber::toHex(revoked->first().first), a.serial);
    QCOMPARE(revoked->first().second, m_now + 1000);
    QVERIFY(row->isRevoked());
    QCOMPARE(row->revokeReason, u"stolen"_s);
    QCOMPARE(row->effectiveStatusKey(m_now, 30 * kDayMs), u"revoked"_s);
    QCOMPARE(audit(u"certificate"_s).last(), (QPair<QString, QString>{u"certificate.revoked"_s, a.serial}));

    // The CRL made from the table lists a, not b.
    QString why;
    const QByteArray pem = m_ca->crlPem(*revoked, 1, m_now, 30, &why);
    QVERIFY(pem.size() > 0);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())), BIO_free);
    std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr),
                                                            X509_CRL_free);
    X509_REVOKED *entry = nullptr;
    QCOMPARE(X509_CRL_get0_by_cert(crl.get(), &entry, Certificate::fromPem(a.pem, nullptr)->get()), 1);
    QCOMPARE(X509_CRL_get0_by_cert(crl.get(), &entry, Certificate::fromPem(b.pem, nullptr)->get()), 0);
}

void TestPkiCertificateTable::expiringWindow()
{
    // Issued in the past so that they expire at known times around now.
    const CertificateRecord expired = issued(u"dev-old"_s, 10, m_now - 11 * kDayMs);   // expired a day ago
    const CertificateRecord soon = issued(u"dev-soon"_s, 10, m_now - 5 * kDayMs);      // in 5 days
    const CertificateRecord later = issued(u"dev-later"_s, 60, m_now);                 // in 60 days
    CertificateRecord soonRevoked = issued(u"dev-gone"_s, 10, m_now - 5 * kDayMs);     // in 5 days, but revoked
    QVERIFY(run([=, this](OperationsTransaction &t, QString *e) {
        return CertificateTable::insert(t, expired, u"x"_s, e) && CertificateTable::insert(t, soon, u"x"_s, e)
               && CertificateTable::insert(t, later, u"x"_s, e) && CertificateTable::insert(t, soonRevoked, u"x"_s, e)
               && CertificateTable::revoke(t, soonRevoked.serial, QString(), m_now, u"x"_s, e);
    }));
    auto within30 = std::make_shared<QList<CertificateRecord>>();
    auto within30All = std::make_shared<QList<CertificateRecord>>();
    auto within90 = std::make_shared<QList<CertificateRecord>>();
    auto within1 = std::make_shared<QList<CertificateRecord>>();
    QVERIFY(run([=, this](OperationsTransaction &t, QString *e) {
        return CertificateTable::expiring(t.handle(), m_now, 30 * kDayMs, within30.get(), e)
               && CertificateTable::expiring(t.handle(), m_now, 30 * kDayMs, within30All.get(), e, true)
               && CertificateTable::expiring(t.handle(), m_now, 90 * kDayMs, within90.get(), e)
               && CertificateTable::expiring(t.handle(), m_now, kDayMs, within1.get(), e);
    }));
    auto serials = [](const QList<CertificateRecord> &rows) {
        QStringList s;
        for (const CertificateRecord &r : rows)
            s.append(r.deviceId);
        return s;
    };
    QCOMPARE(serials(*within30), QStringList{u"dev-soon"_s});
    QCOMPARE(serials(*within30All), (QStringList{u"dev-old"_s, u"dev-soon"_s}));
    QCOMPARE(serials(*within90), (QStringList{u"dev-soon"_s, u"dev-later"_s}));
    QVERIFY(within1->isEmpty());
    // The record's own view agrees.
    QVERIFY(soon.isExpiring(m_now, 30 * kDayMs));
    QVERIFY(!later.isExpiring(m_now, 30 * kDayMs));
    QVERIFY(expired.isExpired(m_now) && !expired.isExpiring(m_now, 30 * kDayMs));
    QCOMPARE(expired.effectiveStatusKey(m_now, 30 * kDayMs), u"expired"_s);
    QCOMPARE(soon.effectiveStatusKey(m_now, 30 * kDayMs), u"expiring"_s);
    QCOMPARE(later.effectiveStatusKey(m_now, 30 * kDayMs), u"valid"_s);
    QVERIFY(soon.daysLeft(m_now) == 4 || soon.daysLeft(m_now) == 5);
}

void TestPkiCertificateTable::listFiltersAndRotation()
{
    CertificateRecord old = issued(u"dev-r"_s, 365, m_now);
    old.issuedMs = m_now;
    CertificateRecord next = issued(u"dev-r"_s, 365, m_now);
    next.replacesSerial = old.serial;
    next.issuedMs = m_now + 10;
    QString error;
    QVERIFY2(run([=](OperationsTransaction &t, QString *e) {
        return CertificateTable::insert(t, old, u"x"_s, e) && CertificateTable::insert(t, next, u"x"_s, e);
    }, &error), qPrintable(error));
    auto forDevice = std::make_shared<QList<CertificateRecord>>();
    auto servers = std::make_shared<QList<CertificateRecord>>();
    QVERIFY(run([=](OperationsTransaction &t, QString *e) {
        CertificateFilter f;
        f.kind = CertificateRecord::Kind::Server;
        return CertificateTable::forDevice(t.handle(), u"dev-r"_s, forDevice.get(), e)
               && CertificateTable::list(t.handle(), f, servers.get(), e);
    }));
    QCOMPARE(forDevice->size(), 2);
    QCOMPARE(forDevice->at(0).serial, next.serial);  // newest first
    QCOMPARE(forDevice->at(0).replacesSerial, old.serial);
    QCOMPARE(forDevice->at(1).replacedBySerial, next.serial);
    QVERIFY(servers->isEmpty());
    // Replacing an unknown certificate is refused.
    CertificateRecord orphan = issued(u"dev-x"_s, 365, m_now);
    orphan.replacesSerial = u"0123"_s;
    QVERIFY(!run([=](OperationsTransaction &t, QString *e) { return CertificateTable::insert(t, orphan, u"x"_s, e); }));
}

void TestPkiCertificateTable::issuanceDrawsFreshSerials()
{
    const FleetCa ca = *m_ca;
    auto records = std::make_shared<QList<CertificateRecord>>();
    QString error;
    QVERIFY2(run([=](OperationsTransaction &t, QString *e) {
        for (int i = 0; i < 50; ++i) {
            const QString id = u"dev-%1"_s.arg(i);
            const QByteArray csr = p256Csr(id.toUtf8());
            const CertificateIssuance::Sign sign = [&](const QByteArray &serial, QString *why, QString *key) {
                return ca.issueDevice(csr, id, 30, serial, t.nowMs(), why, key);
            };
            const std::optional<CertificateRecord> r =
                CertificateIssuance::run(t, sign, CertificateRecord::Kind::Device, id, u"x"_s, QString(), e);
            if (!r)
                return false;
            records->append(*r);
        }
        return true;
    }, &error), qPrintable(error));
    QSet<QString> serials;
    for (const CertificateRecord &r : *records)
        serials.insert(r.serial);
    QCOMPARE(serials.size(), 50);
    // A refused CSR: nothing is recorded, the key comes back.
    auto key = std::make_shared<QString>();
    QVERIFY(!run([=](OperationsTransaction &t, QString *e) {
        const QByteArray csr = p256Csr("someone-else");
        const CertificateIssuance::Sign sign = [&](const QByteArray &serial, QString *why, QString *k) {
            return ca.issueDevice(csr, u"dev-z"_s, 30, serial, t.nowMs(), why, k);
        };
        return CertificateIssuance::run(t, sign, CertificateRecord::Kind::Device, u"dev-z"_s, u"x"_s, QString(), e,
                                        key.get())
            .has_value();
    }, &error));
    QCOMPARE(*key, u"subject_mismatch"_s);
    QCOMPARE(audit(u"certificate"_s).size(), 50);
}

void TestPkiCertificateTable::caTableAndVault()
{
    QString why;
    QVERIFY(!CaKeyVault::protectWithPassphrase(u"fleet"_s, *m_ca, m_rootKey, "short", &why));
    QVERIFY(why.contains(u"shorter than 8"_s));
    const std::optional<CaRecord> record =
        CaKeyVault::protectWithPassphrase(u"fleet"_s, *m_ca, m_rootKey, "long enough pass", &why);
    QVERIFY2(record, qPrintable(why));
    QVERIFY(record->intermediateKeyPem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    QVERIFY(record->rootKeyPem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    QVERIFY(!record->intermediateKeyPem.contains(m_ca->intermediateKey().privatePem(QByteArray())));
    QVERIFY(run([=](OperationsTransaction &t, QString *e) { return CaTable::insert(t, *record, false, u"x"_s, e) > 0; }));
    QString error;
    QVERIFY(!run([=](OperationsTransaction &t, QString *e) { return CaTable::insert(t, *record, false, u"x"_s, e) > 0; },
                 &error));
    QVERIFY(error.contains(u"exists already"_s));
    auto read = std::make_shared<CaRecord>();
    auto found = std::make_shared<bool>();
    auto numbers = std::make_shared<QList<qint64>>();
    QVERIFY(run([=](OperationsTransaction &t, QString *e) {
        numbers->append(CaTable::nextCrlNumber(t, u"fleet"_s, u"x"_s, e));
        numbers->append(CaTable::nextCrlNumber(t, u"fleet"_s, u"x"_s, e));
        return CaTable::read(t.handle(), QString(), read.get(), found.get(), e);
    }));
    QCOMPARE(*numbers, (QList<qint64>{1, 2}));
    QVERIFY(*found);
    QCOMPARE(read->crlNumber, 2);
    QCOMPARE(read->chainPem(), m_ca->chainPem());
    // Unlock: right, wrong passphrase.
    const std::optional<FleetCa> unlocked = CaKeyVault::unlockWithPassphrase(*read, "long enough pass", &why);
    QVERIFY2(unlocked, qPrintable(why));
    QVERIFY(unlocked->intermediateKey().samePublicKey(m_ca->intermediateKey()));
    QVERIFY(!CaKeyVault::unlockWithPassphrase(*read, "wrong passphrase", &why));
    QVERIFY(why.contains(u"wrong passphrase"_s));
    const QList<QPair<QString, QString>> entries = audit(u"certificate_authority"_s);
    QCOMPARE(entries.size(), 3);
    QCOMPARE(entries[0].first, u"certificate_authority.created"_s);
    QCOMPARE(entries[2].first, u"certificate_authority.crl_written"_s);
}

void TestPkiCertificateTable::keychainVault()
{
    test::FakeSecretStore secrets;
    CaKeyVault vault(&secrets);
    QString why;
    const std::optional<CaRecord> record = CaKeyVault::keychainRecord(u"kc"_s, *m_ca, &why);
    QVERIFY(record);
    QVERIFY(record->intermediateKeyPem.isEmpty() && record->rootKeyPem.isEmpty());
    bool stored = false;
    vault.storeInKeychain(u"kc"_s, m_ca->intermediateKey(), m_rootKey, [&](bool ok, const QString &) { stored = ok; });
    QTRY_VERIFY(stored);
    QVERIFY(secrets.values.contains(u"fleet-ca/kc/intermediate"_s));
    QVERIFY(secrets.values.contains(u"fleet-ca/kc/root"_s));
    QVERIFY(!secrets.values.value(u"fleet-ca/kc/intermediate"_s).contains(u"BEGIN PRIVATE KEY"_s));
    std::optional<FleetCa> unlocked;
    bool answered = false;
    vault.unlockFromKeychain(*record, [&](std::optional<FleetCa> ca, const QString &) {
        unlocked = std::move(ca);
        answered = true;
    });
    QTRY_VERIFY(answered);
    QVERIFY(unlocked && unlocked->intermediateKey().samePublicKey(m_ca->intermediateKey()));
    // Another CA's key in the entry: refused.
    const FleetCa::Created other = FleetCa::create(u"other"_s);
    stored = false;
    vault.storeInKeychain(u"kc"_s, other.ca.intermediateKey(), PkiKey(), [&](bool ok, const QString &) { stored = ok; });
    QTRY_VERIFY(stored);
    answered = false;
    QString error;
    vault.unlockFromKeychain(*record, [&](std::optional<FleetCa> ca, const QString &e) {
        unlocked = std::move(ca);
        error = e;
        answered = true;
    });
    QTRY_VERIFY(answered);
    QVERIFY(!unlocked);
    QVERIFY2(error.contains(u"not the intermediate"_s), qPrintable(error));
}

void TestPkiCertificateTable::serviceEndToEnd()
{
    auto wait = [](bool &flag) { return QTest::qWaitFor([&] { return flag; }, 10000); };
    {
        CertificateAuthorityService service(m_store.get(), nullptr, u"tester"_s);
        QSignalSpy loaded(&service, &CertificateAuthorityService::authorityLoaded);
        service.load();
        QVERIFY(loaded.wait());
        QCOMPARE(loaded.first().at(0).toBool(), false);
        // Too short a passphrase: refused at once.
        bool done = false;
        QString error;
        service.createWithPassphrase(u"svc2"_s, "abc", [&](bool ok, const QString &e) {
            done = true;
            error = ok ? QString() : e;
        });
        QVERIFY(done);
        QVERIFY(error.contains(u"shorter"_s));
        done = false;
        service.createWithPassphrase(u"svc"_s, "long passphrase", [&](bool ok, const QString &e) {
            done = true;
            error = ok ? QString() : e;
        });
        QVERIFY(wait(done));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(service.isUnlocked());
        QCOMPARE(service.authorityName(), u"svc"_s);
    }
    // A new service (a restart) loads it, locked.
    CertificateAuthorityService service(m_store.get(), nullptr, u"tester"_s);
    QSignalSpy loaded(&service, &CertificateAuthorityService::authorityLoaded);
    QSignalSpy changed(&service, &CertificateAuthorityService::certificatesChanged);
    service.load();
    QVERIFY(loaded.wait());
    QCOMPARE(loaded.first().at(0).toBool(), true);
    QCOMPARE(service.authorityName(), u"svc"_s);
    QVERIFY(!service.isUnlocked());
    QVERIFY(service.chainPem().contains("BEGIN CERTIFICATE"));

    // Locked: issuing is refused with ca_unusable.
    bool done = false;
    QString reasonKey;
    service.issueDevice(p256Csr("dev-1"), u"dev-1"_s, 365, CertificateRecord::Kind::Device, QString(),
                        [&](std::optional<CertificateRecord> r, const QString &key, const QString &) {
                            done = true;
                            reasonKey = r ? QString() : key;
                        });
    QVERIFY(done);
    QCOMPARE(reasonKey, u"ca_unusable"_s);

    QSignalSpy unlockFailed(&service, &CertificateAuthorityService::unlockFailed);
    service.unlockWithPassphrase("wrong wrong");
    QCOMPARE(unlockFailed.size(), 1);
    QSignalSpy unlocked(&service, &CertificateAuthorityService::unlocked);
    service.unlockWithPassphrase("long passphrase");
    QCOMPARE(unlocked.size(), 1);
    QVERIFY(service.isUnlocked());

    // Issue: accepted, listed.
    done = false;
    std::optional<CertificateRecord> first;
    service.issueDevice(p256Csr("dev-1"), u"dev-1"_s, 365, CertificateRecord::Kind::Device, QString(),
                        [&](std::optional<CertificateRecord> r, const QString &, const QString &) {
                            done = true;
                            first = r;
                        });
    QVERIFY(wait(done));
    QVERIFY(first);
    QCOMPARE(first->deviceId, u"dev-1"_s);
    QTRY_VERIFY(!service.certificates().isEmpty());
    QCOMPARE(service.certificates().first().serial, first->serial);
    const std::optional<Certificate> cert = Certificate::fromPem(first->pem, nullptr);
    QCOMPARE(verifyChain(*cert, *service.authority()), X509_V_OK);

    // Refused CSR: the CsrCheck key.
    done = false;
    QString reason;
    service.issueDevice(p256Csr("dev-9"), u"dev-2"_s, 365, CertificateRecord::Kind::Device, QString(),
                        [&](std::optional<CertificateRecord> r, const QString &key, const QString &why) {
                            done = true;
                            reasonKey = r ? QString() : key;
                            reason = why;
                        });
    QVERIFY(wait(done));
    QCOMPARE(reasonKey, u"subject_mismatch"_s);
    QVERIFY(!reason.isEmpty());

    // Rotation: the new certificate replaces the first.
    done = false;
    std::optional<CertificateRecord> second;
    service.issueDevice(p256Csr("dev-1"), u"dev-1"_s, 365, CertificateRecord::Kind::Device, first->serial,
                        [&](std::optional<CertificateRecord> r, const QString &, const QString &) {
                            done = true;
                            second = r;
                        });
    QVERIFY(wait(done));
    QVERIFY(second);
    QCOMPARE(second->replacesSerial, first->serial);

    // Revoke the first, write a CRL: it lists it.
    done = false;
    bool ok = false;
    service.revoke(first->serial, u"rotated"_s, [&](bool success, const QString &) {
        done = true;
        ok = success;
    });
    QVERIFY(wait(done));
    QVERIFY(ok);
    QTRY_VERIFY(std::any_of(service.certificates().cbegin(), service.certificates().cend(),
                            [&](const CertificateRecord &r) { return r.serial == first->serial && r.isRevoked(); }));
    QSignalSpy crlChanged(&service, &CertificateAuthorityService::crlChanged);
    done = false;
    QByteArray crlPem;
    service.writeCrl([&](const QByteArray &pem, const QString &) {
        done = true;
        crlPem = pem;
    });
    QVERIFY(wait(done));
    QCOMPARE(crlChanged.size(), 1);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(crlPem.constData(), int(crlPem.size())), BIO_free);
    std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr),
                                                            X509_CRL_free);
    QVERIFY(crl);
    QCOMPARE(verifyChain(*cert, *service.authority(), 0, crl.get()), X509_V_ERR_CERT_REVOKED);
    QVERIFY(changed.size() >= 1);

    // A second CA cannot be created in the same store.
    done = false;
    QString error;
    service.createWithPassphrase(u"again"_s, "long enough", [&](bool success, const QString &e) {
        done = true;
        error = success ? QString() : e;
    });
    QVERIFY(wait(done));
    QVERIFY(error.contains(u"exists already"_s));
}

QTEST_GUILESS_MAIN(TestPkiCertificateTable)
#include "test_pki_certificate_table.moc"
