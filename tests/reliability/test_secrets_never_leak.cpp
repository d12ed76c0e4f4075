// Promise 6 (docs/reliability.md, docs/security.md): no secret in settings, logs, the cache,
// command lines or crash output. The real flows run with known, unique secrets:
//   - the fleet CA passphrase (FLEETDECK_CA_PASSPHRASE): `fleetdeckctl pki init`, issue-server,
//     issue-client (the operator key encrypted with a passphrase of its own, --key-passphrase-env);
//   - a release signing key passphrase (FLEETDECK_RELEASE_KEY_PASSPHRASE): `keys create`,
//     `artifact import --sign-with`;
//   - a broker password (FLEETDECK_PASSWORD) for a mosquitto that requires it, over TLS, and the
//     client key passphrase (FLEETDECK_KEY_PASSPHRASE): `fleetdeckctl record`, fleetdeck-sim;
//   - the GUI with a saved connection profile whose password is in the keychain (QtKeychain
//     over gnome-keyring: run.sh's with_keyring; skipped with the reason when no keychain).
// Then every secret, raw, as hex, base64 (every alignment) and UTF-16, is looked for in every
// file under the test's HOME/XDG dirs and data folder (settings .conf, cache, operations store
// and their -wal/-shm, taken while the writers run and after), in stdout/stderr of every
// process, in /proc/PID/cmdline of every process (FleetDeck's, the simulator's, mosquitto's and
// their children) and in /proc/PID/environ of those not given the secret, and in what a
// process killed with SIGSEGV or SIGABRT prints.

#include "tests/reliability/child_process.h"
#include "tests/reliability/reliability_config.h"
#include "tests/reliability/reliability_report.h"

#include "core/broker/mosquitto_launcher.h"
#include "core/settings/keychain_secret_store.h"
#include "core/settings/profile_secrets.h"
#include "core/settings/profile_store.h"
#include "tests/support/raw_db.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <csignal>
#include <memory>
#include <unistd.h>

using namespace fd;
using namespace fd::test;

namespace {

QString randomSecret(const char *what)
{
    QByteArray bytes(12, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), 3);
    return QString::fromLatin1(what) + u'-' + QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding));
}

// The forms a secret could take in bytes: as is, UTF-16, hex, and base64 at each of the three
// alignments inside a longer encoded text (without the edge characters the neighbours change).
QList<QByteArray> formsOf(const QString &secret)
{
    const QByteArray utf8 = secret.toUtf8();
    QList<QByteArray> forms{utf8, utf8.toHex(), utf8.toHex().toUpper(),
                            QByteArray(reinterpret_cast<const char *>(secret.utf16()), secret.size() * 2),
                            QByteArray(QUrl::toPercentEncoding(secret))};
    for (int pad = 0; pad < 3; ++pad) {
        const QByteArray b64 = QByteArray(QByteArray(pad, 'x') + utf8).toBase64();
        const int skip = pad == 0 ? 0 : 4;
        forms << b64.mid(skip, (utf8.size() + pad) / 3 * 4 - skip - 4);
    }
    forms.removeIf([](const QByteArray &f) { return f.size() < 12; });
    return forms;
}

QList<qint64> descendantsOf(qint64 root)
{
    QHash<qint64, QList<qint64>> children;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &e : entries) {
        bool ok = false;
        const qint64 pid = e.toLongLong(&ok);
        if (!ok)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray s = stat.readAll();
        const qsizetype close = s.lastIndexOf(')');
        const QList<QByteArray> fields = s.mid(close + 2).split(' ');
        if (fields.size() > 1)
            children[fields.at(1).toLongLong()].append(pid);
    }
    QList<qint64> out;
    QList<qint64> todo{root};
    while (!todo.isEmpty()) {
        const qint64 p = todo.takeLast();
        for (qint64 c : children.value(p)) {
            out.append(c);
            todo.append(c);
        }
    }
    return out;
}

QByteArray procFile(qint64 pid, const char *name)
{
    QFile f(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(name)));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestSecretsNeverLeak : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void pkiAndReleaseKeysKeepTheirPassphrases();
    void recordAndSimulatorKeepThePasswordAndKeyPassphrase();
    void crashOutputHasNoSecret();
    void guiWithAKeychainProfileKeepsItsPassword();

private:
    QStringList environment(const QStringList &secrets = {}) const;
    // Looks for every secret in bytes; `where` names them in the failure.
    void scan(const QByteArray &bytes, const QString &where, const QStringList &secrets);
    void scanFiles(const QString &dir, const QStringList &secrets);
    // cmdline of pid and every descendant; their environ too unless it was given secrets.
    void scanProcesses(qint64 pid, const QString &what, const QStringList &secrets, bool environMayHave);
    void scanOutput(ChildProcess &child, const QStringList &secrets);
    int ctl(const QStringList &arguments, const QStringList &env, QByteArray *out = nullptr);
    bool startBroker();

    QTemporaryDir m_dir;
    QString m_home;
    QString m_cache;
    MosquittoLauncher m_broker;
    QHash<QString, QString> m_secret;  // name -> value
    QString m_ca, m_serverCert, m_serverKey, m_opCert, m_opKey;
    // Figures.
    qint64 m_bytesScanned = 0;
    int m_filesScanned = 0;
    int m_processesScanned = 0;
    int m_outputsScanned = 0;
    int m_flows = 0;
    int m_crashes = 0;
    bool m_guiChecked = false;
};

QStringList TestSecretsNeverLeak::environment(const QStringList &secrets) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"FLEETDECK_PASSWORD", "FLEETDECK_KEY_PASSPHRASE", "FLEETDECK_CA_PASSPHRASE",
                             "FLEETDECK_RELEASE_KEY_PASSPHRASE", "OPERATOR_KEY_PASSPHRASE"})
        env.remove(QString::fromLatin1(name));
    env.insert(QStringLiteral("HOME"), m_home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home + QStringLiteral("/.config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home + QStringLiteral("/.local/share"));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), m_home + QStringLiteral("/.cache"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    // Every log line FleetDeck has, so a secret in a debug message shows up too.
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("fleetdeck.*=true"));
    for (const QString &s : secrets)
        env.insert(s.section(u'=', 0, 0), s.section(u'=', 1));
    return env.toStringList();
}

void TestSecretsNeverLeak::scan(const QByteArray &bytes, const QString &where, const QStringList &secrets)
{
    m_bytesScanned += bytes.size();
    for (const QString &name : secrets) {
        const QString secret = m_secret.value(name);
        for (const QByteArray &form : formsOf(secret))
            QVERIFY2(!bytes.contains(form),
                     qPrintable(QStringLiteral("the %1 (as \"%2\") is in %3").arg(name, QString::fromLatin1(form), where)));
    }
}

void TestSecretsNeverLeak::scanFiles(const QString &dir, const QStringList &secrets)
{
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue;  // a -shm that went away meanwhile
        ++m_filesScanned;
        scan(f.readAll(), path, secrets);
    }
}

void TestSecretsNeverLeak::scanProcesses(qint64 pid, const QString &what, const QStringList &secrets,
                                         bool environMayHave)
{
    QList<qint64> pids{pid};
    pids += descendantsOf(pid);
    for (qint64 p : std::as_const(pids)) {
        const QByteArray cmdline = procFile(p, "cmdline");
        ++m_processesScanned;
        const QString name = QStringLiteral("the command line of %1 (pid %2: %3)")
                                 .arg(what)
                                 .arg(p)
                                 .arg(QString::fromLocal8Bit(QByteArray(cmdline).replace('\0', ' ')));
        scan(cmdline, name, secrets);
        if (!environMayHave)
            scan(procFile(p, "environ"), QStringLiteral("the environment of %1 (pid %2)").arg(what).arg(p), secrets);
    }
}

void TestSecretsNeverLeak::scanOutput(ChildProcess &child, const QStringList &secrets)
{
    ++m_outputsScanned;
    scan(child.standardError(), QStringLiteral("the stderr of a child"), secrets);
    scan(child.standardOutput(), QStringLiteral("the stdout of a child"), secrets);
}

int TestSecretsNeverLeak::ctl(const QStringList &arguments, const QStringList &env, QByteArray *out)
{
    ChildProcess p(QStringLiteral("ctl ") + arguments.value(0));
    p.setEnvironment(env);
    if (!p.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")), arguments) || !p.waitForFinished(60000))
        return -1;
    ++m_flows;
    scanOutput(p, m_secret.keys());
    if (out)
        *out = p.standardOutput();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

void TestSecretsNeverLeak::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (MosquittoLauncher::findExecutable().isEmpty())
        QFAIL(qPrintable(MosquittoLauncher::installHint()));
    m_home = m_dir.filePath(QStringLiteral("home"));
    QDir().mkpath(m_home);
    m_cache = m_dir.filePath(QStringLiteral("data/cache.sqlite"));
    QDir().mkpath(m_dir.filePath(QStringLiteral("data")));
    m_secret = {{QStringLiteral("CA passphrase"), randomSecret("ca")},
                {QStringLiteral("operator key passphrase"), randomSecret("opkey")},
                {QStringLiteral("release key passphrase"), randomSecret("release")},
                {QStringLiteral("broker password"), randomSecret("broker")}};
    // The search finds a secret inside longer encoded text at every alignment.
    const QString probe = m_secret.value(QStringLiteral("broker password"));
    for (const QByteArray &around : {QByteArray(), QByteArray("a"), QByteArray("ab")}) {
        const QByteArray blob = around + probe.toUtf8() + "tail";
        const QList<QByteArray> encoded{blob.toBase64(), blob.toHex(), blob};
        for (const QByteArray &text : encoded) {
            bool found = false;
            for (const QByteArray &form : formsOf(probe))
                found = found || text.contains(form);
            QVERIFY2(found, text.constData());
        }
    }
}

void TestSecretsNeverLeak::cleanupTestCase()
{
    m_broker.stop();
    // The data folder and HOME once every process has ended: settings, cache, operations store.
    scanFiles(m_dir.path(), m_secret.keys());
    QJsonObject figures;
    figures.insert(QStringLiteral("secrets"), int(m_secret.size()));
    figures.insert(QStringLiteral("forms_per_secret"), int(formsOf(m_secret.constBegin().value()).size()));
    figures.insert(QStringLiteral("flows_run"), m_flows);
    figures.insert(QStringLiteral("files_scanned"), m_filesScanned);
    figures.insert(QStringLiteral("bytes_scanned"), double(m_bytesScanned));
    figures.insert(QStringLiteral("process_cmdlines_scanned"), m_processesScanned);
    figures.insert(QStringLiteral("outputs_scanned"), m_outputsScanned);
    figures.insert(QStringLiteral("crashes"), m_crashes);
    figures.insert(QStringLiteral("gui_keychain_profile_checked"), m_guiChecked);
    figures.insert(QStringLiteral("leaks"), 0);
    ReliabilityReport::write(QStringLiteral("secrets_never_leak"), figures);
}

void TestSecretsNeverLeak::pkiAndReleaseKeysKeepTheirPassphrases()
{
    const QString ca = QStringLiteral("FLEETDECK_CA_PASSPHRASE=") + m_secret.value(QStringLiteral("CA passphrase"));
    const QString op = QStringLiteral("OPERATOR_KEY_PASSPHRASE=")
                       + m_secret.value(QStringLiteral("operator key passphrase"));
    const QString rel = QStringLiteral("FLEETDECK_RELEASE_KEY_PASSPHRASE=")
                        + m_secret.value(QStringLiteral("release key passphrase"));
    const QString pki = m_dir.filePath(QStringLiteral("pki"));
    QDir().mkpath(pki);
    m_ca = pki + QStringLiteral("/chain.pem");
    m_serverCert = pki + QStringLiteral("/server.crt");
    m_serverKey = pki + QStringLiteral("/server.key");
    m_opCert = pki + QStringLiteral("/operator.crt");
    m_opKey = pki + QStringLiteral("/operator.key");
    const QString db = QStringLiteral("--db");

    QCOMPARE(ctl({QStringLiteral("pki"), QStringLiteral("init"), db, m_cache, QStringLiteral("--name"),
                  QStringLiteral("fleet")},
                 environment({ca})),
             0);
    QCOMPARE(ctl({QStringLiteral("pki"), QStringLiteral("export-ca"), db, m_cache, QStringLiteral("--out"), m_ca},
                 environment({ca})),
             0);
    QCOMPARE(ctl({QStringLiteral("pki"), QStringLiteral("issue-server"), db, m_cache, QStringLiteral("--host"),
                  QStringLiteral("localhost"), QStringLiteral("--host"), QStringLiteral("127.0.0.1"),
                  QStringLiteral("--out-cert"), m_serverCert, QStringLiteral("--out-key"), m_serverKey},
                 environment({ca})),
             0);
    QCOMPARE(ctl({QStringLiteral("pki"), QStringLiteral("issue-client"), db, m_cache, QStringLiteral("--cn"),
                  QStringLiteral("fleetdeck-operator"), QStringLiteral("--kind"), QStringLiteral("operator"),
                  QStringLiteral("--out-cert"), m_opCert, QStringLiteral("--out-key"), m_opKey,
                  QStringLiteral("--key-passphrase-env"), QStringLiteral("OPERATOR_KEY_PASSPHRASE")},
                 environment({ca, op})),
             0);
    QFile key(m_opKey);
    QVERIFY(key.open(QIODevice::ReadOnly));
    QVERIFY2(key.readAll().contains("ENCRYPTED"), "the operator key was written without its passphrase");
    // A wrong passphrase is refused without echoing either one.
    QVERIFY(ctl({QStringLiteral("pki"), QStringLiteral("issue-server"), db, m_cache, QStringLiteral("--host"),
                 QStringLiteral("x.invalid"), QStringLiteral("--out-cert"), pki + QStringLiteral("/x.crt"),
                 QStringLiteral("--out-key"), pki + QStringLiteral("/x.key")},
                environment({QStringLiteral("FLEETDECK_CA_PASSPHRASE=") + m_secret.value(QStringLiteral("broker password"))}))
            != 0);

    QCOMPARE(ctl({QStringLiteral("keys"), QStringLiteral("create"), db, m_cache, QStringLiteral("--name"),
                  QStringLiteral("release-1")},
                 environment({rel})),
             0);
    const QString firmware = m_dir.filePath(QStringLiteral("firmware.bin"));
    {
        QFile f(firmware);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'f'));
    }
    QCOMPARE(ctl({QStringLiteral("artifact"), QStringLiteral("import"), db, m_cache, QStringLiteral("--version"),
                  QStringLiteral("2.4.0"), QStringLiteral("--models"), QStringLiteral("m1"),
                  QStringLiteral("--sign-with"), QStringLiteral("release-1"), firmware},
                 environment({rel})),
             0);
    scanFiles(m_dir.path(), m_secret.keys());
}

bool TestSecretsNeverLeak::startBroker()
{
    if (m_broker.isRunning())
        return true;
    MosquittoLauncher::Options options;
    options.caFile = m_ca;
    options.certFile = m_serverCert;
    options.keyFile = m_serverKey;
    options.credentials = BrokerCredentials{QStringLiteral("operator"), m_secret.value(QStringLiteral("broker password"))};
    QString error;
    if (!m_broker.start(options, &error)) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    return true;
}

void TestSecretsNeverLeak::recordAndSimulatorKeepThePasswordAndKeyPassphrase()
{
    if (m_ca.isEmpty() || !QFileInfo::exists(m_opKey))
        QSKIP("needs the PKI of pkiAndReleaseKeysKeepTheirPassphrases");
    QVERIFY(startBroker());
    const QString url = QStringLiteral("mqtts://127.0.0.1:%1").arg(m_broker.port());
    const QString password = QStringLiteral("FLEETDECK_PASSWORD=") + m_secret.value(QStringLiteral("broker password"));
    const QString keyPass = QStringLiteral("FLEETDECK_KEY_PASSPHRASE=")
                            + m_secret.value(QStringLiteral("operator key passphrase"));
    // The broker (a child of this test) has the password hashed in a file of its own.
    scanProcesses(::getpid(), QStringLiteral("the test and mosquitto"), m_secret.keys(), /*environMayHave=*/false);

    ChildProcess record(QStringLiteral("record"));
    record.setEnvironment(environment({password, keyPass}));
    QVERIFY(record.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")),
                         {QStringLiteral("record"), QStringLiteral("--broker"), QStringLiteral("site=") + url,
                          QStringLiteral("--db"), m_cache, QStringLiteral("--username"), QStringLiteral("operator"),
                          QStringLiteral("--ca"), m_ca, QStringLiteral("--cert"), m_opCert, QStringLiteral("--key"),
                          m_opKey, QStringLiteral("--no-sparkplug"), QStringLiteral("--client-id"),
                          QStringLiteral("rel-secrets-record")}));
    QVERIFY2(record.waitForStderr("record: connected", 30000), record.standardError().constData());
    ChildProcess sim(QStringLiteral("sim"));
    sim.setEnvironment(environment({password}));
    QVERIFY(sim.start(ChildProcess::bin(QStringLiteral("fleetdeck-sim")),
                      {QStringLiteral("--broker"), url, QStringLiteral("--cafile"), m_ca, QStringLiteral("--username"),
                       QStringLiteral("operator"), QStringLiteral("--devices"), QStringLiteral("6"),
                       QStringLiteral("--devices-per-process"), QStringLiteral("2"), QStringLiteral("--rate"),
                       QStringLiteral("5"), QStringLiteral("--client-id-prefix"), QStringLiteral("rel-secrets-")}));
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     RawDb raw(m_cache);
                     return raw.integer("SELECT count(*) FROM device_keys WHERE source = 'site'") >= 6;
                 },
                 30000),
             qPrintable(QString::fromLocal8Bit(record.standardError() + sim.standardError()).right(3000)));
    // While they run: their command lines (the simulator's device processes too), the
    // environment of processes that were given no secret, the cache and its -wal / -shm.
    scanProcesses(record.pid(), QStringLiteral("fleetdeckctl record"), m_secret.keys(), true);
    scanProcesses(sim.pid(), QStringLiteral("fleetdeck-sim"), m_secret.keys(), true);
    QVERIFY2(!descendantsOf(sim.pid()).isEmpty(), "the simulator started no device processes");
    for (qint64 child : descendantsOf(sim.pid()))  // they get the password, and nothing else
        for (const QString &name : {QStringLiteral("CA passphrase"), QStringLiteral("operator key passphrase"),
                                    QStringLiteral("release key passphrase")})
            scan(procFile(child, "environ"), QStringLiteral("the environment of a device process"), {name});
    scanFiles(m_dir.path(), m_secret.keys());
    QVERIFY(sim.terminate());
    QVERIFY(record.terminate());
    QCOMPARE(record.exitCode(), 0);
    scanOutput(record, m_secret.keys());
    scanOutput(sim, m_secret.keys());
    m_flows += 2;

    // A wrong password and a wrong key passphrase: refused, neither value echoed.
    const QStringList wrongOnes{
        QStringLiteral("FLEETDECK_PASSWORD=") + m_secret.value(QStringLiteral("CA passphrase")),
        QStringLiteral("FLEETDECK_KEY_PASSPHRASE=") + m_secret.value(QStringLiteral("release key passphrase"))};
    for (const QString &wrong : wrongOnes) {
        ChildProcess bad(QStringLiteral("record-bad"));
        bad.setEnvironment(environment(wrong.startsWith(u"FLEETDECK_PASSWORD") ? QStringList{wrong, keyPass}
                                                                                : QStringList{password, wrong}));
        QVERIFY(bad.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")),
                          {QStringLiteral("record"), QStringLiteral("--broker"), QStringLiteral("site=") + url,
                           QStringLiteral("--db"), m_cache, QStringLiteral("--username"), QStringLiteral("operator"),
                           QStringLiteral("--ca"), m_ca, QStringLiteral("--cert"), m_opCert, QStringLiteral("--key"),
                           m_opKey, QStringLiteral("--no-sparkplug"), QStringLiteral("--duration"),
                           QStringLiteral("6")}));
        QVERIFY(bad.waitForFinished(40000));
        scanOutput(bad, m_secret.keys());
        ++m_flows;
    }
}

void TestSecretsNeverLeak::crashOutputHasNoSecret()
{
    if (!m_broker.isRunning())
        QSKIP("needs the broker of recordAndSimulatorKeepThePasswordAndKeyPassphrase");
    const QString url = QStringLiteral("mqtts://127.0.0.1:%1").arg(m_broker.port());
    for (int sig : {SIGSEGV, SIGABRT}) {
        ChildProcess record(QStringLiteral("record-crash"));
        record.setEnvironment(environment(
            {QStringLiteral("FLEETDECK_PASSWORD=") + m_secret.value(QStringLiteral("broker password")),
             QStringLiteral("FLEETDECK_KEY_PASSPHRASE=") + m_secret.value(QStringLiteral("operator key passphrase"))}));
        QVERIFY(record.start(ChildProcess::bin(QStringLiteral("fleetdeckctl")),
                             {QStringLiteral("record"), QStringLiteral("--broker"), QStringLiteral("site=") + url,
                              QStringLiteral("--db"), m_cache, QStringLiteral("--username"),
                              QStringLiteral("operator"), QStringLiteral("--ca"), m_ca, QStringLiteral("--cert"),
                              m_opCert, QStringLiteral("--key"), m_opKey, QStringLiteral("--no-sparkplug")}));
        QVERIFY(record.waitForStderr("record: connected", 30000));
        scanFiles(m_dir.path(), m_secret.keys());
        ::kill(pid_t(record.pid()), sig);
        QVERIFY(record.waitForFinished(20000));
        // Under ASan a SIGSEGV is ASan's report and exit code 1: its output is scanned all the same.
        QVERIFY(record.exitStatus() == QProcess::CrashExit
                || (ReliabilityConfig::sanitized() && record.exitCode() != 0));
        scanOutput(record, m_secret.keys());
        ++m_crashes;
    }
    scanFiles(m_dir.path(), m_secret.keys());
}

void TestSecretsNeverLeak::guiWithAKeychainProfileKeepsItsPassword()
{
    if (!startBroker())
        QFAIL("no broker");
    // The profile as the connection dialog saves it: settings without the password, the
    // password in the keychain, bound to the broker.
    const QString url = QStringLiteral("mqtts://127.0.0.1:%1").arg(m_broker.port());
    const std::optional<BrokerUrl> broker = BrokerUrl::parse(url);
    QVERIFY(broker);
    {
        QSettings settings(m_home + QStringLiteral("/.config/FleetDeck/fleetdeck.conf"), QSettings::IniFormat);
        ConnectionProfile profile;
        profile.name = QStringLiteral("site-gui");
        profile.broker = *broker;
        profile.username = QStringLiteral("operator");
        profile.caFile = m_ca;
        profile.sparkplug = false;
        QString error;
        QVERIFY2(ProfileStore(settings).save(profile, &error), qPrintable(error));
        settings.sync();
    }
    KeychainSecretStore keychain;
    bool done = false;
    QString keychainError;
    ProfileSecrets(keychain).store(QStringLiteral("site-gui"), ProfileSecrets::Kind::Password, *broker,
                                   m_secret.value(QStringLiteral("broker password")),
                                   [&](const SecretStore::Result &r) {
                                       done = true;
                                       if (!r.ok)
                                           keychainError = r.error.isEmpty() ? QStringLiteral("failed") : r.error;
                                   });
    QVERIFY(QTest::qWaitFor([&] { return done; }, 20000));
    if (!keychainError.isEmpty())
        QSKIP(qPrintable(QStringLiteral("no keychain here (run under ./run.sh test, whose with_keyring starts "
                                        "gnome-keyring on a private D-Bus session): ")
                         + keychainError));

    const QString guiCache = m_dir.filePath(QStringLiteral("data/gui-cache.sqlite"));
    ChildProcess gui(QStringLiteral("gui"));
    gui.setEnvironment(environment());
    QVERIFY(gui.start(ChildProcess::bin(QStringLiteral("fleetdeck")),
                      {QStringLiteral("--db"), guiCache, QStringLiteral("--profile"), QStringLiteral("site-gui")}));
    ChildProcess sim(QStringLiteral("sim"));
    sim.setEnvironment(environment({QStringLiteral("FLEETDECK_PASSWORD=")
                                    + m_secret.value(QStringLiteral("broker password"))}));
    QVERIFY(sim.start(ChildProcess::bin(QStringLiteral("fleetdeck-sim")),
                      {QStringLiteral("--broker"), url, QStringLiteral("--cafile"), m_ca, QStringLiteral("--username"),
                       QStringLiteral("operator"), QStringLiteral("--devices"), QStringLiteral("3"),
                       QStringLiteral("--rate"), QStringLiteral("5"), QStringLiteral("--client-id-prefix"),
                       QStringLiteral("rel-secrets-gui-")}));
    // Connected with the keychain's password: the devices reach the GUI's cache.
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     RawDb raw(guiCache);
                     return raw.isOpen() && raw.integer("SELECT count(*) FROM device_keys") >= 3;
                 },
                 40000),
             gui.standardError().right(3000).constData());
    // The GUI was given no secret: neither its command line nor its environment has one.
    scanProcesses(gui.pid(), QStringLiteral("fleetdeck"), m_secret.keys(), /*environMayHave=*/false);
    scanFiles(m_dir.path(), m_secret.keys());
    QVERIFY(sim.terminate());
    QVERIFY(gui.terminate());
    scanOutput(gui, m_secret.keys());
    scanOutput(sim, m_secret.keys());
    m_flows += 2;
    // And what it prints when it crashes.
    ChildProcess crash(QStringLiteral("gui-crash"));
    crash.setEnvironment(environment());
    QVERIFY(crash.start(ChildProcess::bin(QStringLiteral("fleetdeck")),
                        {QStringLiteral("--db"), guiCache, QStringLiteral("--profile"), QStringLiteral("site-gui")}));
    QVERIFY(QTest::qWaitFor([&] { return crash.standardError().contains("connected") || !crash.isRunning(); }, 30000));
    ::kill(pid_t(crash.pid()), SIGABRT);
    QVERIFY(crash.waitForFinished(20000));
    scanOutput(crash, m_secret.keys());
    ++m_crashes;
    scanFiles(m_dir.path(), m_secret.keys());
    m_guiChecked = true;
}

QTEST_GUILESS_MAIN(TestSecretsNeverLeak)
#include "test_secrets_never_leak.moc"
