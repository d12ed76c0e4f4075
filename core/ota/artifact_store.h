#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <optional>

namespace fd {

// Firmware files, content-addressed beside the cache: "<dir>/<basename>.artifacts/<sha256>"
// (fleet.sqlite -> fleet.artifacts/). Files are written atomically (temporary file in the
// same folder, then renamed over the name) and never changed afterwards; verify() re-hashes
// so a file damaged or tampered with in the store is caught before it is served.
//
// Blocking file I/O: call from a worker thread in the GUI. Thread-safe for distinct calls
// (no state but the folder).
class ArtifactStore
{
    Q_DECLARE_TR_FUNCTIONS(fd::ArtifactStore)
public:
    static constexpr qint64 kMaxFileSize = qint64(4) * 1024 * 1024 * 1024;  // 4 GiB
    static constexpr qint64 kMaxChunk = 1024 * 1024;                         // readChunk() cap

    explicit ArtifactStore(const QString &directory);

    // "<dir>/<basename>.artifacts" for the cache "<dir>/<basename>.<suffix>".
    static QString dirForCache(const QString &cachePath);
    QString directory() const { return m_dir; }

    // SHA-256 (lowercase hex) and size of any file, streamed; refuses empty, unreadable
    // and > 4 GiB files with the reason.
    static bool hashFile(const QString &path, QString *sha256, qint64 *size, QString *error);

    // Copies sourceFile into the store under its SHA-256 (creating the folder), hashing as
    // it copies. expectedSha256 (optional): refuse if the content is not that one ("SHA-256
    // mismatch": the file changed since it was hashed). Idempotent: importing the same
    // content again replaces the file by an identical one (repairing a damaged copy).
    bool import(const QString &sourceFile, QString *sha256, qint64 *size, QString *error,
                const QString &expectedSha256 = QString());

    // The file's path, or an empty string when sha256 is not 64 lowercase hex chars.
    QString pathFor(const QString &sha256) const;
    bool contains(const QString &sha256) const;
    // Re-hashes the stored file: false with the reason when it is missing, has another size
    // or another SHA-256.
    bool verify(const QString &sha256, qint64 size, QString *error) const;
    // length bytes at offset (fewer at the end of the file). Refuses offsets outside the file,
    // length < 1 or > kMaxChunk, unknown files; std::nullopt with the reason.
    std::optional<QByteArray> readChunk(const QString &sha256, qint64 offset, qint64 length, QString *error) const;

private:
    void removeStaleParts() const;

    QString m_dir;
};

} // namespace fd
