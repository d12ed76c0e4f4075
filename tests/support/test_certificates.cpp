#include "tests/support/test_certificates.h"

#include <QFile>
#include <QProcess>

namespace fd::test {

TestCertificates::TestCertificates() = default;

bool TestCertificates::openssl(const QStringList &args, QString *error, QByteArray *output)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(m_dir.path());
    process.start(QStringLiteral("openssl"), args);
    if (!process.waitForStarted(10000)) {
        if (error)
            *error = QStringLiteral("cannot run openssl: %1").arg(process.errorString());
        return false;
    }
    process.closeWriteChannel();
    const bool finished = process.waitForFinished(30000);
    if (!finished || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        if (error) {
            *error = QStringLiteral("openssl %1 failed: %2")
                         .arg(args.join(u' '), QString::fromUtf8(process.readAll()));
        }
        return false;
    }
    if (output)
        *output = process.readAll();
    return true;
}

bool TestCertificates::makeServer(const QString &name, const QString &cn, const QString &san, int days, QString *error,
                                  bool rsa)
{
    QFile ext(path(name + QStringLiteral(".ext")));
    if (!ext.open(QIODevice::WriteOnly))
        return false;
    ext.write(QStringLiteral("subjectAltName=%1\nextendedKeyUsage=serverAuth\n").arg(san).toUtf8());
    ext.close();
    const QStringList key = rsa ? QStringList{QStringLiteral("rsa:2048")}
                                : QStringList{QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                                              QStringLiteral("ec_paramgen_curve:P-256")};
    return openssl(QStringList{QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-newkey")} + key
                       + QStringList{QStringLiteral("-nodes"), QStringLiteral("-keyout"), name + QStringLiteral(".key"),
                                     QStringLiteral("-out"), name + QStringLiteral(".csr"), QStringLiteral("-subj"),
                                     QStringLiteral("/CN=") + cn},
                   error)
        && openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), name + QStringLiteral(".csr"),
                    QStringLiteral("-CA"), QStringLiteral("ca.crt"), QStringLiteral("-CAkey"), QStringLiteral("ca.key"),
                    QStringLiteral("-CAcreateserial"), QStringLiteral("-days"), QString::number(days),
                    QStringLiteral("-extfile"), ext.fileName(), QStringLiteral("-out"), name + QStringLiteral(".crt")},
                   error);
}

bool TestCertificates::generate(QString *error)
{
    if (!m_dir.isValid()) {
        if (error)
            *error = QStringLiteral("cannot create a temporary directory: %1").arg(m_dir.errorString());
        return false;
    }
    const bool ok =
        openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                 QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                 QStringLiteral("-keyout"), QStringLiteral("ca.key"), QStringLiteral("-out"), QStringLiteral("ca.crt"),
                 QStringLiteral("-days"), QStringLiteral("30"), QStringLiteral("-subj"),
                 QStringLiteral("/CN=FleetDeck Test CA"), QStringLiteral("-addext"),
                 QStringLiteral("basicConstraints=critical,CA:TRUE"), QStringLiteral("-addext"),
                 QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")},
                error)
        && makeServer(QStringLiteral("server"), QStringLiteral("localhost"),
                      QStringLiteral("DNS:localhost,IP:127.0.0.1"), 30, error)
        // RSA: a key exchange without signatures, the one TLS 1.0/1.1 still completes with
        // OpenSSL 3 at security level 1 (Paho's), for the TLS floor tests.
        && makeServer(QStringLiteral("rsaserver"), QStringLiteral("localhost"),
                      QStringLiteral("DNS:localhost,IP:127.0.0.1"), 30, error, true)
        && makeServer(QStringLiteral("wronghost"), wrongHostName(), QStringLiteral("DNS:") + wrongHostName(), 30, error)
        // -days -1: notAfter one day before notBefore, i.e. already expired.
        && makeServer(QStringLiteral("expired"), QStringLiteral("localhost"),
                      QStringLiteral("DNS:localhost,IP:127.0.0.1"), -1, error)
        && openssl({QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("EC"), QStringLiteral("-pkeyopt"),
                    QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-aes256"), QStringLiteral("-pass"),
                    QStringLiteral("pass:") + clientKeyPassphrase(), QStringLiteral("-out"), QStringLiteral("client.key")},
                   error)
        && openssl({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-key"), QStringLiteral("client.key"),
                    QStringLiteral("-passin"), QStringLiteral("pass:") + clientKeyPassphrase(), QStringLiteral("-out"),
                    QStringLiteral("client.csr"), QStringLiteral("-subj"), QStringLiteral("/CN=fleetdeck-test-client")},
                   error)
        && openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), QStringLiteral("client.csr"),
                    QStringLiteral("-CA"), QStringLiteral("ca.crt"), QStringLiteral("-CAkey"), QStringLiteral("ca.key"),
                    QStringLiteral("-CAcreateserial"), QStringLiteral("-days"), QStringLiteral("30"),
                    QStringLiteral("-out"), QStringLiteral("client.crt")},
                   error);
    return ok;
}

namespace {

bool writeText(const QString &path, const QByteArray &text, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(text) != text.size()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

bool TestCertificates::signClient(const QString &name, const QString &cn, int days, const QString &caName,
                                  QString *error)
{
    if (!writeText(path(name + QStringLiteral(".ext")),
                   "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                   "extendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
                   error)) {
        return false;
    }
    return openssl({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                    QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                    QStringLiteral("-keyout"), name + QStringLiteral(".key"), QStringLiteral("-out"),
                    name + QStringLiteral(".csr"), QStringLiteral("-subj"), QStringLiteral("/CN=") + cn},
                   error)
        && openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), name + QStringLiteral(".csr"),
                    QStringLiteral("-CA"), caName + QStringLiteral(".crt"), QStringLiteral("-CAkey"),
                    caName + QStringLiteral(".key"), QStringLiteral("-CAcreateserial"), QStringLiteral("-days"),
                    QString::number(days), QStringLiteral("-extfile"), name + QStringLiteral(".ext"),
                    QStringLiteral("-out"), name + QStringLiteral(".crt")},
                   error);
}

bool TestCertificates::makeClient(const QString &name, const QString &cn, int days, QString *error)
{
    return signClient(name, cn, days, QStringLiteral("ca"), error);
}

bool TestCertificates::makeUntrustedClient(const QString &name, const QString &cn, QString *error)
{
    if (!QFile::exists(path(QStringLiteral("untrusted-ca.crt")))
        && !openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                     QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                     QStringLiteral("-keyout"), QStringLiteral("untrusted-ca.key"), QStringLiteral("-out"),
                     QStringLiteral("untrusted-ca.crt"), QStringLiteral("-days"), QStringLiteral("30"),
                     QStringLiteral("-subj"), QStringLiteral("/CN=FleetDeck Untrusted CA"), QStringLiteral("-addext"),
                     QStringLiteral("basicConstraints=critical,CA:TRUE"), QStringLiteral("-addext"),
                     QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")},
                    error)) {
        return false;
    }
    return signClient(name, cn, 30, QStringLiteral("untrusted-ca"), error);
}

// `openssl ca` keeps the revoked serials in index.txt; its config, made once.
bool TestCertificates::ensureCaDatabase(QString *error)
{
    if (QFile::exists(path(QStringLiteral("ca.cnf"))))
        return true;
    return writeText(path(QStringLiteral("index.txt")), QByteArray(), error)
        && writeText(path(QStringLiteral("crlnumber")), "1000\n", error)
        && writeText(path(QStringLiteral("ca.cnf")),
                     "[ca]\ndefault_ca = test_ca\n[test_ca]\ndir = .\ndatabase = index.txt\n"
                     "crlnumber = crlnumber\ndefault_md = sha256\ndefault_crl_days = 30\n",
                     error);
}

bool TestCertificates::writeCrl(QString *error)
{
    return ensureCaDatabase(error)
        && openssl({QStringLiteral("ca"), QStringLiteral("-config"), QStringLiteral("ca.cnf"), QStringLiteral("-gencrl"),
                    QStringLiteral("-cert"), QStringLiteral("ca.crt"), QStringLiteral("-keyfile"), QStringLiteral("ca.key"),
                    QStringLiteral("-out"), QStringLiteral("crl.pem")},
                   error);
}

bool TestCertificates::revoke(const QString &name, QString *error)
{
    return ensureCaDatabase(error)
        && openssl({QStringLiteral("ca"), QStringLiteral("-config"), QStringLiteral("ca.cnf"), QStringLiteral("-revoke"),
                    name + QStringLiteral(".crt"), QStringLiteral("-cert"), QStringLiteral("ca.crt"),
                    QStringLiteral("-keyfile"), QStringLiteral("ca.key")},
                   error)
        && writeCrl(error);
}

QString TestCertificates::serialOf(const QString &name)
{
    QByteArray out;
    if (!openssl({QStringLiteral("x509"), QStringLiteral("-in"), name + QStringLiteral(".crt"), QStringLiteral("-noout"),
                  QStringLiteral("-serial")},
                 nullptr, &out)) {
        return {};
    }
    out = out.trimmed();
    return out.startsWith("serial=") ? QString::fromLatin1(out.mid(7)) : QString();
}

} // namespace fd::test
