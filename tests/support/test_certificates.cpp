#include "tests/support/test_certificates.h"

#include <QFile>
#include <QProcess>

namespace fd::test {

TestCertificates::TestCertificates() = default;

bool TestCertificates::openssl(const QStringList &args, QString *error)
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

} // namespace fd::test
