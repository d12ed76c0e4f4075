#include "core/ota/release_catalog.h"

#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "core/ota/artifact_store.h"
#include "core/ota/artifact_table.h"
#include "core/ota/release_key_table.h"

#include <QPointer>

#include <memory>

namespace fd {

namespace {

// Results of a job, filled on the store's worker and read on this thread once committed.
struct CatalogRead
{
    QList<ReleaseKeyRecord> keys;
    QList<FirmwareArtifact> artifacts;
};

struct ImportResult
{
    FirmwareArtifact artifact;
};

} // namespace

ReleaseCatalog::ReleaseCatalog(OperationsStore *store, SecretStore *secrets, const QString &cachePath, QString actor,
                               QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_secrets(secrets)
    , m_vault(secrets)
    , m_artifactDir(ArtifactStore::dirForCache(cachePath))
    , m_actor(std::move(actor))
{
    qRegisterMetaType<QList<fd::ReleaseKeyRecord>>();
    qRegisterMetaType<QList<fd::FirmwareArtifact>>();
    qRegisterMetaType<fd::FirmwareArtifact>();
}

const FirmwareArtifact *ReleaseCatalog::artifact(const QString &id) const
{
    for (const FirmwareArtifact &a : m_artifacts) {
        if (a.id == id)
            return &a;
    }
    return nullptr;
}

const ReleaseKeyRecord *ReleaseCatalog::key(const QString &name) const
{
    for (const ReleaseKeyRecord &k : m_keys) {
        if (k.name == name)
            return &k;
    }
    return nullptr;
}

// Runs job on the store; done(ok, error) on this thread once it committed or failed, or at
// once when the store refuses it.
static void runJob(OperationsStore *store, QObject *context, OperationsJob job,
                   std::function<void(bool, const QString &)> done)
{
    QString error;
    if (store->submit(std::move(job), context, done, &error) == 0)
        done(false, error);
}

void ReleaseCatalog::refresh()
{
    auto result = std::make_shared<CatalogRead>();
    OperationsJob job;
    job.name = QStringLiteral("read release keys and artifacts");
    job.run = [result](OperationsTransaction &t, QString *error) {
        return ReleaseKeyTable::list(t.handle(), &result->keys, error)
               && ArtifactTable::list(t.handle(), &result->artifacts, error);
    };
    runJob(m_store, this, std::move(job), [this, result](bool ok, const QString &error) {
        if (!ok) {
            emit failed(tr("Cannot read the release keys and artifacts: %1").arg(error));
            return;
        }
        m_keys = result->keys;
        m_artifacts = result->artifacts;
        emit catalogRead(m_keys, m_artifacts);
    });
}

void ReleaseCatalog::createKey(const QString &name, ReleaseKey::Algorithm algorithm, KeyStorage storage,
                               const QByteArray &passphrase)
{
    QString why;
    if (!ReleaseKeyRecord::isValidName(name, &why)) {
        emit keyCreated(name, why);
        return;
    }
    if (key(name)) {
        emit keyCreated(name, tr("a release key named %1 already exists").arg(name));
        return;
    }
    auto generated = std::make_shared<ReleaseKey>(ReleaseKey::generate(algorithm));
    QString error;
    if (storage == KeyStorage::Passphrase) {
        const std::optional<ReleaseKeyRecord> record =
            ReleaseKeyVault::protectWithPassphrase(name, *generated, passphrase, &error);
        if (!record) {
            emit keyCreated(name, error);
            return;
        }
        insertKey(*record);
        return;
    }
    if (!m_secrets) {
        emit keyCreated(name, tr("no OS keychain is available: protect the key with a passphrase"));
        return;
    }
    const std::optional<ReleaseKeyRecord> record = ReleaseKeyVault::keychainRecord(name, *generated, &error);
    if (!record) {
        emit keyCreated(name, error);
        return;
    }
    QPointer<ReleaseCatalog> self(this);
    m_vault.storeInKeychain(name, *generated, [self, record = *record, name](bool ok, const QString &reason) {
        if (!self)
            return;
        if (!ok) {
            emit self->keyCreated(name, tr("the OS keychain refused the key: %1").arg(reason));
            return;
        }
        self->insertKey(record);
    });
}

void ReleaseCatalog::insertKey(const ReleaseKeyRecord &record)
{
    OperationsJob job;
    job.name = QStringLiteral("create release key %1").arg(record.name);
    job.run = [record, actor = m_actor](OperationsTransaction &t, QString *error) {
        return ReleaseKeyTable::insert(t, record, actor, error);
    };
    runJob(m_store, this, std::move(job), [this, name = record.name](bool ok, const QString &error) {
        emit keyCreated(name, ok ? QString() : error);
        if (ok)
            refresh();
    });
}

void ReleaseCatalog::importArtifact(const ArtifactImportRequest &request, const QString &keyName,
                                    const QByteArray &passphrase)
{
    const ReleaseKeyRecord *record = key(keyName);
    if (!record) {
        emit artifactImported({}, tr("no release key named %1").arg(keyName));
        return;
    }
    if (!record->canSign()) {
        emit artifactImported({}, tr("release key %1 is a trusted public key only: it cannot sign").arg(keyName));
        return;
    }
    if (record->storage == ReleaseKeyRecord::Storage::Passphrase) {
        QString error;
        std::optional<ReleaseKey> unlocked = ReleaseKeyVault::unlockWithPassphrase(*record, passphrase, &error);
        if (!unlocked) {
            emit artifactImported({}, error);
            return;
        }
        importWithKey(request, std::make_shared<ReleaseKey>(std::move(*unlocked)));
        return;
    }
    QPointer<ReleaseCatalog> self(this);
    m_vault.unlockFromKeychain(*record, [self, request](std::optional<ReleaseKey> key, const QString &error) {
        if (!self)
            return;
        if (!key) {
            emit self->artifactImported({}, error);
            return;
        }
        self->importWithKey(request, std::make_shared<ReleaseKey>(std::move(*key)));
    });
}

void ReleaseCatalog::importWithKey(const ArtifactImportRequest &request, std::shared_ptr<ReleaseKey> key)
{
    auto result = std::make_shared<ImportResult>();
    OperationsJob job;
    job.name = QStringLiteral("import firmware file %1").arg(request.filePath);
    job.run = [request, key, result, dir = m_artifactDir, actor = m_actor](OperationsTransaction &t,
                                                                          QString *error) {
        ArtifactImporter importer{ArtifactStore(dir)};
        std::optional<FirmwareArtifact> artifact = importer.importSigned(request, *key, error);
        if (!artifact)
            return false;
        result->artifact = *artifact;
        // The same checks as any recorded artifact: signature against the trusted keys.
        const OperationsJob record = ArtifactImporter::recordJob(*artifact, actor);
        return record.run(t, error);
    };
    runJob(m_store, this, std::move(job), [this, result](bool ok, const QString &error) {
        emit artifactImported(ok ? result->artifact : FirmwareArtifact{}, ok ? QString() : error);
        if (ok)
            refresh();
    });
}

} // namespace fd
