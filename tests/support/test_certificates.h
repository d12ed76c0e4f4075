#pragma once

#include <QString>
#include <QTemporaryDir>

namespace fd::test {

// A throw-away PKI for TLS tests, made with the openssl command line tool (EC P-256 keys,
// so it takes well under a second):
//   CA; server certificate for "localhost" + IP 127.0.0.1 (and one with an RSA key); a server certificate for a
//   wrong host name; an EXPIRED server certificate for localhost; a client certificate
//   whose key is encrypted with clientKeyPassphrase().
// After generate(), fleet-style client certificates on demand (makeClient: CN of your choice,
// unencrypted key, clientAuth), one from a CA nobody trusts (makeUntrustedClient), and a CRL
// of this CA (writeCrl, revoke) for brokers with a crlfile.
class TestCertificates
{
public:
    TestCertificates();

    // Creates every file; false with openssl's output otherwise.
    bool generate(QString *error = nullptr);

    QString dir() const { return m_dir.path(); }
    QString caFile() const { return path(QStringLiteral("ca.crt")); }
    QString serverCert() const { return path(QStringLiteral("server.crt")); }
    QString serverKey() const { return path(QStringLiteral("server.key")); }
    QString rsaServerCert() const { return path(QStringLiteral("rsaserver.crt")); }  // localhost, RSA key
    QString rsaServerKey() const { return path(QStringLiteral("rsaserver.key")); }
    QString wrongHostCert() const { return path(QStringLiteral("wronghost.crt")); }
    QString wrongHostKey() const { return path(QStringLiteral("wronghost.key")); }
    QString expiredCert() const { return path(QStringLiteral("expired.crt")); }
    QString expiredKey() const { return path(QStringLiteral("expired.key")); }
    QString clientCert() const { return path(QStringLiteral("client.crt")); }
    QString clientKey() const { return path(QStringLiteral("client.key")); }  // encrypted
    static QString clientKeyPassphrase() { return QStringLiteral("fleetdeck-client-pass"); }
    static QString wrongHostName() { return QStringLiteral("wrong-host.example.invalid"); }

    // NAME.crt / NAME.key (certPath/keyPath): a client certificate of this CA for cn, valid for
    // days (negative: already expired), key P-256 unencrypted.
    bool makeClient(const QString &name, const QString &cn, int days = 30, QString *error = nullptr);
    // The same, signed by another CA ("FleetDeck Untrusted CA") no broker here trusts.
    bool makeUntrustedClient(const QString &name, const QString &cn, QString *error = nullptr);
    // crl.pem: this CA's CRL (empty until revoke()). revoke() adds NAME.crt and rewrites it.
    bool writeCrl(QString *error = nullptr);
    bool revoke(const QString &name, QString *error = nullptr);
    QString crlFile() const { return path(QStringLiteral("crl.pem")); }
    QString certPath(const QString &name) const { return path(name + QStringLiteral(".crt")); }
    QString keyPath(const QString &name) const { return path(name + QStringLiteral(".key")); }
    // `openssl x509 -serial` of NAME.crt: uppercase hex without colons ('' on failure).
    QString serialOf(const QString &name);

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    bool openssl(const QStringList &args, QString *error, QByteArray *output = nullptr);
    bool signClient(const QString &name, const QString &cn, int days, const QString &caName, QString *error);
    bool ensureCaDatabase(QString *error);
    bool makeServer(const QString &name, const QString &cn, const QString &san, int days, QString *error,
                    bool rsa = false);

    QTemporaryDir m_dir;
};

} // namespace fd::test
