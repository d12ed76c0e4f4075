#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QStringView>

#include <optional>

namespace fd {

// One row of the operations store's pki_authorities table (schema v4): a fleet CA's
// certificates and where its private keys are (docs/pki.md).
struct CaRecord
{
    Q_DECLARE_TR_FUNCTIONS(fd::CaRecord)
public:
    enum class Storage { Passphrase, Keychain };
    static constexpr qsizetype kMaxNameLength = 64;

    qint64 id = 0;
    QString name;                  // [A-Za-z0-9._-]{1,64}
    QByteArray rootPem;
    QByteArray intermediatePem;
    QByteArray rootKeyPem;         // encrypted PKCS#8 (Passphrase); empty: keychain, or not held (import)
    QByteArray intermediateKeyPem; // encrypted PKCS#8 (Passphrase); empty with Keychain
    Storage storage = Storage::Passphrase;
    qint64 createdMs = 0;          // 0: the time the job runs
    qint64 crlNumber = 0;          // number of the last CRL written

    // "passphrase", "keychain".
    static QString storageKey(Storage storage);
    static std::optional<Storage> storageFromKey(QStringView key);
    static bool isValidName(QStringView name, QString *why = nullptr);

    // The chain (intermediate then root) as PEM.
    QByteArray chainPem() const;

    friend bool operator==(const CaRecord &, const CaRecord &) = default;
};

} // namespace fd
