// Promise 6 (docs/reliability.md, docs/security.md): TLS refusals end to end. `fleetdeckctl
// record` against a real TLS mosquitto (certificates from tests/support/test_certificates.h)
// refuses a server certificate for another name (by IP and by host name), an expired one and
// one of a CA it does not trust; a broker requiring client certificates refuses an expired,
// a revoked and an untrusted one. Each is refused (nothing recorded; retried with backoff until
// --duration) with the reason in words an operator can act on, not just "connect failed". --no-verify-hostname is
// the only way past a name mismatch, and says that it is insecure.
// The unit side (MqttClient alone) is tests/core/transport/test_mqtt_client_tls.cpp.

#include "tests/reliability/child_process.h"
#include "tests/reliability/reliability_report.h"

#include "core/broker/mosquitto_launcher.h"
#include "tests/support/test_certificates.h"

#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace fd;
using namespace fd::test;

class TestTlsRefusals : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void refusedWithTheReason_data();
    void refusedWithTheReason();
    void noVerifyHostnameIsTheOnlyWayPastAMismatchAndSaysSo();

private:
    MosquittoLauncher *broker(const QString &kind);
    int record(const QString &url, const QStringList &extra, QByteArray *stderrOut, int durationS = 15);

    QTemporaryDir m_dir;
    TestCertificates m_certs;
    std::map<QString, std::unique_ptr<MosquittoLauncher>> m_brokers;
    int m_refusals = 0;
    int m_runs = 0;
};

void TestTlsRefusals::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (MosquittoLauncher::findExecutable().isEmpty())
        QFAIL(qPrintable(MosquittoLauncher::installHint()));
    QString error;
    QVERIFY2(m_certs.generate(&error), qPrintable(error));
    QVERIFY2(m_certs.makeClient(QStringLiteral("operator"), QStringLiteral("fleetdeck-operator"), 30, &error),
             qPrintable(error));
    QVERIFY2(m_certs.makeClient(QStringLiteral("old"), QStringLiteral("fleetdeck-operator"), -1, &error),
             qPrintable(error));
    QVERIFY2(m_certs.makeClient(QStringLiteral("stolen"), QStringLiteral("fleetdeck-operator"), 30, &error),
             qPrintable(error));
    QVERIFY2(m_certs.makeUntrustedClient(QStringLiteral("stranger"), QStringLiteral("fleetdeck-operator"), &error),
             qPrintable(error));
    QVERIFY2(m_certs.writeCrl(&error), qPrintable(error));
    QVERIFY2(m_certs.revoke(QStringLiteral("stolen"), &error), qPrintable(error));
}

void TestTlsRefusals::cleanupTestCase()
{
    m_brokers.clear();
    QJsonObject figures;
    figures.insert(QStringLiteral("refusals_checked"), m_refusals);
    figures.insert(QStringLiteral("record_runs"), m_runs);
    ReliabilityReport::write(QStringLiteral("tls_refusals"), figures);
}

// "good": server certificate for localhost + 127.0.0.1; "wronghost": for another name;
// "expired"; "mtls": client certificates required, with this CA's CRL.
MosquittoLauncher *TestTlsRefusals::broker(const QString &kind)
{
    auto &slot = m_brokers[kind];
    if (slot)
        return slot.get();
    MosquittoLauncher::Options o;
    o.caFile = m_certs.caFile();
    o.certFile = m_certs.serverCert();
    o.keyFile = m_certs.serverKey();
    if (kind == u"wronghost") {
        o.certFile = m_certs.wrongHostCert();
        o.keyFile = m_certs.wrongHostKey();
    } else if (kind == u"expired") {
        o.certFile = m_certs.expiredCert();
        o.keyFile = m_certs.expiredKey();
    } else if (kind == u"mtls") {
        o.requireClientCertificate = true;
        o.crlFile = m_certs.crlFile();
    }
    auto launcher = std::make_unique<MosquittoLauncher>();
    QString error;
    if (!launcher->start(o, &error)) {
        qWarning("%s", qPrintable(error));
        return nullptr;
    }
    slot = std::move(launcher);
    return slot.get();
}

int TestTlsRefusals::record(const QString &url, const QStringList &extra, QByteArray *stderrOut, int durationS)
{
    ChildProcess p(QStringLiteral("record"));
    const QString cache = m_dir.filePath(QStringLiteral("cache-%1.sqlite").arg(++m_runs));
    if (!p.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")),
                 QStringList{QStringLiteral("record"), QStringLiteral("--broker"), QStringLiteral("tls=") + url,
                             QStringLiteral("--db"), cache, QStringLiteral("--no-sparkplug"),
                             QStringLiteral("--duration"), QString::number(durationS)}
                     + extra)
        || !p.waitForFinished((durationS + 30) * 1000))
        return -1;
    *stderrOut = p.standardError();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

void TestTlsRefusals::refusedWithTheReason_data()
{
    QTest::addColumn<QString>("broker");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QStringList>("extra");  // beyond --ca
    QTest::addColumn<bool>("trustCa");
    QTest::addColumn<QStringList>("reason");  // any of these words (case-insensitive)

    const QStringList mismatch{QStringLiteral("host name"), QStringLiteral("hostname"), QStringLiteral("mismatch"),
                               QStringLiteral("does not match")};
    QTest::newRow("another name, by IP") << QStringLiteral("wronghost") << QStringLiteral("127.0.0.1") << QStringList()
                                         << true << mismatch;
    QTest::newRow("another name, by host name")
        << QStringLiteral("wronghost") << QStringLiteral("localhost") << QStringList() << true << mismatch;
    QTest::newRow("expired server certificate")
        << QStringLiteral("expired") << QStringLiteral("127.0.0.1") << QStringList() << true
        << QStringList{QStringLiteral("expired")};
    QTest::newRow("untrusted CA (system trust store)")
        << QStringLiteral("good") << QStringLiteral("127.0.0.1") << QStringList() << false
        << QStringList{QStringLiteral("not trusted"), QStringLiteral("untrusted"), QStringLiteral("issuer"),
                       QStringLiteral("self-signed"), QStringLiteral("self signed")};
    const auto client = [this](const QString &name) {
        return QStringList{QStringLiteral("--cert"), m_certs.certPath(name), QStringLiteral("--key"),
                           m_certs.keyPath(name)};
    };
    QTest::newRow("client certificate expired") << QStringLiteral("mtls") << QStringLiteral("127.0.0.1")
                                                << client(QStringLiteral("old")) << true
                                                << QStringList{QStringLiteral("expired")};
    QTest::newRow("client certificate revoked") << QStringLiteral("mtls") << QStringLiteral("127.0.0.1")
                                                << client(QStringLiteral("stolen")) << true
                                                << QStringList{QStringLiteral("revoked")};
    QTest::newRow("client certificate of an untrusted CA")
        << QStringLiteral("mtls") << QStringLiteral("127.0.0.1") << client(QStringLiteral("stranger")) << true
        << QStringList{QStringLiteral("unknown ca"), QStringLiteral("not trust")};
    QTest::newRow("no client certificate") << QStringLiteral("mtls") << QStringLiteral("127.0.0.1") << QStringList()
                                           << true
                                           << QStringList{QStringLiteral("certificate required"),
                                                          QStringLiteral("client certificate"),
                                                          QStringLiteral("handshake failure")};
}

void TestTlsRefusals::refusedWithTheReason()
{
    QFETCH(QString, broker);
    QFETCH(QString, host);
    QFETCH(QStringList, extra);
    QFETCH(bool, trustCa);
    QFETCH(QStringList, reason);
    MosquittoLauncher *b = this->broker(broker);
    QVERIFY(b);
    const QString url = QStringLiteral("mqtts://%1:%2").arg(host).arg(b->port());
    if (trustCa)
        extra << QStringLiteral("--ca") << m_certs.caFile();
    QByteArray err;
    const int code = record(url, extra, &err, 3);
    const QString text = QString::fromLocal8Bit(err);
    QVERIFY2(!text.contains(u"record: connected"), qPrintable(text));
    bool said = false;
    for (const QString &r : std::as_const(reason))
        said = said || text.contains(r, Qt::CaseInsensitive);
    QVERIFY2(said, qPrintable(QStringLiteral("the reason (%1) is not in: %2").arg(reason.join(u" / "), text)));
    // A refused handshake is retried with backoff (the broker's certificate may be renewed, a
    // client certificate reissued): the run ends at --duration, having recorded nothing.
    QVERIFY2(code == 0 || code == 3, qPrintable(QStringLiteral("exit %1: %2").arg(code).arg(text)));
    QVERIFY2(text.contains(u"received 0,"), qPrintable(text));
    ++m_refusals;
}

void TestTlsRefusals::noVerifyHostnameIsTheOnlyWayPastAMismatchAndSaysSo()
{
    MosquittoLauncher *b = broker(QStringLiteral("wronghost"));
    QVERIFY(b);
    const QString url = QStringLiteral("mqtts://127.0.0.1:%1").arg(b->port());
    QByteArray err;
    const int code = record(url,
                            {QStringLiteral("--ca"), m_certs.caFile(), QStringLiteral("--no-verify-hostname")},
                            &err, 2);
    const QString text = QString::fromLocal8Bit(err);
    QVERIFY2(text.contains(u"record: connected"), qPrintable(text));
    QVERIFY2(text.contains(u"insecure", Qt::CaseInsensitive), qPrintable(text));
    QCOMPARE(code, 0);
    // The chain is still checked: an expired certificate is refused even then.
    MosquittoLauncher *expired = broker(QStringLiteral("expired"));
    QVERIFY(expired);
    const int refused = record(QStringLiteral("mqtts://127.0.0.1:%1").arg(expired->port()),
                               {QStringLiteral("--ca"), m_certs.caFile(), QStringLiteral("--no-verify-hostname")},
                               &err, 3);
    QVERIFY2(refused >= 0 && !err.contains("record: connected") && QString::fromLocal8Bit(err).contains(u"expired", Qt::CaseInsensitive), err.constData());
    ++m_refusals;
}

QTEST_GUILESS_MAIN(TestTlsRefusals)
#include "test_tls_refusals.moc"
