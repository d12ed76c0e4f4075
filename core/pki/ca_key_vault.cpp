#include "core/pki/ca_key_vault.h"

#include "core/settings/secret_store.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <memory>

namespace fd {
namespace {

constexpr qsizetype kMaxKeychainEntryBytes = 32 * 1024;
const char kKeychainFormat[] = "fleetdeck-ca-key-1";

template <typename T>
std::optional<T> refuse(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return std::nullopt;
}

QByteArray randomPassphrase()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(bytes.data()),
                                         reinterpret_cast<quint32 *>(bytes.data() + bytes.size()));
    return bytes.toHex();
}

QString keychainEntry(const PkiKey &key)
{
    const QByteArray passphrase = randomPassphrase();
    QJsonObject entry;
    entry.insert(QStringLiteral("format"), QString::fromLatin1(kKeychainFormat));
    entry.insert(QStringLiteral("passphrase"), QString::fromLatin1(passphrase));
    entry.insert(QStringLiteral("pem"), QString::fromLatin1(key.privatePem(passphrase)));
    return QString::fromUtf8(QJsonDocument(entry).toJson(QJsonDocument::Compact));
}

std::optional<PkiKey> keyFromEntry(const QString &value, QString *error)
{
    const QByteArray bytes = value.toUtf8();
    const QJsonObject entry =
        bytes.size() <= kMaxKeychainEntryBytes ? QJsonDocument::fromJson(bytes).object() : QJsonObject();
    if (entry.value(QStringLiteral("format")).toString() != QLatin1String(kKeychainFormat))
        return refuse<PkiKey>(error, CaKeyVault::tr("the keychain entry is not a FleetDeck CA key"));
    return PkiKey::fromPrivatePem(entry.value(QStringLiteral("pem")).toString().toLatin1(),
                                  entry.value(QStringLiteral("passphrase")).toString().toLatin1(), error);
}

std::optional<FleetCa> assemble(const CaRecord &record, const PkiKey &key, QString *error)
{
    QString reason;
    const std::optional<Certificate> root = Certificate::fromPem(record.rootPem, &reason);
    if (!root)
        return refuse<FleetCa>(error, CaKeyVault::tr("CA %1: root certificate: %2").arg(record.name, reason));
    const std::optional<Certificate> intermediate = Certificate::fromPem(record.intermediatePem, &reason);
    if (!intermediate)
        return refuse<FleetCa>(error, CaKeyVault::tr("CA %1: intermediate certificate: %2").arg(record.name, reason));
    std::optional<FleetCa> ca = FleetCa::fromParts(*root, *intermediate, key, &reason);
    if (!ca)
        return refuse<FleetCa>(error, CaKeyVault::tr("CA %1: %2").arg(record.name, reason));
    return ca;
}

} // namespace

CaKeyVault::CaKeyVault(SecretStore *secrets)
    : m_secrets(secrets)
{
}

QString CaKeyVault::keychainKey(const QString &name, const QString &which)
{
    return QStringLiteral("fleet-ca/") + name + u'/' + which;
}

bool CaKeyVault::isAcceptablePassphrase(const QByteArray &passphrase, QString *why)
{
    if (passphrase.size() >= kMinPassphraseLength)
        return true;
    if (why)
        *why = passphrase.isEmpty() ? tr("a passphrase is required to protect the CA's keys")
                                    : tr("the passphrase is shorter than %1 characters").arg(kMinPassphraseLength);
    return false;
}

std::optional<CaRecord> CaKeyVault::protectWithPassphrase(const QString &name, const FleetCa &ca, const PkiKey &rootKey,
                                                          const QByteArray &passphrase, QString *error)
{
    QString reason;
    if (!CaRecord::isValidName(name, &reason) || !isAcceptablePassphrase(passphrase, &reason))
        return refuse<CaRecord>(error, reason);
    CaRecord r;
    r.name = name;
    r.rootPem = ca.root().pem();
    r.intermediatePem = ca.intermediate().pem();
    r.intermediateKeyPem = ca.intermediateKey().privatePem(passphrase);
    if (!rootKey.isNull())
        r.rootKeyPem = rootKey.privatePem(passphrase);
    if (r.intermediateKeyPem.isEmpty() || (!rootKey.isNull() && r.rootKeyPem.isEmpty()))
        return refuse<CaRecord>(error, tr("cannot encrypt the CA's keys"));
    r.storage = CaRecord::Storage::Passphrase;
    return r;
}

std::optional<CaRecord> CaKeyVault::keychainRecord(const QString &name, const FleetCa &ca, QString *error)
{
    QString reason;
    if (!CaRecord::isValidName(name, &reason))
        return refuse<CaRecord>(error, reason);
    CaRecord r;
    r.name = name;
    r.rootPem = ca.root().pem();
    r.intermediatePem = ca.intermediate().pem();
    r.storage = CaRecord::Storage::Keychain;
    return r;
}

std::optional<FleetCa> CaKeyVault::unlockWithPassphrase(const CaRecord &record, const QByteArray &passphrase,
                                                        QString *error)
{
    if (record.storage != CaRecord::Storage::Passphrase)
        return refuse<FleetCa>(error, tr("the keys of CA %1 are held by the OS keychain, not by a passphrase").arg(record.name));
    if (passphrase.isEmpty())
        return refuse<FleetCa>(error, tr("a passphrase is required to unlock CA %1").arg(record.name));
    QString reason;
    const std::optional<PkiKey> key = PkiKey::fromPrivatePem(record.intermediateKeyPem, passphrase, &reason);
    if (!key)
        return refuse<FleetCa>(error, tr("CA %1: %2").arg(record.name, reason));
    return assemble(record, *key, error);
}

void CaKeyVault::storeInKeychain(const QString &name, const PkiKey &intermediateKey, const PkiKey &rootKey,
                                 StoreDone done)
{
    if (!m_secrets) {
        done(false, tr("no OS keychain is available"));
        return;
    }
    SecretStore *secrets = m_secrets;
    const QString rootEntry = rootKey.isNull() ? QString() : keychainEntry(rootKey);
    const QString rootName = keychainKey(name, QStringLiteral("root"));
    secrets->write(keychainKey(name, QStringLiteral("intermediate")), keychainEntry(intermediateKey),
                   [secrets, rootEntry, rootName, done = std::move(done)](const SecretStore::Result &r) {
                       if (!r.ok || rootEntry.isEmpty()) {
                           done(r.ok, r.error);
                           return;
                       }
                       secrets->write(rootName, rootEntry,
                                      [done](const SecretStore::Result &rr) { done(rr.ok, rr.error); });
                   });
}

void CaKeyVault::unlockFromKeychain(const CaRecord &record, UnlockDone done)
{
    if (record.storage != CaRecord::Storage::Keychain) {
        done(std::nullopt, tr("the keys of CA %1 are not held by the OS keychain").arg(record.name));
        return;
    }
    if (!m_secrets) {
        done(std::nullopt, tr("no OS keychain is available"));
        return;
    }
    m_secrets->read(keychainKey(record.name, QStringLiteral("intermediate")),
                    [record, done = std::move(done)](const SecretStore::Result &r) {
                        if (!r.ok) {
                            done(std::nullopt,
                                 r.notFound ? tr("the OS keychain has no key for CA %1").arg(record.name) : r.error);
                            return;
                        }
                        QString reason;
                        const std::optional<PkiKey> key = keyFromEntry(r.value, &reason);
                        if (!key) {
                            done(std::nullopt, tr("CA %1 in the keychain: %2").arg(record.name, reason));
                            return;
                        }
                        std::optional<FleetCa> ca = assemble(record, *key, &reason);
                        done(std::move(ca), reason);
                    });
}

void CaKeyVault::removeFromKeychain(const QString &name, StoreDone done)
{
    if (!m_secrets) {
        done(false, tr("no OS keychain is available"));
        return;
    }
    SecretStore *secrets = m_secrets;
    const QString rootName = keychainKey(name, QStringLiteral("root"));
    secrets->remove(keychainKey(name, QStringLiteral("intermediate")),
                    [secrets, rootName, done = std::move(done)](const SecretStore::Result &r) {
                        const bool ok = r.ok || r.notFound;
                        secrets->remove(rootName, [ok, error = r.error, done](const SecretStore::Result &) {
                            done(ok, error);
                        });
                    });
}

} // namespace fd
