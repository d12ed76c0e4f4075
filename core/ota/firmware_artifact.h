#pragma once

#include "core/ota/firmware_manifest.h"
#include "core/ota/release_key_record.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace fd {

// One row of the operations store's artifacts table: a firmware file (content-addressed in
// the ArtifactStore by sha256) and its signed manifest. The manifest bytes are the truth;
// the other columns repeat them for queries and display and must agree with them.
struct FirmwareArtifact
{
    Q_DECLARE_TR_FUNCTIONS(fd::FirmwareArtifact)
public:
    QString id;           // idForManifest(manifest)
    QString version;
    QStringList models;
    QString notes;
    QString fileName;     // original base name, display only
    QString sha256;       // lowercase hex of the file
    qint64 size = 0;
    QByteArray manifest;  // FirmwareManifest::toBytes(), the signed bytes
    QByteArray signature; // raw signature bytes (empty: not signed)
    QString keyId;        // the release key that signed it
    qint64 createdMs = 0; // 0: the time the job runs

    // First 16 lowercase hex chars of SHA-256(manifest bytes).
    static QString idForManifest(QByteArrayView manifestBytes);
    // An unsigned artifact for a manifest: the columns filled from it, id computed.
    static FirmwareArtifact fromManifest(const FirmwareManifest &manifest, const QString &fileName);

    // The manifest bytes parsed, checked against the columns and the id; false with the reason.
    bool checkManifest(std::optional<FirmwareManifest> *parsed, QString *error) const;
    // checkManifest(), then the signature over the manifest by the key with keyId among the
    // trusted keys; false with the reason ("not signed", "signed by release key X, which is
    // not trusted", "the signature does not verify ...").
    bool verifySignature(const QList<ReleaseKeyRecord> &trusted, QString *error) const;

    friend bool operator==(const FirmwareArtifact &, const FirmwareArtifact &) = default;
};

} // namespace fd
