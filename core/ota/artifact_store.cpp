#include "core/ota/artifact_store.h"

#include "core/ota/firmware_manifest.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include <filesystem>
#include <system_error>

namespace fd {
namespace {

constexpr qint64 kBufferSize = 1024 * 1024;

bool fail(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return false;
}

// Reads in from its current position to the end, hashing (and writing to out, if given).
// Refuses more than the maximum size.
bool streamFile(QFile &in, QIODevice *out, QString *sha256, qint64 *size, QString *error)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray buffer(kBufferSize, Qt::Uninitialized);
    qint64 total = 0;
    for (;;) {
        const qint64 n = in.read(buffer.data(), buffer.size());
        if (n < 0)
            return fail(error, ArtifactStore::tr("cannot read %1: %2").arg(in.fileName(), in.errorString()));
        if (n == 0)
            break;
        total += n;
        if (total > ArtifactStore::kMaxFileSize)
            return fail(error, ArtifactStore::tr("%1 is larger than 4 GiB").arg(in.fileName()));
        hash.addData(QByteArrayView(buffer.constData(), n));
        if (out && out->write(buffer.constData(), n) != n)
            return fail(error, ArtifactStore::tr("cannot write the artifact store: %1").arg(out->errorString()));
    }
    if (total == 0)
        return fail(error, ArtifactStore::tr("%1 is empty").arg(in.fileName()));
    *sha256 = QString::fromLatin1(hash.result().toHex());
    *size = total;
    return true;
}

// A Qt file name as the file system's path (UTF-16 on Windows, the local 8-bit encoding
// Qt uses elsewhere).
std::filesystem::path nativePath(const QString &path)
{
#ifdef Q_OS_WIN
    return std::filesystem::path(path.toStdWString());
#else
    return std::filesystem::path(QFile::encodeName(path).toStdString());
#endif
}

bool openForReading(QFile &file, QString *error)
{
    const QFileInfo info(file.fileName());
    if (!info.exists())
        return fail(error, ArtifactStore::tr("%1 does not exist").arg(file.fileName()));
    if (!info.isFile())
        return fail(error, ArtifactStore::tr("%1 is not a regular file").arg(file.fileName()));
    if (info.size() > ArtifactStore::kMaxFileSize)
        return fail(error, ArtifactStore::tr("%1 is larger than 4 GiB").arg(file.fileName()));
    if (!file.open(QIODevice::ReadOnly))
        return fail(error, ArtifactStore::tr("cannot read %1: %2").arg(file.fileName(), file.errorString()));
    return true;
}

} // namespace

ArtifactStore::ArtifactStore(const QString &directory)
    : m_dir(directory)
{
}

QString ArtifactStore::dirForCache(const QString &cachePath)
{
    // Like OperationsStore::pathForCache: same folder, same base name.
    const QString name = QFileInfo(cachePath).completeBaseName() + QStringLiteral(".artifacts");
    const qsizetype slash = cachePath.lastIndexOf(u'/');
    return slash < 0 ? name : cachePath.left(slash + 1) + name;
}

bool ArtifactStore::hashFile(const QString &path, QString *sha256, qint64 *size, QString *error)
{
    QFile in(path);
    return openForReading(in, error) && streamFile(in, nullptr, sha256, size, error);
}

bool ArtifactStore::import(const QString &sourceFile, QString *sha256, qint64 *size, QString *error,
                           const QString &expectedSha256)
{
    QFile in(sourceFile);
    if (!openForReading(in, error))
        return false;
    if (!QDir().mkpath(m_dir))
        return fail(error, tr("cannot create the artifact store %1").arg(m_dir));
    removeStaleParts();
    QTemporaryFile temp(QDir(m_dir).filePath(QStringLiteral("import-XXXXXX.part")));
    if (!temp.open())
        return fail(error, tr("cannot write the artifact store %1: %2").arg(m_dir, temp.errorString()));
    QString hash;
    qint64 bytes = 0;
    if (!streamFile(in, &temp, &hash, &bytes, error))
        return false;
    if (!expectedSha256.isEmpty() && hash != expectedSha256)
        return fail(error, tr("SHA-256 mismatch: %1 changed since it was hashed (now %2, expected %3)")
                               .arg(sourceFile, hash, expectedSha256));
    if (!temp.flush())
        return fail(error, tr("cannot write the artifact store: %1").arg(temp.errorString()));
    temp.close();
    // Atomic replace (POSIX rename; MoveFileEx with replace on Windows).
    std::error_code ec;
    std::filesystem::rename(nativePath(temp.fileName()), nativePath(pathFor(hash)), ec);
    if (ec)
        return fail(error, tr("cannot store %1 in %2: %3").arg(sourceFile, m_dir, QString::fromStdString(ec.message())));
    temp.setAutoRemove(false);  // renamed: nothing left to remove
    *sha256 = hash;
    *size = bytes;
    return true;
}

void ArtifactStore::removeStaleParts() const
{
    // Left by a crash in the middle of an import; a day old, so never one being written.
    const QDateTime before = QDateTime::currentDateTimeUtc().addDays(-1);
    const QFileInfoList parts = QDir(m_dir).entryInfoList({QStringLiteral("import-*.part")}, QDir::Files);
    for (const QFileInfo &part : parts) {
        if (part.lastModified().toUTC() < before)
            QFile::remove(part.filePath());
    }
}

QString ArtifactStore::pathFor(const QString &sha256) const
{
    if (!FirmwareManifest::isSha256Hex(sha256))
        return QString();
    return QDir(m_dir).filePath(sha256);
}

bool ArtifactStore::contains(const QString &sha256) const
{
    const QString path = pathFor(sha256);
    return !path.isEmpty() && QFileInfo(path).isFile();
}

bool ArtifactStore::verify(const QString &sha256, qint64 size, QString *error) const
{
    const QString path = pathFor(sha256);
    if (path.isEmpty())
        return fail(error, tr("\"%1\" is not a SHA-256").arg(sha256.left(80)));
    QFile in(path);
    if (!QFileInfo::exists(path))
        return fail(error, tr("the firmware file %1 is missing from the artifact store").arg(path));
    if (in.size() != size)
        return fail(error, tr("size mismatch: the stored file %1 has %2 bytes, expected %3").arg(path).arg(in.size()).arg(size));
    QString actual;
    qint64 actualSize = 0;
    if (!openForReading(in, error) || !streamFile(in, nullptr, &actual, &actualSize, error))
        return false;
    if (actual != sha256)
        return fail(error, tr("SHA-256 mismatch: the stored file %1 hashes to %2 (tampered or damaged)").arg(path, actual));
    return true;
}

std::optional<QByteArray> ArtifactStore::readChunk(const QString &sha256, qint64 offset, qint64 length,
                                                   QString *error) const
{
    const QString path = pathFor(sha256);
    if (path.isEmpty()) {
        fail(error, tr("\"%1\" is not a SHA-256").arg(sha256.left(80)));
        return std::nullopt;
    }
    if (length < 1 || length > kMaxChunk) {
        fail(error, tr("chunk length %1 is outside 1 .. %2").arg(length).arg(kMaxChunk));
        return std::nullopt;
    }
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly)) {
        fail(error, tr("the firmware file %1 cannot be read: %2").arg(sha256, in.errorString()));
        return std::nullopt;
    }
    const qint64 total = in.size();
    if (offset < 0 || offset >= total) {
        fail(error, tr("offset %1 is outside the file (%2 bytes)").arg(offset).arg(total));
        return std::nullopt;
    }
    if (!in.seek(offset)) {
        fail(error, tr("cannot seek in %1: %2").arg(sha256, in.errorString()));
        return std::nullopt;
    }
    const qint64 wanted = qMin(length, total - offset);
    QByteArray data = in.read(wanted);
    if (data.size() != wanted) {
        fail(error, tr("short read in %1 at %2").arg(sha256).arg(offset));
        return std::nullopt;
    }
    return data;
}

} // namespace fd
