#include "simulator/device_cert_dir.h"

#include "core/pki/certificate.h"
#include "simulator/safe_file_name.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

namespace fd::sim {

namespace {

bool writeFile(const QString &path, const QByteArray &bytes, bool secret, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    // Before anything is written: the temporary file is private from the start.
    if (secret && !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        file.cancelWriting();
        *error = QStringLiteral("cannot make %1 private").arg(path);
        return false;
    }
    if (file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

DeviceCertDir::DeviceCertDir(QString dir)
    : m_dir(std::move(dir))
{
}

QString DeviceCertDir::certPath(const QString &id) const
{
    return QDir(m_dir).filePath(SafeFileName::from(id) + QStringLiteral(".crt"));
}

QString DeviceCertDir::keyPath(const QString &id) const
{
    return QDir(m_dir).filePath(SafeFileName::from(id) + QStringLiteral(".key"));
}

bool DeviceCertDir::has(const QString &id) const
{
    return isSet() && QFile::exists(certPath(id)) && QFile::exists(keyPath(id));
}

bool DeviceCertDir::store(const QString &id, const QByteArray &keyPem, const QByteArray &certChainPem,
                          QString *error) const
{
    if (!isSet()) {
        *error = QStringLiteral("no certificate folder (--cert-dir) to keep the identity of %1 in").arg(id);
        return false;
    }
    if (!QDir(m_dir).exists()) {
        if (!QDir().mkpath(m_dir)) {
            *error = QStringLiteral("cannot create %1").arg(m_dir);
            return false;
        }
        QFile::setPermissions(m_dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    // The key first: a certificate without its key would be an identity that cannot connect.
    return writeFile(keyPath(id), keyPem, true, error) && writeFile(certPath(id), certChainPem, false, error);
}

QString DeviceCertDir::certSerial(const QString &id) const
{
    QFile file(certPath(id));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QString why;
    const QList<Certificate> chain = Certificate::chainFromPem(file.read(Certificate::kMaxChainPemBytes), &why);
    return chain.isEmpty() ? QString() : chain.first().serialHex();
}

} // namespace fd::sim
