#include "core/broker/mosquitto_launcher.h"
#include "core/broker/mosquitto_password_file.h"
#include "core/broker/system_account.h"
#include "tests/support/test_certificates.h"
#include "core/transport/mqtt_client.h"
#include "tests/support/broker_fixture.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#ifdef Q_OS_UNIX
#include <csignal>
#include <unistd.h>
#endif

using namespace fd;
using namespace Qt::StringLiterals;

class TestMosquittoLauncher : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void startsAndStops();
    void usesRequestedPort();
    void writesConfiguration();
    void reportsMissingExecutable();
    void reportsPortInUse();
    void retriesWhenThePickedPortIsTaken();
    void givesUpAfterSeveralTakenPorts();
    void reportsRejectedConfiguration();
    void credentialsAreRequired();
    void keepsItsFilesPrivate();
    void passwordFileMatchesMosquittoPasswd();
    void reportsUnexpectedExit();
    void runsUnprivilegedWhenRoot();
    void staysRootWithoutTheUnprivilegedUser();
    void unprivilegedBrokerServesTlsFromPrivateFolders();
    void findsExecutableAndHint();
    void keepsRetainedMessagesAcrossRestarts();
    void persistenceOutOfTheAccountsReachStaysRoot();
    void refusesOptionsThatDoNotFit();
    void reloadRereadsTheAclFile();
};

void TestMosquittoLauncher::initTestCase()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
}

static bool portAccepts(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    return socket.waitForConnected(1000);
}

void TestMosquittoLauncher::startsAndStops()
{
    MosquittoLauncher launcher;
    QString error;
    QVERIFY2(launcher.start({}, &error), qPrintable(error));
    QVERIFY(launcher.isRunning());
    QVERIFY(launcher.port() != 0);
    QCOMPARE(launcher.url(), u"mqtt://127.0.0.1:%1"_s.arg(launcher.port()));
    QVERIFY(portAccepts(launcher.port()));
    QVERIFY2(launcher.log().contains(u"running"_s), qPrintable(launcher.log()));
    const QString config = launcher.configPath();
    QVERIFY(QFile::exists(config));

    QSignalSpy unexpected(&launcher, &MosquittoLauncher::exitedUnexpectedly);
    launcher.stop();
    QVERIFY(!launcher.isRunning());
    QVERIFY(!portAccepts(launcher.port()));
    QVERIFY(!QFile::exists(config));  // the temp dir goes with the broker
    QCOMPARE(unexpected.size(), 0);
}

void TestMosquittoLauncher::usesRequestedPort()
{
    const quint16 port = MosquittoLauncher::freePort();
    QVERIFY(port != 0);
    MosquittoLauncher launcher;
    MosquittoLauncher::Options options;
    options.port = port;
    QString error;
    QVERIFY2(launcher.start(options, &error), qPrintable(error));
    QCOMPARE(launcher.port(), port);
    QVERIFY(portAccepts(port));
}

void TestMosquittoLauncher::writesConfiguration()
{
    MosquittoLauncher launcher;
    MosquittoLauncher::Options options;
    options.maxQueuedMessages = 12345;
    options.maxInflightMessages = 77;
    options.extraConfigLines = {u"# extra line for the test"_s};
    QString error;
    QVERIFY2(launcher.start(options, &error), qPrintable(error));
    QFile file(launcher.configPath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString config = QString::fromUtf8(file.readAll());
    QVERIFY(config.contains(u"listener %1 127.0.0.1"_s.arg(launcher.port())));
    QVERIFY(config.contains(u"allow_anonymous true"_s));
    QVERIFY(config.contains(u"persistence false"_s));
    QVERIFY(config.contains(u"max_queued_messages 12345"_s));
    QVERIFY(config.contains(u"max_inflight_messages 77"_s));
    QVERIFY(config.contains(u"# extra line for the test"_s));
    QVERIFY(!config.contains(u"certfile"_s));
#ifdef Q_OS_UNIX
    // Root keeps root only when there is no "mosquitto" user to run as.
    QCOMPARE(config.contains(u"user root"_s), ::geteuid() == 0 && !SystemAccount::lookup(u"mosquitto"_s));
#endif
}

void TestMosquittoLauncher::reportsMissingExecutable()
{
    MosquittoLauncher launcher;
    MosquittoLauncher::Options options;
    options.executable = u"/nonexistent/bin/mosquitto"_s;
    QString error;
    QVERIFY(!launcher.start(options, &error));
    QVERIFY2(error.contains(u"not found"_s), qPrintable(error));
    QVERIFY2(error.contains(MosquittoLauncher::installHint()), qPrintable(error));
    QVERIFY(!launcher.isRunning());
}

void TestMosquittoLauncher::reportsPortInUse()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress(QHostAddress::LocalHost), 0));
    MosquittoLauncher launcher;
    MosquittoLauncher::Options options;
    options.port = blocker.serverPort();
    QString error;
    QVERIFY(!launcher.start(options, &error));
    QVERIFY2(error.contains(u"already in use"_s), qPrintable(error));
}

// The free port is picked, released, then bound by mosquitto: another program may take it in
// between. Simulated by a picker whose first answer is a port we hold.
void TestMosquittoLauncher::retriesWhenThePickedPortIsTaken()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress(QHostAddress::LocalHost), 0));
    QList<quint16> picked;
    MosquittoLauncher launcher([&] {
        const quint16 port = picked.isEmpty() ? blocker.serverPort() : MosquittoLauncher::freePort();
        picked.append(port);
        return port;
    });
    QString error;
    QVERIFY2(launcher.start({}, &error), qPrintable(error));
    QCOMPARE(picked.size(), 2);
    QCOMPARE(picked.first(), blocker.serverPort());
    QCOMPARE(launcher.port(), picked.last());
    QVERIFY(launcher.port() != blocker.serverPort());
    QVERIFY(portAccepts(launcher.port()));
    QVERIFY(launcher.isRunning());
}

void TestMosquittoLauncher::givesUpAfterSeveralTakenPorts()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress(QHostAddress::LocalHost), 0));
    int picks = 0;
    MosquittoLauncher launcher([&] {
        ++picks;
        return blocker.serverPort();
    });
    QString error;
    QVERIFY(!launcher.start({}, &error));
    QCOMPARE(picks, MosquittoLauncher::kMaxPortAttempts);
    QVERIFY2(error.contains(u"already in use"_s), qPrintable(error));
    QVERIFY(!launcher.isRunning());
}

void TestMosquittoLauncher::reportsRejectedConfiguration()
{
    MosquittoLauncher launcher;
    MosquittoLauncher::Options options;
    options.extraConfigLines = {u"this_is_not_an_option 42"_s};
    QString error;
    QVERIFY(!launcher.start(options, &error));
    QVERIFY2(error.contains(u"exited during start-up"_s), qPrintable(error));
    QVERIFY2(error.contains(u"this_is_not_an_option"_s), qPrintable(error));  // mosquitto's own words
}

namespace {
// Connects with user name and password (empty: anonymous) and waits for the broker's answer.
ConnectionState connectAs(quint16 port, const QString &user, const QString &password, QString *detail)
{
    MqttClient client;
    ConnectionProfile profile;
    profile.broker.host = u"127.0.0.1"_s;
    profile.broker.port = port;
    profile.username = user;
    profile.allowPlaintextPassword = true;  // a loopback test broker
    ConnectionSecrets secrets;
    secrets.password = password;
    client.connectToBroker(profile, secrets);
    QSignalSpy changes(&client, &MqttClient::stateChanged);
    QElapsedTimer timer;
    timer.start();
    while (client.state() != ConnectionState::Connected && client.state() != ConnectionState::Failed
           && timer.elapsed() < 10000)
        changes.wait(1000);
    *detail = client.stateDetail();
    const ConnectionState state = client.state();
    client.disconnectFromBroker();
    return state;
}
// Connects anonymously to the loopback broker on port, subscribes to topic and returns the
// retained payload it gets (empty: none within the time).
QByteArray retainedOn(quint16 port, const QString &topic)
{
    MqttClient client;
    ConnectionProfile profile;
    profile.broker.host = u"127.0.0.1"_s;
    profile.broker.port = port;
    QByteArray payload;
    QObject::connect(&client, &MqttClient::messagesReceived, &client, [&](const MqttMessageBatch &batch) {
        for (const MqttMessage &m : batch) {
            if (m.retained && QString::fromUtf8(m.topic) == topic)
                payload = m.payload;
        }
    });
    client.subscribe(topic, 1);
    client.connectToBroker(profile);
    static_cast<void>(QTest::qWaitFor([&payload] { return !payload.isEmpty(); }, 5000));  // empty: none
    client.disconnectFromBroker();
    return payload;
}

bool publishRetained(quint16 port, const QString &topic, const QByteArray &payload)
{
    MqttClient client;
    ConnectionProfile profile;
    profile.broker.host = u"127.0.0.1"_s;
    profile.broker.port = port;
    client.connectToBroker(profile);
    if (!QTest::qWaitFor([&client] { return client.state() == ConnectionState::Connected; }, 5000)
        || !client.publish(topic, payload, 1, true))
        return false;
    // Our own subscription sees it once the broker has it.
    bool seen = false;
    QObject::connect(&client, &MqttClient::messagesReceived, &client, [&](const MqttMessageBatch &batch) {
        for (const MqttMessage &m : batch)
            seen = seen || m.payload == payload;
    });
    client.subscribe(topic, 1);
    const bool ok = QTest::qWaitFor([&seen] { return seen; }, 10000);
    client.disconnectFromBroker();
    return ok;
}

} // namespace

// The demo broker must not let anyone in: with credentials, anonymous clients and wrong
// passwords are refused, the account itself is accepted.
void TestMosquittoLauncher::credentialsAreRequired()
{
    MosquittoLauncher launcher;
    MosquittoLauncher::Options options;
    options.credentials = BrokerCredentials::generate(u"test-"_s);
    QVERIFY(options.credentials.username.startsWith(u"test-"_s));
    QCOMPARE(options.credentials.password.size(), 32);
    QString error;
    QVERIFY2(launcher.start(options, &error), qPrintable(error));

    QString detail;
    QCOMPARE(connectAs(launcher.port(), QString(), QString(), &detail), ConnectionState::Failed);
    QVERIFY2(detail.contains(u"not authorized"_s) || detail.contains(u"user name or password"_s), qPrintable(detail));
    QCOMPARE(connectAs(launcher.port(), options.credentials.username, u"wrong"_s, &detail), ConnectionState::Failed);
    QCOMPARE(connectAs(launcher.port(), options.credentials.username, options.credentials.password, &detail),
             ConnectionState::Connected);
}

void TestMosquittoLauncher::keepsItsFilesPrivate()
{
    MosquittoLauncher launcher;
    MosquittoLauncher::Options options;
    options.credentials = BrokerCredentials::generate(u"test-"_s);
    QString error;
    QVERIFY2(launcher.start(options, &error), qPrintable(error));
    const QFileInfo config(launcher.configPath());
    const QFileInfo dir(config.absolutePath());
    const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
        | QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser;
    QCOMPARE(dir.permissions() & ~ownerOnly, QFileDevice::Permissions());
    QCOMPARE(config.permissions() & ~ownerOnly, QFileDevice::Permissions());
    const QFileInfo passwords(dir.absoluteFilePath() + u"/passwords"_s);
    QVERIFY(passwords.exists());
    QCOMPARE(passwords.permissions() & ~ownerOnly, QFileDevice::Permissions());

    QFile file(passwords.absoluteFilePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    QVERIFY(content.startsWith(QByteArray(options.credentials.username.toUtf8() + ":$7$101$")));
    QVERIFY(!content.contains(options.credentials.password.toUtf8()));  // hashed, never in clear
    QFile conf(config.absoluteFilePath());
    QVERIFY(conf.open(QIODevice::ReadOnly));
    const QByteArray text = conf.readAll();
    QVERIFY(text.contains("allow_anonymous false"));
    QVERIFY(!text.contains("allow_anonymous true"));
    QVERIFY(!text.contains(options.credentials.password.toUtf8()));
}

// Our own $7$ lines hash exactly as mosquitto_passwd does.
void TestMosquittoLauncher::passwordFileMatchesMosquittoPasswd()
{
    const QString tool = QStandardPaths::findExecutable(u"mosquitto_passwd"_s);
    if (tool.isEmpty())
        QSKIP("mosquitto_passwd is not installed");
    QTemporaryDir dir;
    const QString path = dir.filePath(u"pw"_s);
    QCOMPARE(QProcess::execute(tool, {u"-b"_s, u"-c"_s, path, u"alice"_s, u"s3cret pass"_s}), 0);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray line = file.readAll().trimmed() + '\n';
    const QList<QByteArray> parts = line.trimmed().split('$');  // "alice:", "7", "101", salt, hash
    QCOMPARE(parts.size(), 5);
    const QByteArray salt = QByteArray::fromBase64(parts.at(3));
    QCOMPARE(MosquittoPasswordFile::entry(u"alice"_s, u"s3cret pass"_s, salt, parts.at(2).toInt()), line);
    QVERIFY(MosquittoPasswordFile::entry(u"a:b"_s, u"x"_s).isEmpty());
}

void TestMosquittoLauncher::reportsUnexpectedExit()
{
#ifdef Q_OS_UNIX
    MosquittoLauncher launcher;
    QString error;
    QVERIFY2(launcher.start({}, &error), qPrintable(error));
    QSignalSpy unexpected(&launcher, &MosquittoLauncher::exitedUnexpectedly);
    QVERIFY(launcher.processId() > 0);
    const bool killed = ::kill(pid_t(launcher.processId()), SIGKILL) == 0;
    QVERIFY(killed);
    QVERIFY(unexpected.wait(5000));
    QVERIFY(!launcher.isRunning());
#else
    QSKIP("POSIX only");
#endif
}

namespace {
// Real user id of a process, from /proc (-1 if unknown).
int processUid(qint64 pid)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("Uid:"))
            return line.mid(4).simplified().split(' ').value(0).toInt();
    }
    return -1;
}
} // namespace

// Started by root, the broker runs as "mosquitto", not as root.
void TestMosquittoLauncher::runsUnprivilegedWhenRoot()
{
#ifdef Q_OS_LINUX
    if (::geteuid() != 0)
        QSKIP("runs as root only (as CI and these machines do)");
    const std::optional<SystemAccount> account = SystemAccount::lookup(u"mosquitto"_s);
    if (!account)
        QSKIP("there is no user \"mosquitto\"");
    MosquittoLauncher launcher;
    MosquittoLauncher::Options options;
    options.credentials = BrokerCredentials::generate(u"test-"_s);
    QString error;
    QVERIFY2(launcher.start(options, &error), qPrintable(error));
    QCOMPARE(processUid(launcher.processId()), int(account->uid));
    QFile conf(launcher.configPath());
    QVERIFY(conf.open(QIODevice::ReadOnly));
    QVERIFY(!conf.readAll().contains("user root"));
    // Its private files are its own (and nobody else's).
    QCOMPARE(QFileInfo(launcher.configPath()).ownerId(), account->uid);
    QCOMPARE(QFileInfo(QFileInfo(launcher.configPath()).absolutePath()).ownerId(), account->uid);
    QString detail;
    QCOMPARE(connectAs(launcher.port(), options.credentials.username, options.credentials.password, &detail),
             ConnectionState::Connected);
    QVERIFY2(!launcher.log().contains(u"should not be run as root"_s), qPrintable(launcher.log()));
#else
    QSKIP("Linux only");
#endif
}

void TestMosquittoLauncher::staysRootWithoutTheUnprivilegedUser()
{
#ifdef Q_OS_LINUX
    if (::geteuid() != 0)
        QSKIP("runs as root only");
    MosquittoLauncher launcher;
    MosquittoLauncher::Options options;
    options.unprivilegedUser = u"fleetdeck-no-such-user"_s;
    QString error;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"runs as root: there is no user \"fleetdeck-no-such-user\""_s));
    QVERIFY2(launcher.start(options, &error), qPrintable(error));
    QCOMPARE(processUid(launcher.processId()), 0);
    QFile conf(launcher.configPath());
    QVERIFY(conf.open(QIODevice::ReadOnly));
    QVERIFY(conf.readAll().contains("user root"));
#else
    QSKIP("Linux only");
#endif
}

// TLS files in a folder only root may enter (a test's temp dir) still work: the broker gets
// private copies it can read.
void TestMosquittoLauncher::unprivilegedBrokerServesTlsFromPrivateFolders()
{
    if (QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
        QSKIP("the openssl command line tool is not installed");
    test::TestCertificates certs;
    QString error;
    QVERIFY2(certs.generate(&error), qPrintable(error));
    MosquittoLauncher launcher;
    MosquittoLauncher::Options options;
    options.caFile = certs.caFile();
    options.certFile = certs.serverCert();
    options.keyFile = certs.serverKey();
    QVERIFY2(launcher.start(options, &error), qPrintable(error));
    QVERIFY(launcher.url().startsWith(u"mqtts://"_s));
    QFile conf(launcher.configPath());
    QVERIFY(conf.open(QIODevice::ReadOnly));
    const QByteArray text = conf.readAll();
    QVERIFY(!text.contains(certs.dir().toUtf8()));  // the private copies, not the originals
    MqttClient client;
    ConnectionProfile profile;
    profile.broker = *BrokerUrl::parse(u"mqtts://localhost:%1"_s.arg(launcher.port()));
    profile.caFile = certs.caFile();
    QSignalSpy changes(&client, &MqttClient::stateChanged);
    client.connectToBroker(profile);
    QTRY_VERIFY_WITH_TIMEOUT(client.state() == ConnectionState::Connected || client.state() == ConnectionState::Failed,
                             10000);
    QVERIFY2(client.state() == ConnectionState::Connected, qPrintable(client.stateDetail()));
    client.disconnectFromBroker();
}

void TestMosquittoLauncher::findsExecutableAndHint()
{
    const QString exe = MosquittoLauncher::findExecutable();
    QVERIFY(!exe.isEmpty());
    QVERIFY(QFileInfo(exe).isExecutable());
    QVERIFY(!MosquittoLauncher::installHint().isEmpty());
#ifdef Q_OS_LINUX
    QFile osRelease(u"/etc/os-release"_s);
    if (osRelease.open(QIODevice::ReadOnly) && osRelease.readAll().toLower().contains("debian"))
        QCOMPARE(MosquittoLauncher::installHint(), u"Install it with: sudo apt-get install mosquitto"_s);
#endif
}

// Options::persistenceDir: retained messages survive a stop and start on the same folder (on
// another port), and a broker killed without a chance to save still has what was there a
// second before (autosave_interval 1).
void TestMosquittoLauncher::keepsRetainedMessagesAcrossRestarts()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    // A folder the broker's account may enter when we are root (a temp dir is 0700).
    QFile::setPermissions(tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                          | QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
                                          | QFileDevice::ExeOther);
    const QString dir = tmp.filePath(u"site-1/broker"_s);
    const QString topic = u"fleetdeck/v1/dev-00001/ota/job"_s;
    MosquittoLauncher::Options options;
    options.persistenceDir = dir;
    QString error;
    {
        MosquittoLauncher launcher;
        QVERIFY2(launcher.start(options, &error), qPrintable(error));
        QFile conf(launcher.configPath());
        QVERIFY(conf.open(QIODevice::ReadOnly));
        const QByteArray config = conf.readAll();
        QVERIFY(config.contains("persistence true\n"));
        QVERIFY(config.contains(QByteArray(QByteArray("persistence_location ") + QFile::encodeName(QFileInfo(dir).absoluteFilePath()) + "/\n")));
        QVERIFY(config.contains("autosave_interval 1\n"));
        QVERIFY(!config.contains("persistence false"));
#ifdef Q_OS_LINUX
        if (::geteuid() == 0) {
            if (const std::optional<SystemAccount> account = SystemAccount::lookup(u"mosquitto"_s)) {
                QCOMPARE(processUid(launcher.processId()), int(account->uid));
                QCOMPARE(QFileInfo(dir).ownerId(), account->uid);
            }
        }
#endif
        QVERIFY(publishRetained(launcher.port(), topic, "job-1"));
        launcher.stop();  // SIGTERM: mosquitto saves on the way out
    }
    QVERIFY(QFileInfo::exists(dir + u"/mosquitto.db"_s));

    MosquittoLauncher again([] { return MosquittoLauncher::freePort(); });
    QVERIFY2(again.start(options, &error), qPrintable(error));
    QCOMPARE(retainedOn(again.port(), topic), QByteArray("job-1"));

    // Killed: what the last autosave wrote is kept.
    QVERIFY(publishRetained(again.port(), topic, "job-2-after-autosave"));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QFile db(dir + u"/mosquitto.db"_s);
            return db.open(QIODevice::ReadOnly) && db.readAll().contains("job-2-after-autosave");
        }(),
        5000);
    QSignalSpy died(&again, &MosquittoLauncher::exitedUnexpectedly);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"mosquitto exited unexpectedly"_s));
#ifdef Q_OS_UNIX
    QVERIFY(::kill(pid_t(again.processId()), SIGKILL) == 0);
#endif
    QVERIFY(died.wait(5000));
    MosquittoLauncher third;
    QVERIFY2(third.start(options, &error), qPrintable(error));
    QCOMPARE(retainedOn(third.port(), topic), QByteArray("job-2-after-autosave"));

    // Without the option nothing is kept (tests and benchmarks).
    third.stop();
    MosquittoLauncher plain;
    QVERIFY2(plain.start({}, &error), qPrintable(error));
    QCOMPARE(retainedOn(plain.port(), topic), QByteArray());
}

// Root, a persistence folder the broker's account cannot enter (a private home): the broker
// stays root rather than losing what it must keep.
void TestMosquittoLauncher::persistenceOutOfTheAccountsReachStaysRoot()
{
#ifdef Q_OS_LINUX
    if (::geteuid() != 0)
        QSKIP("runs as root only");
    if (!SystemAccount::lookup(u"mosquitto"_s))
        QSKIP("there is no user \"mosquitto\"");
    QTemporaryDir tmp;  // 0700, root's
    QVERIFY(tmp.isValid());
    MosquittoLauncher::Options options;
    options.persistenceDir = tmp.filePath(u"broker"_s);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"runs as root: its persistence folder is out of reach"_s));
    MosquittoLauncher launcher;
    QString error;
    QVERIFY2(launcher.start(options, &error), qPrintable(error));
    QCOMPARE(processUid(launcher.processId()), 0);
    QVERIFY(publishRetained(launcher.port(), u"t/kept"_s, "kept"));
    launcher.stop();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"runs as root: its persistence folder is out of reach"_s));
    QVERIFY2(launcher.start(options, &error), qPrintable(error));
    QCOMPARE(retainedOn(launcher.port(), u"t/kept"_s), QByteArray("kept"));
#else
    QSKIP("Linux only");
#endif
}


void TestMosquittoLauncher::refusesOptionsThatDoNotFit()
{
    MosquittoLauncher launcher;
    MosquittoLauncher::Options options;
    options.crlFile = u"/nonexistent/crl.pem"_s;  // a CRL without a TLS listener
    QString error;
    QVERIFY(!launcher.start(options, &error));
    QVERIFY2(error.contains(u"revocation"_s), qPrintable(error));
    QVERIFY(!launcher.isRunning());
    QVERIFY(!launcher.reload(&error));
    QVERIFY2(error.contains(u"not running"_s), qPrintable(error));
}

// The ACL given as a file is copied into the private dir at start and copied again by
// reload() (SIGHUP): an edit of the file counts after the reload, not before.
void TestMosquittoLauncher::reloadRereadsTheAclFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString aclPath = dir.filePath(u"acl"_s);
    auto writeAcl = [&](const QByteArray &text) {
        QFile f(aclPath);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    };
    writeAcl("topic read open/#\n");  // anonymous clients: read only
    MosquittoLauncher launcher;
    MosquittoLauncher::Options options;
    options.aclFile = aclPath;
    QString error;
    QVERIFY2(launcher.start(options, &error), qPrintable(error));

    MqttClient client;
    ConnectionProfile p;
    p.broker.host = u"127.0.0.1"_s;
    p.broker.port = launcher.port();
    p.sparkplug = false;
    QSignalSpy received(&client, &MqttClient::messagesReceived);
    QSignalSpy subscribed(&client, &MqttClient::subscribed);
    client.subscribe(u"open/#"_s, 1);
    client.connectToBroker(p);
    QTRY_VERIFY_WITH_TIMEOUT(!subscribed.isEmpty(), 10000);
    QSignalSpy finished(&client, &MqttClient::publishFinished);
    QVERIFY(client.publishTracked(u"open/1"_s, "before", 1) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
    QCOMPARE(finished.at(0).at(1).toBool(), false);  // not authorized

    writeAcl("topic readwrite open/#\n");
    QVERIFY(client.publishTracked(u"open/2"_s, "still before", 1) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 5000);
    QCOMPARE(finished.at(1).at(1).toBool(), false);  // the broker has its own copy
    QVERIFY2(launcher.reload(&error), qPrintable(error));
    QVERIFY(client.publishTracked(u"open/3"_s, "after", 1) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 5000);
    QCOMPARE(finished.at(2).at(1).toBool(), true);
    QTRY_VERIFY_WITH_TIMEOUT(!received.isEmpty(), 5000);
    QCOMPARE(received.at(0).at(0).value<MqttMessageBatch>().at(0).payload, QByteArray("after"));
}

QTEST_GUILESS_MAIN(TestMosquittoLauncher)
#include "test_mosquitto_launcher.moc"
