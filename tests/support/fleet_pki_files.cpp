#include "tests/support/fleet_pki_files.h"

#include "core/broker/mosquitto_acl.h"
#include "core/pki/pki_key.h"
#include "core/pki/serial_number.h"

#include <QDateTime>
#include <QDir>
#include <QFile>

namespace fd::test {

namespace {

bool writeFile(const QString &path, const QByteArray &bytes, bool secret, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || (secret && !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        || file.write(bytes) != bytes.size()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

bool FleetPkiFiles::create(QString *error)
{
    if (!m_dir.isValid()) {
        *error = m_dir.errorString();
        return false;
    }
    m_ca = FleetCa::create(QStringLiteral("FleetDeck Test Fleet")).ca;
    QString why;
    const QByteArray crl = m_ca->crlPem({}, 1, QDateTime::currentMSecsSinceEpoch(), 30, &why);
    if (crl.isEmpty()) {
        *error = why;
        return false;
    }
    QString serial;
    return writeFile(chainFile(), m_ca->chainPem(), false, error) && writeFile(crlFile(), crl, false, error)
        && writeIdentity(serverCert(), serverKey(), QStringLiteral("localhost"), true, &serial, error)
        && writeIdentity(operatorCert(), operatorKey(), QStringLiteral("fleetdeck-operator"), false, &serial, error)
        && writeIdentity(bootstrapCert(), bootstrapKey(), QStringLiteral("bootstrap"), false, &serial, error)
        && QDir().mkpath(certDir());
}

bool FleetPkiFiles::writeIdentity(const QString &certPath, const QString &keyPath, const QString &cn, bool server,
                                  QString *serial, QString *error)
{
    const PkiKey key = PkiKey::generateP256();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const std::optional<Certificate> cert = server
        ? m_ca->issueServer(key, cn, {QStringLiteral("localhost"), QStringLiteral("127.0.0.1")}, 30,
                            SerialNumber::random(), now, error)
        : m_ca->issueClient(key, cn, 30, SerialNumber::random(), now, error);
    if (!cert)
        return false;
    *serial = cert->serialHex();
    return writeFile(keyPath, key.privatePem(QByteArray()), true, error)
        && writeFile(certPath, cert->pem() + m_ca->intermediate().pem(), false, error);
}

QString FleetPkiFiles::issueInto(const QString &id, QString *error)
{
    QString serial;
    if (!writeIdentity(QDir(certDir()).filePath(id + QStringLiteral(".crt")),
                       QDir(certDir()).filePath(id + QStringLiteral(".key")), id, false, &serial, error)) {
        return {};
    }
    return serial;
}

std::optional<Certificate> FleetPkiFiles::issueForCsr(const QByteArray &csrPem, const QString &deviceId,
                                                      QString *why) const
{
    return m_ca->issueDevice(csrPem, deviceId, 30, SerialNumber::random(), QDateTime::currentMSecsSinceEpoch(), why);
}

MosquittoLauncher::Options FleetPkiFiles::brokerOptions() const
{
    MosquittoLauncher::Options options;
    options.caFile = chainFile();
    options.certFile = serverCert();
    options.keyFile = serverKey();
    options.requireClientCertificate = true;
    options.useIdentityAsUsername = true;
    options.crlFile = crlFile();
    options.aclLines = MosquittoAcl::fleetLines();
    return options;
}

ConnectionProfile FleetPkiFiles::operatorProfile(quint16 port) const
{
    ConnectionProfile p;
    p.name = QStringLiteral("operator");
    p.broker.host = QStringLiteral("localhost");
    p.broker.port = port;
    p.broker.tls = true;
    p.caFile = chainFile();
    p.clientCertFile = operatorCert();
    p.clientKeyFile = operatorKey();
    p.keepAliveSeconds = 10;
    p.sparkplug = false;
    return p;
}

} // namespace fd::test
