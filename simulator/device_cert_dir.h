#pragma once

#include <QByteArray>
#include <QString>

namespace fd::sim {

// --cert-dir DIR: the per-device mTLS identities, DIR/<id>.crt (the device's certificate,
// then its chain) and DIR/<id>.key (its private key, 0600), <id> made safe as a file name
// (SafeFileName). A device without both files cannot connect to a broker that wants client
// certificates; its owner says so.
class DeviceCertDir
{
public:
    explicit DeviceCertDir(QString dir = QString());

    bool isSet() const { return !m_dir.isEmpty(); }
    QString dir() const { return m_dir; }
    QString certPath(const QString &id) const;
    QString keyPath(const QString &id) const;
    bool has(const QString &id) const;  // both files there

    // Stores a new identity (the directory is created 0700 when missing; each file is
    // replaced atomically, the key 0600). false with *error.
    bool store(const QString &id, const QByteArray &keyPem, const QByteArray &certChainPem, QString *error) const;
    // The serial (uppercase hex) of the first certificate of id's file; empty if unreadable.
    QString certSerial(const QString &id) const;

private:
    QString m_dir;
};

} // namespace fd::sim
