#pragma once

#include "core/operations/operations_job.h"
#include "core/ota/artifact_store.h"
#include "core/ota/firmware_artifact.h"
#include "core/ota/release_key.h"
#include "core/ota/release_key_record.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace fd {

// What the operator imports: a firmware file and its metadata.
struct ArtifactImportRequest
{
    QString filePath;
    QString version;
    QStringList models;
    QString notes;
};

// Imports a firmware file as a signed artifact, in steps (the file steps block: run them
// off the GUI thread):
//   1. describe(): hashes the file, checks the metadata, builds the manifest (unsigned);
//   2. sign() with an unlocked release key, or attachSignature() with a detached signature
//      (raw or base64) that must verify with one of the trusted keys;
//   3. store(): copies the file into the ArtifactStore, refusing it if it changed since 1;
//   4. recordJob(): the operations-store job that re-checks the signature against the
//      trusted keys of that transaction and inserts the row with its audit entry.
// import() does 1-3 with a key or a signature. Unsigned, tampered or wrongly signed
// artifacts are refused with a reason. The artifact id is the first 16 hex chars of
// SHA-256(manifest): importing the same file and metadata again gives the same id.
class ArtifactImporter
{
    Q_DECLARE_TR_FUNCTIONS(fd::ArtifactImporter)
public:
    static constexpr qsizetype kMaxSignatureFileBytes = 4096;

    explicit ArtifactImporter(ArtifactStore store);

    std::optional<FirmwareArtifact> describe(const ArtifactImportRequest &request, QString *error) const;
    static bool sign(FirmwareArtifact *artifact, const ReleaseKey &key, QString *error);
    // signatureFile: the raw signature bytes, or their base64 (whitespace allowed).
    static bool attachSignature(FirmwareArtifact *artifact, const QByteArray &signatureFile,
                                const QList<ReleaseKeyRecord> &trusted, QString *error);
    bool store(const FirmwareArtifact &artifact, const QString &filePath, QString *error);

    // describe + sign + store.
    std::optional<FirmwareArtifact> importSigned(const ArtifactImportRequest &request, const ReleaseKey &key,
                                                 QString *error);
    // describe + attachSignature + store.
    std::optional<FirmwareArtifact> importWithSignature(const ArtifactImportRequest &request,
                                                        const QByteArray &signatureFile,
                                                        const QList<ReleaseKeyRecord> &trusted, QString *error);

    // The job recording the artifact (idempotent; transaction.setResultId(1) when it was
    // new, 0 when it existed). Refuses an artifact whose signature does not verify with the
    // trusted keys of the store.
    static OperationsJob recordJob(FirmwareArtifact artifact, QString actor);

    // The full check of a recorded artifact: manifest, signature (trusted keys), and the
    // stored file re-hashed. False with the reason.
    static bool verifyStored(const FirmwareArtifact &artifact, const QList<ReleaseKeyRecord> &trusted,
                             const ArtifactStore &store, QString *error);

    const ArtifactStore &artifactStore() const { return m_store; }

private:
    ArtifactStore m_store;
};

} // namespace fd
