#pragma once

#include "core/settings/secret_store.h"

#include <QObject>
#include <QString>

namespace QKeychain {
class Job;
}

namespace fd {

// SecretStore over the OS keychain (QtKeychain: Secret Service / KWallet on Linux, Keychain
// on macOS, Credential Manager on Windows). Never falls back to plain-text storage: when no
// keychain is reachable the callback receives the job's error string.
//
// The callbacks run on the thread that owns this object, after the job finished. Jobs still
// running when the store is destroyed are abandoned without calling back.
class KeychainSecretStore : public QObject, public SecretStore
{
    Q_OBJECT
public:
    explicit KeychainSecretStore(const QString &service, QObject *parent = nullptr);
    explicit KeychainSecretStore(QObject *parent = nullptr);  // service "FleetDeck"

    QString service() const { return m_service; }

    void read(const QString &key, Callback done) override;
    void write(const QString &key, const QString &value, Callback done) override;
    void remove(const QString &key, Callback done) override;

private:
    void run(QKeychain::Job *job, const QString &key, const char *what, Callback done);

    QString m_service;
};

} // namespace fd
