#pragma once

#include "core/ota/release_key.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QStringView>

#include <optional>

namespace fd {

// One row of the operations store's release_keys table: a release key FleetDeck can sign
// with (its private key encrypted with a passphrase in privatePem, or held by the OS
// keychain) or a trusted public key only (storage None). Every row is trusted for
// verification.
struct ReleaseKeyRecord
{
    Q_DECLARE_TR_FUNCTIONS(fd::ReleaseKeyRecord)
public:
    enum class Storage { Passphrase, Keychain, None };
    static constexpr qsizetype kMaxNameLength = 64;

    QString name;  // [A-Za-z0-9._-]{1,64}
    ReleaseKey::Algorithm algorithm = ReleaseKey::Algorithm::Ed25519;
    QString keyId;           // ReleaseKey::keyId()
    QByteArray publicPem;    // SubjectPublicKeyInfo PEM
    QByteArray privatePem;   // encrypted PKCS#8 PEM (Storage::Passphrase), empty otherwise
    Storage storage = Storage::None;
    qint64 createdMs = 0;    // 0: the time the job runs

    // Stable keys stored in private_storage: "passphrase", "keychain", "none".
    static QString storageKey(Storage storage);
    static std::optional<Storage> storageFromKey(QStringView key);
    // [A-Za-z0-9._-]{1,64}; false with the reason.
    static bool isValidName(QStringView name, QString *why = nullptr);

    bool canSign() const { return storage != Storage::None; }

    friend bool operator==(const ReleaseKeyRecord &, const ReleaseKeyRecord &) = default;
};

} // namespace fd
