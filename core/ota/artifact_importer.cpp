#include "core/ota/artifact_importer.h"

#include "core/operations/operations_transaction.h"
#include "core/ota/artifact_table.h"
#include "core/ota/release_key_table.h"

#include <QFileInfo>

namespace fd {
namespace {

bool fail(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return false;
}

} // namespace

ArtifactImporter::ArtifactImporter(ArtifactStore store)
    : m_store(std::move(store))
{
}

std::optional<FirmwareArtifact> ArtifactImporter::describe(const ArtifactImportRequest &request, QString *error) const
{
    FirmwareManifest manifest;
    manifest.version = request.version;
    for (const QString &m : request.models) {
        const QString model = m.trimmed();
        if (!model.isEmpty() && !manifest.models.contains(model))
            manifest.models.append(model);
    }
    manifest.notes = request.notes;
    // Metadata first (cheap), with a placeholder hash, then the file.
    manifest.sha256 = QString(64, u'0');
    manifest.size = 1;
    QString reason;
    if (!manifest.isValid(&reason)) {
        fail(error, reason);
        return std::nullopt;
    }
    if (!ArtifactStore::hashFile(request.filePath, &manifest.sha256, &manifest.size, &reason)) {
        fail(error, reason);
        return std::nullopt;
    }
    return FirmwareArtifact::fromManifest(manifest, QFileInfo(request.filePath).fileName());
}

bool ArtifactImporter::sign(FirmwareArtifact *artifact, const ReleaseKey &key, QString *error)
{
    QString reason;
    const QByteArray signature = key.sign(artifact->manifest, &reason);
    if (signature.isEmpty())
        return fail(error, reason);
    // Check what was made before anyone relies on it.
    if (!key.verify(artifact->manifest, signature, &reason))
        return fail(error, reason);
    artifact->signature = signature;
    artifact->keyId = key.keyId();
    return true;
}

bool ArtifactImporter::attachSignature(FirmwareArtifact *artifact, const QByteArray &signatureFile,
                                       const QList<ReleaseKeyRecord> &trusted, QString *error)
{
    if (signatureFile.isEmpty())
        return fail(error, tr("the signature file is empty"));
    if (signatureFile.size() > kMaxSignatureFileBytes)
        return fail(error, tr("the signature file is larger than %1 bytes").arg(kMaxSignatureFileBytes));
    QList<QByteArray> candidates{signatureFile};
    QByteArray compact = signatureFile;
    compact.replace(' ', "").replace('\n', "").replace('\r', "").replace('\t', "");
    const QByteArray::FromBase64Result decoded =
        QByteArray::fromBase64Encoding(compact, QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (decoded && !decoded.decoded.isEmpty())
        candidates.prepend(decoded.decoded);
    if (trusted.isEmpty())
        return fail(error, tr("signature does not verify with any trusted release key (there are none: import the "
                              "signer's public key with 'fleetdeckctl keys import')"));
    for (const ReleaseKeyRecord &k : trusted) {
        const std::optional<ReleaseKey> key = ReleaseKey::fromPublicPem(k.publicPem, nullptr);
        if (!key)
            continue;
        for (const QByteArray &candidate : candidates) {
            if (key->verify(artifact->manifest, candidate, nullptr)) {
                artifact->signature = candidate;
                artifact->keyId = key->keyId();
                return true;
            }
        }
    }
    return fail(error, tr("signature does not verify with any trusted release key (is it the signature of this "
                          "file's manifest, with the same version, models and notes?)"));
}

bool ArtifactImporter::store(const FirmwareArtifact &artifact, const QString &filePath, QString *error)
{
    QString sha256;
    qint64 size = 0;
    if (!m_store.import(filePath, &sha256, &size, error, artifact.sha256))
        return false;
    if (size != artifact.size)
        return fail(error, tr("size mismatch: %1 has %2 bytes, the manifest says %3").arg(filePath).arg(size).arg(artifact.size));
    return true;
}

std::optional<FirmwareArtifact> ArtifactImporter::importSigned(const ArtifactImportRequest &request,
                                                               const ReleaseKey &key, QString *error)
{
    std::optional<FirmwareArtifact> a = describe(request, error);
    if (!a || !sign(&*a, key, error) || !store(*a, request.filePath, error))
        return std::nullopt;
    return a;
}

std::optional<FirmwareArtifact> ArtifactImporter::importWithSignature(const ArtifactImportRequest &request,
                                                                      const QByteArray &signatureFile,
                                                                      const QList<ReleaseKeyRecord> &trusted,
                                                                      QString *error)
{
    std::optional<FirmwareArtifact> a = describe(request, error);
    if (!a || !attachSignature(&*a, signatureFile, trusted, error) || !store(*a, request.filePath, error))
        return std::nullopt;
    return a;
}

OperationsJob ArtifactImporter::recordJob(FirmwareArtifact artifact, QString actor)
{
    OperationsJob job;
    job.name = QStringLiteral("import firmware artifact %1").arg(artifact.id);
    job.run = [artifact = std::move(artifact), actor = std::move(actor)](OperationsTransaction &t, QString *error) {
        if (artifact.signature.isEmpty())
            return fail(error, tr("artifact %1 is not signed: refused").arg(artifact.id));
        QList<ReleaseKeyRecord> trusted;
        if (!ReleaseKeyTable::list(t.handle(), &trusted, error))
            return false;
        QString reason;
        if (!artifact.verifySignature(trusted, &reason))
            return fail(error, tr("signature does not verify with any trusted release key: %1").arg(reason));
        bool existed = false;
        if (!ArtifactTable::insert(t, artifact, actor, &existed, error))
            return false;
        t.setResultId(existed ? 0 : 1);
        return true;
    };
    return job;
}

bool ArtifactImporter::verifyStored(const FirmwareArtifact &artifact, const QList<ReleaseKeyRecord> &trusted,
                                    const ArtifactStore &store, QString *error)
{
    return artifact.verifySignature(trusted, error) && store.verify(artifact.sha256, artifact.size, error);
}

} // namespace fd
