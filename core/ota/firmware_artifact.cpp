#include "core/ota/firmware_artifact.h"

#include <QCryptographicHash>

namespace fd {

namespace {

bool fail(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return false;
}

} // namespace

QString FirmwareArtifact::idForManifest(QByteArrayView manifestBytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(manifestBytes, QCryptographicHash::Sha256).toHex().left(16));
}

FirmwareArtifact FirmwareArtifact::fromManifest(const FirmwareManifest &manifest, const QString &fileName)
{
    FirmwareArtifact a;
    a.manifest = manifest.toBytes();
    a.id = idForManifest(a.manifest);
    a.version = manifest.version;
    a.models = manifest.models;
    a.notes = manifest.notes;
    a.sha256 = manifest.sha256;
    a.size = manifest.size;
    a.fileName = fileName;
    return a;
}

bool FirmwareArtifact::checkManifest(std::optional<FirmwareManifest> *parsed, QString *error) const
{
    QString reason;
    std::optional<FirmwareManifest> m = FirmwareManifest::fromBytes(manifest, &reason);
    if (!m)
        return fail(error, tr("artifact %1: invalid manifest: %2").arg(id, reason));
    if (idForManifest(manifest) != id)
        return fail(error, tr("artifact %1: the id does not match its manifest").arg(id));
    if (m->version != version || m->models != models || m->notes != notes || m->sha256 != sha256 || m->size != size)
        return fail(error, tr("artifact %1: the recorded metadata does not match the signed manifest").arg(id));
    if (parsed)
        *parsed = std::move(m);
    return true;
}

bool FirmwareArtifact::verifySignature(const QList<ReleaseKeyRecord> &trusted, QString *error) const
{
    if (!checkManifest(nullptr, error))
        return false;
    if (signature.isEmpty())
        return fail(error, tr("artifact %1 is not signed").arg(id));
    for (const ReleaseKeyRecord &k : trusted) {
        if (k.keyId != keyId)
            continue;
        QString reason;
        const std::optional<ReleaseKey> key = ReleaseKey::fromPublicPem(k.publicPem, &reason);
        if (!key)
            return fail(error, tr("release key %1 (%2) is unusable: %3").arg(k.name, k.keyId, reason));
        if (key->keyId() != keyId)
            return fail(error, tr("release key %1: its public key does not match its key id").arg(k.name));
        if (!key->verify(manifest, signature, &reason))
            return fail(error, tr("artifact %1: %2").arg(id, reason));
        return true;
    }
    return fail(error, tr("artifact %1 is signed by release key %2, which is not trusted (not among the release keys)")
                           .arg(id, keyId));
}

} // namespace fd
