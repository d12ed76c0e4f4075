#include "app/gui/demo_pki.h"

#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "core/pki/ca_key_vault.h"
#include "core/pki/ca_table.h"
#include "core/pki/certificate.h"
#include "core/pki/certificate_record.h"
#include "core/pki/certificate_table.h"
#include "core/pki/fleet_ca.h"
#include "core/pki/pki_key.h"
#include "core/pki/serial_number.h"
#include "core/provisioning/expected_device_csv.h"
#include "core/provisioning/expected_device_table.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSaveFile>

#include <memory>

Q_DECLARE_LOGGING_CATEGORY(lcApp)

namespace fd {

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

QByteArray readSmall(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.read(256 * 1024) : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes, bool secret, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = DemoPki::tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    if (secret && !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        file.cancelWriting();
        *error = DemoPki::tr("cannot make %1 private").arg(path);
        return false;
    }
    if (file.write(bytes) != bytes.size() || !file.commit()) {
        *error = DemoPki::tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool makePrivateDir(const QString &path, QString *error)
{
    if (!QDir().mkpath(path)) {
        *error = DemoPki::tr("cannot create %1").arg(path);
        return false;
    }
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return true;
}

// The demo CA from its files, or a new one (then every identity issued by an old one goes).
std::optional<FleetCa> loadOrCreateCa(const QDir &dir, bool *created, QString *error)
{
    const QByteArray passphrase(DemoPki::kPassphrase);
    const QString rootPath = dir.filePath(QStringLiteral("ca-root.crt"));
    const QString intPath = dir.filePath(QStringLiteral("ca-intermediate.crt"));
    const QString rootKeyPath = dir.filePath(QStringLiteral("ca-root.key.pem"));
    const QString intKeyPath = dir.filePath(QStringLiteral("ca-intermediate.key.pem"));
    *created = false;
    if (QFile::exists(rootPath) && QFile::exists(intPath) && QFile::exists(intKeyPath)) {
        QString why;
        const std::optional<Certificate> root = Certificate::fromPem(readSmall(rootPath), &why);
        const std::optional<Certificate> intermediate = root ? Certificate::fromPem(readSmall(intPath), &why) : std::nullopt;
        const std::optional<PkiKey> key =
            intermediate ? PkiKey::fromPrivatePem(readSmall(intKeyPath), passphrase, &why) : std::nullopt;
        std::optional<FleetCa> ca = key ? FleetCa::fromParts(*root, *intermediate, *key, &why) : std::nullopt;
        if (ca && ca->isUsable(QDateTime::currentMSecsSinceEpoch() + DemoPki::kRenewDays * kDayMs, &why))
            return ca;
        qCWarning(lcApp).noquote() << "the demo fleet CA in" << dir.path() << "is not usable (" << why
                                   << "); making a new one";
    }
    FleetCa::Created made = FleetCa::create(QStringLiteral("FleetDeck Demo"));
    const QByteArray rootKey = made.rootKey.privatePem(passphrase);
    const QByteArray intKey = made.ca.intermediateKey().privatePem(passphrase);
    if (rootKey.isEmpty() || intKey.isEmpty()) {
        *error = DemoPki::tr("cannot encrypt the demo CA's keys");
        return std::nullopt;
    }
    if (!writeFile(rootKeyPath, rootKey, true, error) || !writeFile(intKeyPath, intKey, true, error)
        || !writeFile(rootPath, made.ca.root().pem(), false, error)
        || !writeFile(intPath, made.ca.intermediate().pem(), false, error)) {
        return std::nullopt;
    }
    *created = true;
    return made.ca;
}

// One identity: kept when its certificate is readable, from this CA and not about to expire;
// otherwise a new key and certificate. Its row for the inventory in *record.
bool ensureIdentity(const FleetCa &ca, const QString &certPath, const QString &keyPath, const QString &cn,
                    CertificateRecord::Kind kind, const QByteArray &keyPassphrase, const QString &actor,
                    CertificateRecord *record, QString *error)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QString why;
    const QList<Certificate> existing = QFile::exists(keyPath) ? Certificate::chainFromPem(readSmall(certPath), &why)
                                                               : QList<Certificate>();
    if (!existing.isEmpty()) {
        const Certificate &cert = existing.constFirst();
        if (cert.subjectCommonName() == cn && cert.issuerCommonName() == ca.intermediate().subjectCommonName()
            && existing.size() >= 2 && existing.at(1) == ca.intermediate()
            && cert.notAfterMs() > now + DemoPki::kRenewDays * kDayMs) {
            *record = CertificateRecord::fromCertificate(cert, kind, kind == CertificateRecord::Kind::Device ? cn : QString(),
                                                         actor);
            return true;
        }
    }
    const PkiKey key = PkiKey::generateP256();
    const QByteArray serial = SerialNumber::random();
    std::optional<Certificate> cert =
        kind == CertificateRecord::Kind::Server
        ? ca.issueServer(key, cn, {QStringLiteral("127.0.0.1"), QStringLiteral("localhost")}, DemoPki::kCertificateDays,
                         serial, now, &why)
        : ca.issueClient(key, cn, DemoPki::kCertificateDays, serial, now, &why);
    if (!cert) {
        *error = DemoPki::tr("cannot issue the demo certificate of %1: %2").arg(cn, why);
        return false;
    }
    const QByteArray keyPem = key.privatePem(keyPassphrase);
    if (keyPem.isEmpty()) {
        *error = DemoPki::tr("cannot write the key of %1").arg(cn);
        return false;
    }
    QByteArray chain = cert->pem();
    if (!chain.endsWith('\n'))
        chain += '\n';
    chain += ca.intermediate().pem();
    if (!writeFile(keyPath, keyPem, true, error) || !writeFile(certPath, chain, false, error))
        return false;
    *record = CertificateRecord::fromCertificate(*cert, kind, kind == CertificateRecord::Kind::Device ? cn : QString(),
                                                 actor);
    return true;
}

} // namespace

QStringList DemoPki::identities(const DemoEnvironment::Options &options)
{
    QStringList ids;
    for (int i = 1; i <= options.devices; ++i)
        ids << QStringLiteral("dev-%1").arg(i, 5, 10, QChar(u'0'));
    for (int i = 1; i <= options.sparkplugNodes; ++i)
        ids << QStringLiteral("gw-%1").arg(i, 2, 10, QChar(u'0'));
    return ids;
}

std::optional<DemoEnvironment::PkiFiles> DemoPki::prepare(const QString &dirPath, const QStringList &identities,
                                                          OperationsStore *store, const QString &actor, QString *error)
{
    const QDir dir(dirPath);
    if (!makePrivateDir(dir.path(), error) || !makePrivateDir(dir.filePath(QStringLiteral("certs")), error))
        return std::nullopt;
    bool created = false;
    const std::optional<FleetCa> ca = loadOrCreateCa(dir, &created, error);
    if (!ca)
        return std::nullopt;

    DemoEnvironment::PkiFiles files;
    files.chainFile = dir.filePath(QStringLiteral("chain.pem"));
    files.serverCert = dir.filePath(QStringLiteral("server.crt"));
    files.serverKey = dir.filePath(QStringLiteral("server.key"));
    files.crlFile = dir.filePath(QStringLiteral("crl.pem"));
    files.operatorCert = dir.filePath(QStringLiteral("operator.crt"));
    files.operatorKey = dir.filePath(QStringLiteral("operator.key"));
    files.operatorKeyPassphrase = QString::fromLatin1(kPassphrase);
    files.bootstrapCert = dir.filePath(QStringLiteral("bootstrap.crt"));
    files.bootstrapKey = dir.filePath(QStringLiteral("bootstrap.key"));
    files.certDir = dir.filePath(QStringLiteral("certs"));

    if (!writeFile(files.chainFile, ca->chainPem(), false, error))
        return std::nullopt;
    const QFileInfo crlInfo(files.crlFile);
    if (created || !crlInfo.exists()
        || crlInfo.lastModified().msecsTo(QDateTime::currentDateTime()) > kCrlRewriteDays * kDayMs) {
        QString why;
        const QByteArray crl = ca->crlPem({}, 1, QDateTime::currentMSecsSinceEpoch(), kCrlDays, &why);
        if (crl.isEmpty() || !writeFile(files.crlFile, crl, false, error)) {
            if (error->isEmpty())
                *error = why;
            return std::nullopt;
        }
    }

    QList<CertificateRecord> records;
    CertificateRecord record;
    const QByteArray passphrase(kPassphrase);
    if (!ensureIdentity(*ca, files.serverCert, files.serverKey, QStringLiteral("localhost"), CertificateRecord::Kind::Server,
                        {}, actor, &record, error))
        return std::nullopt;
    records << record;
    if (!ensureIdentity(*ca, files.operatorCert, files.operatorKey, QStringLiteral("fleetdeck-operator"),
                        CertificateRecord::Kind::Operator, passphrase, actor, &record, error))
        return std::nullopt;
    records << record;
    if (!ensureIdentity(*ca, files.bootstrapCert, files.bootstrapKey, QStringLiteral("bootstrap"),
                        CertificateRecord::Kind::Bootstrap, {}, actor, &record, error))
        return std::nullopt;
    records << record;
    const QDir certs(files.certDir);
    for (const QString &id : identities) {
        // The ids are ours (dev-00001, gw-01): already safe file names.
        if (!ensureIdentity(*ca, certs.filePath(id + QStringLiteral(".crt")), certs.filePath(id + QStringLiteral(".key")),
                            id, CertificateRecord::Kind::Device, {}, actor, &record, error))
            return std::nullopt;
        records << record;
    }

    // The store: the CA (passphrase storage) and every certificate it does not know yet.
    QString why;
    const std::optional<CaRecord> caRecord = CaKeyVault::protectWithPassphrase(
        QString::fromLatin1(kCaName), *ca, PkiKey::fromPrivatePem(readSmall(dir.filePath(QStringLiteral("ca-root.key.pem"))),
                                                                    passphrase, &why)
                                               .value_or(PkiKey()),
        passphrase, &why);
    if (!caRecord) {
        *error = tr("cannot protect the demo CA's keys: %1").arg(why);
        return std::nullopt;
    }
    OperationsJob job;
    job.name = QStringLiteral("enter the demo fleet CA and its certificates");
    job.run = [caRecord = *caRecord, records, actor](OperationsTransaction &t, QString *jobError) {
        CaRecord known;
        bool found = false;
        if (!CaTable::read(t.handle(), caRecord.name, &known, &found, jobError))
            return false;
        if (found && known.rootPem != caRecord.rootPem) {
            *jobError = QStringLiteral("the operations store has another CA named %1; the demo's brokers trust the "
                                       "one in the demo's state folder")
                            .arg(caRecord.name);
            return false;
        }
        if (!found && CaTable::insert(t, caRecord, false, actor, jobError) == 0)
            return false;
        for (const CertificateRecord &r : records) {
            bool exists = false;
            if (!CertificateTable::exists(t.handle(), r.serial, &exists, jobError))
                return false;
            if (!exists && !CertificateTable::insert(t, r, actor, jobError))
                return false;
        }
        return true;
    };
    QString submitError;
    if (!store->submit(std::move(job), &submitError))
        qCWarning(lcApp).noquote() << "demo PKI not entered in the operations store:" << submitError;
    return files;
}

bool DemoPki::importExpected(const QString &csvPath, OperationsStore *store, const QString &actor, QString *error)
{
    QFile file(csvPath);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("cannot read %1: %2").arg(csvPath, file.errorString());
        return false;
    }
    const ExpectedDeviceCsv::Result parsed =
        ExpectedDeviceCsv::parse(file.read(ExpectedDeviceCsv::kMaxBytes + 1), QDateTime::currentMSecsSinceEpoch());
    if (!parsed.ok()) {
        *error = parsed.errors.join(u'\n');
        return false;
    }
    OperationsJob job;
    job.name = QStringLiteral("import the demo's factory devices");
    job.run = [devices = parsed.devices, actor](OperationsTransaction &t, QString *jobError) {
        ExpectedDeviceTable::ImportResult result;
        return ExpectedDeviceTable::importAll(t, devices, actor, &result, jobError);
    };
    return store->submit(std::move(job), error) != 0;
}

void DemoPki::refreshCrl(const QString &dirPath, OperationsStore *store, const QString &actor, QObject *context,
                         std::function<void(const QByteArray &pem)> done)
{
    const QDir dir(dirPath);
    bool created = false;
    QString error;
    const std::optional<FleetCa> ca = loadOrCreateCa(dir, &created, &error);
    if (!ca || created) {
        done({});
        return;
    }
    auto pem = std::make_shared<QByteArray>();
    OperationsJob job;
    job.name = QStringLiteral("write the demo CA's CRL");
    job.run = [ca = *ca, actor, pem](OperationsTransaction &t, QString *jobError) {
        QList<QPair<QByteArray, qint64>> revoked;
        if (!CertificateTable::revokedForCrl(t.handle(), &revoked, jobError))
            return false;
        if (revoked.isEmpty())
            return true;  // the CRL on disk (empty or newer) stays
        const qint64 number = CaTable::nextCrlNumber(t, QString::fromLatin1(kCaName), actor, jobError);
        if (number == 0)
            return false;
        *pem = ca.crlPem(revoked, number, QDateTime::currentMSecsSinceEpoch(), kCrlDays, jobError);
        return !pem->isEmpty();
    };
    if (!store->submit(std::move(job), context, [pem, done](bool ok, const QString &reason) {
            if (!ok)
                qCWarning(lcApp).noquote() << "demo CRL not refreshed:" << reason;
            done(ok ? *pem : QByteArray());
        }, &error)) {
        done({});
    }
}

} // namespace fd
