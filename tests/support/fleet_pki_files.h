#pragma once

#include "core/broker/mosquitto_launcher.h"
#include "core/pki/certificate.h"
#include "core/pki/fleet_ca.h"
#include "core/transport/connection_profile.h"

#include <QTemporaryDir>

#include <optional>

namespace fd::test {

// A fleet CA made with core/pki (FleetCa) and the files a fleet broker and its clients need,
// in a temp dir: chain.pem (intermediate + root), the broker's server certificate for
// localhost and 127.0.0.1, the operator's (CN fleetdeck-operator) and the bootstrap
// identity's (CN bootstrap) client certificates, an empty CRL, and a certificate folder
// (certs/) for per-device identities. Keys unencrypted, 0600.
class FleetPkiFiles
{
public:
    bool create(QString *error);

    const FleetCa &ca() const { return *m_ca; }
    QString dir() const { return m_dir.path(); }
    QString chainFile() const { return path(QStringLiteral("chain.pem")); }
    QString serverCert() const { return path(QStringLiteral("server.crt")); }
    QString serverKey() const { return path(QStringLiteral("server.key")); }
    QString operatorCert() const { return path(QStringLiteral("operator.crt")); }
    QString operatorKey() const { return path(QStringLiteral("operator.key")); }
    QString bootstrapCert() const { return path(QStringLiteral("bootstrap.crt")); }
    QString bootstrapKey() const { return path(QStringLiteral("bootstrap.key")); }
    QString crlFile() const { return path(QStringLiteral("crl.pem")); }
    QString certDir() const { return path(QStringLiteral("certs")); }

    // certs/<id>.crt (+ chain) and certs/<id>.key, CN = id; the serial (uppercase hex).
    QString issueInto(const QString &id, QString *error);
    // A device certificate for a CSR (what FleetDeck's provisioning does).
    std::optional<Certificate> issueForCsr(const QByteArray &csrPem, const QString &deviceId, QString *why) const;

    // The fleet broker: mTLS, identity as user name, CRL, MosquittoAcl::fleetLines().
    MosquittoLauncher::Options brokerOptions() const;
    // The operator's profile for a broker on port (localhost, hostname verified).
    ConnectionProfile operatorProfile(quint16 port) const;

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    bool writeIdentity(const QString &certPath, const QString &keyPath, const QString &cn, bool server, QString *serial,
                       QString *error);

    QTemporaryDir m_dir;
    std::optional<FleetCa> m_ca;
};

} // namespace fd::test
