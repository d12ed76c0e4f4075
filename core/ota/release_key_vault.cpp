#include "core/ota/release_key_vault.h"

#include "core/settings/secret_store.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

namespace fd {
namespace {

constexpr qsizetype kMaxKeychainEntryBytes = 32 * 1024;

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

} // namespace

ReleaseKeyVault::ReleaseKeyVault(SecretStore *secrets)
    : m_secrets(secrets)
{
}

QString ReleaseKeyVault::keychainKey(const QString &name)
{
    return QStringLiteral("release-key/") + name;
}

std::optional<ReleaseKeyRecord> ReleaseKeyVault::protectWithPassphrase(const QString &name, const ReleaseKey &key,
                                                                       const QByteArray &passphrase, QString *error)
{
    QString reason;
    if (!ReleaseKeyRecord::isValidName(name, &reason))
        return refuse<ReleaseKeyRecord>(error, reason);
    ReleaseKeyRecord r;
    r.name = name;
    r.algorithm = key.algorithm();
    r.keyId = key.keyId();
    r.publicPem = key.publicPem();
    r.privatePem = key.privatePem(passphrase, &reason);
    if (r.privatePem.isEmpty())
        return refuse<ReleaseKeyRecord>(error, reason);
    r.storage = ReleaseKeyRecord::Storage::Passphrase;
    return r;
}

std::optional<ReleaseKeyRecord> ReleaseKeyVault::trustedPublicKey(const QString &name, const QByteArray &publicPem,
                                                                  QString *error)
{
    QString reason;
    if (!ReleaseKeyRecord::isValidName(name, &reason))
        return refuse<ReleaseKeyRecord>(error, reason);
    const std::optional<ReleaseKey> key = ReleaseKey::fromPublicPem(publicPem, &reason);
    if (!key)
        return refuse<ReleaseKeyRecord>(error, reason);
    ReleaseKeyRecord r;
    r.name = name;
    r.algorithm = key->algorithm();
    r.keyId = key->keyId();
    r.publicPem = key->publicPem();  // normalized
    r.storage = ReleaseKeyRecord::Storage::None;
    return r;
}

std::optional<ReleaseKey> ReleaseKeyVault::unlockWithPassphrase(const ReleaseKeyRecord &record,
                                                                const QByteArray &passphrase, QString *error)
{
    if (record.storage == ReleaseKeyRecord::Storage::None)
        return refuse<ReleaseKey>(error, tr("%1 is a trusted public key: it cannot sign").arg(record.name));
    if (record.storage == ReleaseKeyRecord::Storage::Keychain)
        return refuse<ReleaseKey>(error, tr("%1 is held by the OS keychain, not by a passphrase").arg(record.name));
    QString reason;
    std::optional<ReleaseKey> key = ReleaseKey::fromPrivatePem(record.privatePem, passphrase, &reason);
    if (!key)
        return refuse<ReleaseKey>(error, tr("release key %1: %2").arg(record.name, reason));
    if (key->keyId() != record.keyId)
        return refuse<ReleaseKey>(error, tr("release key %1: the private key does not match its key id").arg(record.name));
    return key;
}

std::optional<ReleaseKeyRecord> ReleaseKeyVault::keychainRecord(const QString &name, const ReleaseKey &key,
                                                                QString *error)
{
    QString reason;
    if (!ReleaseKeyRecord::isValidName(name, &reason))
        return refuse<ReleaseKeyRecord>(error, reason);
    ReleaseKeyRecord r;
    r.name = name;
    r.algorithm = key.algorithm();
    r.keyId = key.keyId();
    r.publicPem = key.publicPem();
    r.storage = ReleaseKeyRecord::Storage::Keychain;
    return r;
}

void ReleaseKeyVault::storeInKeychain(const QString &name, const ReleaseKey &key, StoreDone done)
{
    if (!m_secrets) {
        done(false, tr("no OS keychain is available"));
        return;
    }
    const QByteArray passphrase = randomPassphrase();
    QString reason;
    const QByteArray pem = key.privatePem(passphrase, &reason);
    if (pem.isEmpty()) {
        done(false, reason);
        return;
    }
    QJsonObject entry;
    entry.insert(QStringLiteral("format"), QStringLiteral("fleetdeck-release-key-1"));
    entry.insert(QStringLiteral("key_id"), key.keyId());
    entry.insert(QStringLiteral("passphrase"), QString::fromLatin1(passphrase));
    entry.insert(QStringLiteral("pem"), QString::fromLatin1(pem));
    m_secrets->write(keychainKey(name), QString::fromUtf8(QJsonDocument(entry).toJson(QJsonDocument::Compact)),
                     [done = std::move(done)](const SecretStore::Result &r) { done(r.ok, r.error); });
}

void ReleaseKeyVault::unlockFromKeychain(const ReleaseKeyRecord &record, UnlockDone done)
{
    if (record.storage != ReleaseKeyRecord::Storage::Keychain) {
        done(std::nullopt, tr("%1 is not held by the OS keychain").arg(record.name));
        return;
    }
    if (!m_secrets) {
        done(std::nullopt, tr("no OS keychain is available"));
        return;
    }
    m_secrets->read(keychainKey(record.name), [record, done = std::move(done)](const SecretStore::Result &r) {
        if (!r.ok) {
            done(std::nullopt, r.notFound ? tr("the OS keychain has no private key for release key %1").arg(record.name)
                                          : r.error);
            return;
        }
        const QByteArray value = r.value.toUtf8();
        const QJsonObject entry = value.size() <= kMaxKeychainEntryBytes ? QJsonDocument::fromJson(value).object()
                                                                         : QJsonObject();
        if (entry.value(QStringLiteral("format")).toString() != u"fleetdeck-release-key-1") {
            done(std::nullopt, tr("the keychain entry of release key %1 is not a FleetDeck release key").arg(record.name));
            return;
        }
        QString reason;
        std::optional<ReleaseKey> key =
            ReleaseKey::fromPrivatePem(entry.value(QStringLiteral("pem")).toString().toLatin1(),
                                       entry.value(QStringLiteral("passphrase")).toString().toLatin1(), &reason);
        if (!key) {
            done(std::nullopt, tr("release key %1 in the keychain: %2").arg(record.name, reason));
            return;
        }
        if (key->keyId() != record.keyId) {
            done(std::nullopt, tr("the keychain holds another key for release key %1").arg(record.name));
            return;
        }
        done(std::move(key), QString());
    });
}

void ReleaseKeyVault::removeFromKeychain(const QString &name, StoreDone done)
{
    if (!m_secrets) {
        done(false, tr("no OS keychain is available"));
        return;
    }
    m_secrets->remove(keychainKey(name), [done = std::move(done)](const SecretStore::Result &r) {
        done(r.ok || r.notFound, r.error);
    });
}

} // namespace fd
