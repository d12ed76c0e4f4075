#include "core/settings/keychain_secret_store.h"

#include "core/settings/settings_keys.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <qt6keychain/keychain.h>

Q_LOGGING_CATEGORY(lcSettings, "fleetdeck.settings")

namespace fd {

KeychainSecretStore::KeychainSecretStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{
}

KeychainSecretStore::KeychainSecretStore(QObject *parent)
    : KeychainSecretStore(QString(SettingsKeys::kKeychainService), parent)
{
}

void KeychainSecretStore::read(const QString &key, Callback done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    run(job, key, "read", std::move(done));
}

void KeychainSecretStore::write(const QString &key, const QString &value, Callback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setTextData(value);
    run(job, key, "write", std::move(done));
}

void KeychainSecretStore::remove(const QString &key, Callback done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    run(job, key, "remove", std::move(done));
}

void KeychainSecretStore::run(QKeychain::Job *job, const QString &key, const char *what, Callback done)
{
    job->setKey(key);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);  // never plain text
    connect(job, &QKeychain::Job::finished, this, [key, what, done = std::move(done)](QKeychain::Job *j) {
        Result result;
        switch (j->error()) {
        case QKeychain::NoError:
            result.ok = true;
            if (auto *reader = qobject_cast<QKeychain::ReadPasswordJob *>(j))
                result.value = reader->textData();
            break;
        case QKeychain::EntryNotFound:
            result.notFound = true;
            result.error = QCoreApplication::translate("fd::KeychainSecretStore",
                                                       "No secret stored for %1.").arg(key);
            break;
        default:
            result.error = QCoreApplication::translate("fd::KeychainSecretStore",
                                                       "Keychain error for %1: %2").arg(key, j->errorString());
            qCWarning(lcSettings).noquote() << "keychain" << what << key << "failed:" << j->errorString();
            break;
        }
        if (done)
            done(result);
    });
    job->start();
}

} // namespace fd
