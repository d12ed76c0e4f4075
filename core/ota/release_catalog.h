#pragma once

#include "core/ota/artifact_importer.h"
#include "core/ota/firmware_artifact.h"
#include "core/ota/release_key.h"
#include "core/ota/release_key_record.h"
#include "core/ota/release_key_vault.h"

#include <QList>
#include <QObject>
#include <QString>

namespace fd {

class OperationsStore;
class SecretStore;

// The release keys and signed artifacts of the operations store, for the GUI (the rollout
// wizard's first page). Every call returns at once; results come back as signals:
//   refresh()         -> catalogRead(keys, artifacts) (or failed)
//   createKey()       -> keyCreated(name, error): generated here (fast), the private key
//                        encrypted with the passphrase into the row, or put in the OS
//                        keychain first (ReleaseKeyVault), then the row committed
//   importArtifact()  -> artifactImported(artifact, error): the key unlocked (passphrase or
//                        keychain), then ONE store job hashes the file, signs the manifest,
//                        copies the file into the ArtifactStore and inserts the row (file
//                        work runs on the store's worker thread, never on the GUI thread;
//                        firmware files are tens of MB: a second or so of the store's time).
// Refusals (wrong passphrase, unsigned, mismatching file, ...) come with the reason.
class ReleaseCatalog : public QObject
{
    Q_OBJECT
public:
    enum class KeyStorage { Passphrase, Keychain };

    // secrets may be null (no keychain: passphrase keys only).
    ReleaseCatalog(OperationsStore *store, SecretStore *secrets, const QString &cachePath, QString actor,
                   QObject *parent = nullptr);

    QString artifactDirectory() const { return m_artifactDir; }
    bool hasKeychain() const { return m_secrets != nullptr; }
    const QList<ReleaseKeyRecord> &keys() const { return m_keys; }
    const QList<FirmwareArtifact> &artifacts() const { return m_artifacts; }
    const FirmwareArtifact *artifact(const QString &id) const;

    void refresh();
    void createKey(const QString &name, ReleaseKey::Algorithm algorithm, KeyStorage storage,
                   const QByteArray &passphrase);
    // passphrase is ignored for a keychain key.
    void importArtifact(const ArtifactImportRequest &request, const QString &keyName, const QByteArray &passphrase);

signals:
    void catalogRead(const QList<fd::ReleaseKeyRecord> &keys, const QList<fd::FirmwareArtifact> &artifacts);
    void keyCreated(const QString &name, const QString &error);
    void artifactImported(const fd::FirmwareArtifact &artifact, const QString &error);
    void failed(const QString &error);

private:
    void insertKey(const ReleaseKeyRecord &record);
    void importWithKey(const ArtifactImportRequest &request, std::shared_ptr<ReleaseKey> key);
    const ReleaseKeyRecord *key(const QString &name) const;

    OperationsStore *m_store;
    SecretStore *m_secrets;
    ReleaseKeyVault m_vault;
    QString m_artifactDir;
    QString m_actor;
    QList<ReleaseKeyRecord> m_keys;
    QList<FirmwareArtifact> m_artifacts;
};

} // namespace fd
