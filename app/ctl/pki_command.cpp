#include "app/ctl/pki_command.h"

#include "app/ctl/operations_file.h"
#include "app/ctl/operations_job_runner.h"
#include "core/operations/operations_transaction.h"
#include "core/pki/ca_key_vault.h"
#include "core/pki/ca_table.h"
#include "core/pki/certificate_issuance.h"
#include "core/pki/certificate_table.h"
#include "core/pki/csr_check.h"
#include "core/pki/fleet_ca.h"
#include "core/pki/serial_number.h"
#include "core/settings/keychain_secret_store.h"
#include "core/storage/database.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>
#include <QTimer>

#include <functional>

namespace fd {
namespace {

constexpr const char kPassphraseVariable[] = "FLEETDECK_CA_PASSPHRASE";
constexpr const char kImportPassphraseVariable[] = "FLEETDECK_CA_IMPORT_PASSPHRASE";
constexpr int kPkiSchemaVersion = 4;
constexpr int kKeychainTimeoutMs = 120000;
constexpr int kDefaultDeviceDays = 365;
constexpr int kDefaultServerDays = 825;
constexpr int kDefaultCrlDays = 30;
constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;
constexpr int kExitRefused = 2;
constexpr int kExitFailure = 1;

// What a verb needs: the parsed options and the streams.
struct Context
{
    QCommandLineParser &parser;
    QString cachePath;
    QString verb;
    QTextStream &out;
    QTextStream &err;

    QString value(const char *option) const { return parser.value(QString::fromLatin1(option)); }
    QStringList values(const char *option) const { return parser.values(QString::fromLatin1(option)); }
    bool isSet(const char *option) const { return parser.isSet(QString::fromLatin1(option)); }
    int refuse(const QString &reason, int code = kExitRefused) const
    {
        err << "fleetdeckctl pki " << verb << ": " << reason << '\n';
        err.flush();
        return code;
    }
};

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

bool readFile(const QString &path, qsizetype maxBytes, QByteArray *out, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    *out = file.read(maxBytes + 1);
    if (out->size() > maxBytes) {
        *error = QStringLiteral("%1 is larger than %2 bytes").arg(path).arg(maxBytes);
        return false;
    }
    return true;
}

// Writes bytes atomically; keys (secret) are 0600 from the start.
bool writeFile(const QString &path, const QByteArray &bytes, bool secret, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    const QFileDevice::Permissions perms = secret ? (QFileDevice::ReadOwner | QFileDevice::WriteOwner)
                                                  : (QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                                     | QFileDevice::ReadGroup | QFileDevice::ReadOther);
    if (!file.setPermissions(perms) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

// Reads the store read-only: no store or an older schema is "no CA" (found false).
bool readStore(const Context &c, const std::function<bool(sqlite3 *, QString *)> &read, bool *storeHasPki)
{
    Database db;
    bool exists = false;
    int schemaVersion = 0;
    const QByteArray command = "pki " + c.verb.toLatin1();
    if (!OperationsFile::openReadOnly(c.cachePath, command.constData(), &db, &exists, &schemaVersion, c.err))
        return false;
    *storeHasPki = exists && schemaVersion >= kPkiSchemaVersion;
    if (!*storeHasPki)
        return true;
    QString error;
    if (!read(db.handle(), &error)) {
        c.refuse(QStringLiteral("cannot read %1: %2").arg(db.path(), error), kExitFailure);
        return false;
    }
    return true;
}

// The CA row (by --name, else the first); false (reason printed) when there is none.
bool readAuthority(const Context &c, CaRecord *out, int *exitCode)
{
    bool found = false;
    bool hasPki = false;
    const QString name = c.value("name");
    if (!readStore(c, [&](sqlite3 *db, QString *e) { return CaTable::read(db, name, out, &found, e); }, &hasPki)) {
        *exitCode = kExitFailure;
        return false;
    }
    if (!hasPki || !found) {
        *exitCode = c.refuse(name.isEmpty() ? QStringLiteral("there is no fleet CA in this store: create one with "
                                                             "`fleetdeckctl pki init --db CACHE`")
                                            : QStringLiteral("there is no fleet CA named %1").arg(name));
        return false;
    }
    return true;
}

bool waitFor(QEventLoop &loop, const bool &done)
{
    if (!done) {
        QTimer::singleShot(kKeychainTimeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return done;
}

std::optional<FleetCa> unlock(const CaRecord &record, QString *error)
{
    if (record.storage == CaRecord::Storage::Passphrase) {
        const QByteArray passphrase = qgetenv(kPassphraseVariable);
        if (passphrase.isEmpty()) {
            *error = QStringLiteral("set %1 to the passphrase of fleet CA %2")
                         .arg(QString::fromLatin1(kPassphraseVariable), record.name);
            return std::nullopt;
        }
        return CaKeyVault::unlockWithPassphrase(record, passphrase, error);
    }
    KeychainSecretStore secrets;
    CaKeyVault vault(&secrets);
    std::optional<FleetCa> ca;
    bool done = false;
    QEventLoop loop;
    vault.unlockFromKeychain(record, [&](std::optional<FleetCa> unlocked, const QString &e) {
        ca = std::move(unlocked);
        *error = e;
        done = true;
        loop.quit();
    });
    if (!waitFor(loop, done))
        *error = QStringLiteral("the OS keychain did not answer in time");
    return ca;
}

// The unlocked CA for a verb that signs; std::nullopt with the reason printed.
std::optional<FleetCa> unlockedAuthority(const Context &c, CaRecord *record, int *exitCode)
{
    if (!readAuthority(c, record, exitCode))
        return std::nullopt;
    QString error;
    std::optional<FleetCa> ca = unlock(*record, &error);
    if (!ca) {
        *exitCode = c.refuse(error);
        return std::nullopt;
    }
    return ca;
}

int days(const Context &c, int fallback, bool *ok)
{
    *ok = true;
    if (!c.isSet("days"))
        return fallback;
    const int n = c.value("days").toInt(ok);
    *ok = *ok && n >= FleetCa::kMinDays && n <= FleetCa::kMaxDays;
    if (!*ok)
        c.refuse(QStringLiteral("--days is %1 to %2").arg(FleetCa::kMinDays).arg(FleetCa::kMaxDays));
    return n;
}

int insertAuthority(const Context &c, const QString &name, const FleetCa &ca, const PkiKey &rootKey, bool imported)
{
    QString error;
    std::optional<CaRecord> record;
    if (c.isSet("keychain")) {
        record = CaKeyVault::keychainRecord(name, ca, &error);
        if (!record)
            return c.refuse(error);
        KeychainSecretStore secrets;
        CaKeyVault vault(&secrets);
        bool done = false;
        bool stored = false;
        QEventLoop loop;
        vault.storeInKeychain(name, ca.intermediateKey(), rootKey, [&](bool ok, const QString &e) {
            stored = ok;
            error = e;
            done = true;
            loop.quit();
        });
        if (!waitFor(loop, done) || !stored)
            return c.refuse(QStringLiteral("the OS keychain refused the CA's keys: %1")
                                .arg(done ? error : QStringLiteral("no answer in time")),
                            kExitFailure);
    } else {
        const QByteArray passphrase = qgetenv(kPassphraseVariable);
        if (!CaKeyVault::isAcceptablePassphrase(passphrase, &error))
            return c.refuse(QStringLiteral("%1 (set %2, at least %3 characters, or use --keychain)")
                                .arg(error, QString::fromLatin1(kPassphraseVariable))
                                .arg(CaKeyVault::kMinPassphraseLength));
        record = CaKeyVault::protectWithPassphrase(name, ca, rootKey, passphrase, &error);
        if (!record)
            return c.refuse(error);
    }
    OperationsJob job{QStringLiteral("create fleet CA %1").arg(name),
                      [record = *record, imported, actor = OperationsJobRunner::actor()](OperationsTransaction &t,
                                                                                         QString *e) {
                          QList<CaRecord> existing;
                          if (!CaTable::list(t.handle(), &existing, e))
                              return false;
                          if (!existing.isEmpty()) {
                              *e = QStringLiteral("a fleet CA exists already (%1); see it with `fleetdeckctl pki "
                                                  "list` or export it with `pki export-ca`")
                                       .arg(existing.first().name);
                              return false;
                          }
                          return CaTable::insert(t, record, imported, actor, e) > 0;
                      }};
    if (!OperationsJobRunner::run(c.cachePath, std::move(job), nullptr, &error))
        return c.refuse(error);
    c.err << (imported ? "imported" : "created") << " fleet CA " << name << ": root \""
          << ca.root().subjectCommonName() << "\" (until " << isoTime(ca.root().notAfterMs()) << "), intermediate \""
          << ca.intermediate().subjectCommonName() << "\" (until " << isoTime(ca.intermediate().notAfterMs())
          << "), keys " << (c.isSet("keychain") ? "in the OS keychain" : "encrypted with the passphrase") << '\n';
    c.out << ca.root().fingerprintSha256() << '\n';
    return 0;
}

int init(const Context &c)
{
    const QString name = c.isSet("name") ? c.value("name") : QStringLiteral("fleet");
    QString error;
    if (!CaRecord::isValidName(name, &error))
        return c.refuse(error);
    CaRecord existing;
    bool found = false;
    bool hasPki = false;
    if (!readStore(c, [&](sqlite3 *db, QString *e) { return CaTable::read(db, QString(), &existing, &found, e); },
                   &hasPki))
        return kExitFailure;
    if (hasPki && found)
        return c.refuse(QStringLiteral("a fleet CA exists already (%1); see it with `fleetdeckctl pki list` or export "
                                       "it with `pki export-ca`")
                            .arg(existing.name));
    if (!c.isSet("keychain")) {  // check before the (fast) key generation, for a clear message
        const QByteArray passphrase = qgetenv(kPassphraseVariable);
        if (!CaKeyVault::isAcceptablePassphrase(passphrase, &error))
            return c.refuse(QStringLiteral("%1 (set %2, at least %3 characters, or use --keychain)")
                                .arg(error, QString::fromLatin1(kPassphraseVariable))
                                .arg(CaKeyVault::kMinPassphraseLength));
    }
    const FleetCa::Created created = FleetCa::create(name);
    return insertAuthority(c, name, created.ca, created.rootKey, false);
}

int importCa(const Context &c)
{
    const QString name = c.isSet("name") ? c.value("name") : QStringLiteral("fleet");
    QString error;
    if (!CaRecord::isValidName(name, &error))
        return c.refuse(error);
    if (c.value("root").isEmpty() || c.value("intermediate").isEmpty() || c.value("key").isEmpty())
        return c.refuse(QStringLiteral("--root ROOT.pem, --intermediate INT.pem and --key INT.key are required"));
    QByteArray rootPem;
    QByteArray intermediatePem;
    QByteArray keyPem;
    if (!readFile(c.value("root"), Certificate::kMaxPemBytes, &rootPem, &error)
        || !readFile(c.value("intermediate"), Certificate::kMaxPemBytes, &intermediatePem, &error)
        || !readFile(c.value("key"), PkiKey::kMaxPemBytes, &keyPem, &error))
        return c.refuse(error);
    const std::optional<Certificate> root = Certificate::fromPem(rootPem, &error);
    if (!root)
        return c.refuse(QStringLiteral("%1: %2").arg(c.value("root"), error));
    const std::optional<Certificate> intermediate = Certificate::fromPem(intermediatePem, &error);
    if (!intermediate)
        return c.refuse(QStringLiteral("%1: %2").arg(c.value("intermediate"), error));
    const std::optional<PkiKey> key = PkiKey::fromPrivatePem(keyPem, qgetenv(kImportPassphraseVariable), &error);
    if (!key)
        return c.refuse(QStringLiteral("%1: %2 (its passphrase comes from %3)")
                            .arg(c.value("key"), error, QString::fromLatin1(kImportPassphraseVariable)));
    const std::optional<FleetCa> ca = FleetCa::fromParts(*root, *intermediate, *key, &error);
    if (!ca)
        return c.refuse(error);
    if (!ca->isUsable(QDateTime::currentMSecsSinceEpoch(), &error))
        return c.refuse(QStringLiteral("the CA cannot issue certificates: %1").arg(error));
    return insertAuthority(c, name, *ca, PkiKey(), true);
}

int exportCa(const Context &c)
{
    CaRecord record;
    int code = 0;
    if (!readAuthority(c, &record, &code))
        return code;
    const QString outPath = c.value("out");
    if (outPath.isEmpty() || outPath == u"-") {
        c.out << QString::fromLatin1(record.chainPem());
        return 0;
    }
    QString error;
    if (!writeFile(outPath, record.chainPem(), false, &error))
        return c.refuse(error, kExitFailure);
    c.err << "wrote the chain of fleet CA " << record.name << " (intermediate, then root) to " << outPath << '\n';
    return 0;
}

// Runs one issuance job (fresh serial, record, audit); the record, or std::nullopt with the
// reason printed (exit code in *exitCode).
std::optional<CertificateRecord> issue(const Context &c, const CertificateIssuance::Sign &sign,
                                       CertificateRecord::Kind kind, const QString &deviceId,
                                       const QString &replacesSerial, int *exitCode)
{
    auto result = std::make_shared<std::optional<CertificateRecord>>();
    auto problem = std::make_shared<QString>();
    OperationsJob job{QStringLiteral("issue a %1 certificate").arg(CertificateRecord::kindKey(kind)),
                      [=, actor = OperationsJobRunner::actor()](OperationsTransaction &t, QString *e) {
                          *result = CertificateIssuance::run(t, sign, kind, deviceId, actor, replacesSerial, e,
                                                             problem.get());
                          return result->has_value();
                      }};
    QString error;
    if (!OperationsJobRunner::run(c.cachePath, std::move(job), nullptr, &error)) {
        const bool refused = !problem->isEmpty() && *problem != u"store_failed";
        *exitCode = c.refuse(refused ? QStringLiteral("refused (%1): %2").arg(*problem, error) : error,
                             refused || problem->isEmpty() ? kExitRefused : kExitFailure);
        return std::nullopt;
    }
    return *result;
}

int issueDevice(const Context &c)
{
    const QString deviceId = c.value("device");
    const QString outPath = c.value("out");
    if (c.value("csr").isEmpty() || deviceId.isEmpty() || outPath.isEmpty())
        return c.refuse(QStringLiteral("--csr REQ.pem, --device ID and --out CERT.pem are required"));
    bool ok = false;
    const int validity = days(c, kDefaultDeviceDays, &ok);
    if (!ok)
        return kExitRefused;
    QString replaces;
    if (c.isSet("replaces")) {
        replaces = SerialNumber::normalize(c.value("replaces"));
        if (replaces.isEmpty())
            return c.refuse(QStringLiteral("--replaces takes a serial number (hex)"));
    }
    QString error;
    QByteArray csr;
    if (!readFile(c.value("csr"), 64 * 1024, &csr, &error))  // CsrCheck refuses > 8 KiB with its own reason
        return c.refuse(error);
    // Check the request before unlocking anything: a refused CSR needs no passphrase.
    const CsrVerdict verdict = CsrCheck::check(csr, deviceId);
    if (!verdict.ok())
        return c.refuse(QStringLiteral("refused (%1): %2").arg(CsrCheck::problemKey(verdict.problem), verdict.reason));
    CaRecord record;
    int code = 0;
    std::optional<FleetCa> ca = unlockedAuthority(c, &record, &code);
    if (!ca)
        return code;
    auto shared = std::make_shared<const FleetCa>(std::move(*ca));
    const CertificateIssuance::Sign sign = [shared, csr, deviceId, validity](const QByteArray &serial, QString *why,
                                                                               QString *key) {
        return shared->issueDevice(csr, deviceId, validity, serial, QDateTime::currentMSecsSinceEpoch(), why, key);
    };
    const std::optional<CertificateRecord> issued =
        issue(c, sign, CertificateRecord::Kind::Device, deviceId, replaces, &code);
    if (!issued)
        return code;
    if (!writeFile(outPath, issued->pem, false, &error))
        return c.refuse(QStringLiteral("certificate %1 was issued and recorded, but %2").arg(issued->serial, error),
                        kExitFailure);
    c.err << "issued device certificate " << issued->serial << " for " << deviceId << " (until "
          << isoTime(issued->notAfterMs) << ") to " << outPath << '\n';
    c.out << issued->serial << '\n';
    return 0;
}

// issue-server and issue-client: FleetDeck makes the key (P-256) and writes it.
int issueWithNewKey(const Context &c, bool server)
{
    const QString certPath = c.value("out-cert");
    const QString keyPath = c.value("out-key");
    if (certPath.isEmpty() || keyPath.isEmpty())
        return c.refuse(QStringLiteral("--out-cert CERT.pem and --out-key KEY.pem are required"));
    const QStringList hosts = c.values("host");
    QString commonName = c.value("cn");
    CertificateRecord::Kind kind = CertificateRecord::Kind::Server;
    if (server) {
        if (hosts.isEmpty())
            return c.refuse(QStringLiteral("at least one --host NAME_OR_IP is required"));
        if (commonName.isEmpty())
            commonName = hosts.first();
    } else {
        if (commonName.isEmpty())
            return c.refuse(QStringLiteral("--cn NAME is required"));
        const std::optional<CertificateRecord::Kind> k = CertificateRecord::kindFromKey(c.value("kind"));
        if (!k || (*k != CertificateRecord::Kind::Operator && *k != CertificateRecord::Kind::Bootstrap))
            return c.refuse(QStringLiteral("--kind is operator or bootstrap"));
        kind = *k;
    }
    QByteArray keyPassphrase;
    if (c.isSet("key-passphrase-env")) {
        keyPassphrase = qgetenv(c.value("key-passphrase-env").toLocal8Bit().constData());
        if (keyPassphrase.isEmpty())
            return c.refuse(QStringLiteral("the variable %1 (--key-passphrase-env) is empty or unset")
                                .arg(c.value("key-passphrase-env")));
    }
    bool ok = false;
    const int validity = days(c, server ? kDefaultServerDays : kDefaultDeviceDays, &ok);
    if (!ok)
        return kExitRefused;
    CaRecord record;
    int code = 0;
    std::optional<FleetCa> ca = unlockedAuthority(c, &record, &code);
    if (!ca)
        return code;
    auto shared = std::make_shared<const FleetCa>(std::move(*ca));
    const PkiKey key = PkiKey::generateP256();
    const CertificateIssuance::Sign sign = [=](const QByteArray &serial, QString *why, QString *) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        return server ? shared->issueServer(key, commonName, hosts, validity, serial, now, why)
                      : shared->issueClient(key, commonName, validity, serial, now, why);
    };
    const std::optional<CertificateRecord> issued = issue(c, sign, kind, QString(), QString(), &code);
    if (!issued)
        return code;
    QString error;
    if (!writeFile(keyPath, key.privatePem(keyPassphrase), true, &error)
        || !writeFile(certPath, issued->pem, false, &error))
        return c.refuse(QStringLiteral("certificate %1 was issued and recorded, but %2").arg(issued->serial, error),
                        kExitFailure);
    c.err << "issued " << CertificateRecord::kindKey(kind) << " certificate " << issued->serial << " for "
          << commonName << (server ? QStringLiteral(" (%1)").arg(hosts.join(QStringLiteral(", "))) : QString())
          << " (until " << isoTime(issued->notAfterMs) << "): " << certPath << ", key "
          << (keyPassphrase.isEmpty() ? "unencrypted" : "encrypted") << " in " << keyPath << '\n';
    c.out << issued->serial << '\n';
    return 0;
}

int revoke(const Context &c)
{
    const QString serial = SerialNumber::normalize(c.value("serial"));
    if (serial.isEmpty())
        return c.refuse(QStringLiteral("--serial takes a certificate serial number (hex, as `pki issue` printed it)"));
    CaRecord record;
    int code = 0;
    if (!readAuthority(c, &record, &code))
        return code;
    const QString reason = c.value("reason").left(500);
    OperationsJob job{QStringLiteral("revoke certificate %1").arg(serial),
                      [serial, reason, actor = OperationsJobRunner::actor()](OperationsTransaction &t, QString *e) {
                          return CertificateTable::revoke(t, serial, reason, t.nowMs(), actor, e);
                      }};
    QString error;
    if (!OperationsJobRunner::run(c.cachePath, std::move(job), nullptr, &error))
        return c.refuse(error);
    c.err << "revoked certificate " << serial << "; write a new CRL with `fleetdeckctl pki crl` for the broker\n";
    return 0;
}

int crl(const Context &c)
{
    const QString outPath = c.value("out");
    if (outPath.isEmpty())
        return c.refuse(QStringLiteral("--out CRL.pem is required"));
    CaRecord record;
    int code = 0;
    std::optional<FleetCa> ca = unlockedAuthority(c, &record, &code);
    if (!ca)
        return code;
    auto shared = std::make_shared<const FleetCa>(std::move(*ca));
    auto pem = std::make_shared<QByteArray>();
    auto count = std::make_shared<qsizetype>(0);
    OperationsJob job{QStringLiteral("write the CRL"),
                      [=, name = record.name, actor = OperationsJobRunner::actor()](OperationsTransaction &t,
                                                                                     QString *e) {
                          QList<QPair<QByteArray, qint64>> revoked;
                          if (!CertificateTable::revokedForCrl(t.handle(), &revoked, e))
                              return false;
                          *count = revoked.size();
                          const qint64 number = CaTable::nextCrlNumber(t, name, actor, e);
                          if (number <= 0)
                              return false;
                          *pem = shared->crlPem(revoked, number, t.nowMs(), kDefaultCrlDays, e);
                          return !pem->isEmpty();
                      }};
    QString error;
    if (!OperationsJobRunner::run(c.cachePath, std::move(job), nullptr, &error))
        return c.refuse(error, kExitFailure);
    if (!writeFile(outPath, *pem, false, &error))
        return c.refuse(error, kExitFailure);
    c.err << "wrote the CRL of fleet CA " << record.name << " (" << *count << " revoked, next update in "
          << kDefaultCrlDays << " days) to " << outPath << '\n';
    return 0;
}

int list(const Context &c)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    CertificateFilter filter;
    int expiringDays = 30;
    if (c.isSet("expiring-days")) {
        bool ok = false;
        expiringDays = c.value("expiring-days").toInt(&ok);
        if (!ok || expiringDays < 0 || expiringDays > 36500)
            return c.refuse(QStringLiteral("--expiring-days takes a number of days"));
        filter.expiringBeforeMs = now + expiringDays * kDayMs;
    }
    const qint64 window = expiringDays * kDayMs;
    QList<CertificateRecord> rows;
    bool hasPki = false;
    if (!readStore(c, [&](sqlite3 *db, QString *e) { return CertificateTable::list(db, filter, &rows, e); }, &hasPki))
        return kExitFailure;
    if (c.isSet("json")) {
        QJsonArray array;
        for (const CertificateRecord &r : std::as_const(rows)) {
            QJsonObject o = QJsonDocument::fromJson(CertificateTable::describeJson(r).toUtf8()).object();
            o.insert(QStringLiteral("effective_status"), r.effectiveStatusKey(now, window));
            o.insert(QStringLiteral("not_after"), isoTime(r.notAfterMs));
            array.append(o);
        }
        c.out << (array.isEmpty() ? QByteArray("[]\n") : QJsonDocument(array).toJson(QJsonDocument::Indented));
        return 0;
    }
    c.out << qSetFieldWidth(34) << Qt::left << "SERIAL" << qSetFieldWidth(10) << "KIND" << qSetFieldWidth(28)
          << "DEVICE / CN" << qSetFieldWidth(22) << "NOT AFTER (UTC)" << qSetFieldWidth(0) << "STATUS\n";
    for (const CertificateRecord &r : std::as_const(rows)) {
        c.out << qSetFieldWidth(34) << r.serial << qSetFieldWidth(10) << CertificateRecord::kindKey(r.kind)
              << qSetFieldWidth(28) << (r.deviceId.isEmpty() ? r.commonName : r.deviceId).left(27)
              << qSetFieldWidth(22) << isoTime(r.notAfterMs) << qSetFieldWidth(0) << r.effectiveStatusKey(now, window)
              << '\n';
    }
    c.out << rows.size() << " certificates\n";
    return 0;
}

} // namespace

int PkiCommand::run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The fleet certificate authority and its certificates (docs/pki.md).\n"
        "  fleetdeckctl pki init --db CACHE [--name NAME] [--keychain]\n"
        "  fleetdeckctl pki import --db CACHE --root ROOT.pem --intermediate INT.pem --key INT.key [--keychain]\n"
        "  fleetdeckctl pki export-ca --db CACHE --out CHAIN.pem\n"
        "  fleetdeckctl pki issue --db CACHE --csr REQ.pem --device ID [--days N] [--replaces SERIAL] --out CERT.pem\n"
        "  fleetdeckctl pki issue-server --db CACHE --host H [--host H2] [--cn NAME] --out-cert C --out-key K [--days N]\n"
        "  fleetdeckctl pki issue-client --db CACHE --cn NAME --kind operator|bootstrap --out-cert C --out-key K\n"
        "                                [--days N] [--key-passphrase-env VAR]\n"
        "  fleetdeckctl pki revoke --db CACHE --serial S [--reason TEXT]\n"
        "  fleetdeckctl pki crl --db CACHE --out CRL.pem\n"
        "  fleetdeckctl pki list --db CACHE [--json] [--expiring-days N]\n"
        "The CA passphrase comes from FLEETDECK_CA_PASSPHRASE (an imported key's own from\n"
        "FLEETDECK_CA_IMPORT_PASSPHRASE). Issue verbs print the serial only."));
    parser.addHelpOption();
    auto option = [](const char *name, const char *help, const char *valueName = nullptr) {
        return valueName ? QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help),
                                              QString::fromLatin1(valueName))
                         : QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help));
    };
    parser.addOptions({
        OperationsFile::cacheOption(),
        option("name", "CA name ([A-Za-z0-9._-], default fleet).", "NAME"),
        option("keychain", "Keep the CA's keys in the OS keychain instead of a passphrase."),
        option("root", "Root certificate PEM (import).", "FILE"),
        option("intermediate", "Intermediate certificate PEM (import).", "FILE"),
        option("key", "The intermediate's private key PEM (import).", "FILE"),
        option("out", "Output file.", "FILE"),
        option("csr", "Certificate signing request PEM.", "FILE"),
        option("device", "Device id (the certificate's CN).", "ID"),
        option("days", "Validity in days.", "N"),
        option("replaces", "Serial of the certificate this one replaces (rotation).", "SERIAL"),
        option("host", "Host name or IP address of the server (repeatable).", "HOST"),
        option("cn", "Common name.", "NAME"),
        option("kind", "operator or bootstrap.", "KIND"),
        option("out-cert", "Certificate output file.", "FILE"),
        option("out-key", "Private key output file (written 0600).", "FILE"),
        option("key-passphrase-env", "Encrypt the written key with the passphrase in this variable.", "VAR"),
        option("serial", "Certificate serial (hex).", "SERIAL"),
        option("reason", "Why the certificate is revoked.", "TEXT"),
        option("json", "Print a JSON array."),
        option("expiring-days", "Only valid certificates expiring within N days (also the \"expiring\" window).", "N"),
    });
    parser.addPositionalArgument(QStringLiteral("verb"),
                                 QStringLiteral("init, import, export-ca, issue, issue-server, issue-client, revoke, "
                                                "crl or list"));
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QStringList args = QStringList{QStringLiteral("fleetdeckctl pki")} + arguments;
    if (!parser.parse(args)) {
        err << "fleetdeckctl pki: " << parser.errorText() << '\n';
        return kExitRefused;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    const QString verb = positional.value(0);
    Context c{parser, parser.value(OperationsFile::cacheOption().names().constFirst()), verb, out, err};
    using Verb = int (*)(const Context &);
    const QList<QPair<QString, Verb>> verbs = {
        {QStringLiteral("init"), init},
        {QStringLiteral("import"), importCa},
        {QStringLiteral("export-ca"), exportCa},
        {QStringLiteral("issue"), issueDevice},
        {QStringLiteral("issue-server"), [](const Context &cx) { return issueWithNewKey(cx, true); }},
        {QStringLiteral("issue-client"), [](const Context &cx) { return issueWithNewKey(cx, false); }},
        {QStringLiteral("revoke"), revoke},
        {QStringLiteral("crl"), crl},
        {QStringLiteral("list"), list},
    };
    for (const auto &[name, fn] : verbs) {
        if (name != verb)
            continue;
        if (positional.size() != 1)
            return c.refuse(QStringLiteral("unexpected argument '%1'").arg(positional.value(1)));
        if (c.cachePath.isEmpty())
            return c.refuse(QStringLiteral("--db CACHE is required"));
        return fn(c);
    }
    err << "fleetdeckctl pki: " << (verb.isEmpty() ? QStringLiteral("a verb is required")
                                                   : QStringLiteral("unknown verb '%1'").arg(verb))
        << " (init, import, export-ca, issue, issue-server, issue-client, revoke, crl, list); see --help\n";
    return kExitRefused;
}

} // namespace fd
