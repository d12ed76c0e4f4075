#include "core/broker/mosquitto_launcher.h"

#include "core/broker/broker_logging.h"
#include "core/broker/child_process.h"
#include "core/broker/mosquitto_config.h"
#include "core/broker/mosquitto_password_file.h"
#include "core/broker/system_account.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>

#include <optional>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <csignal>
#include <cstring>
#include <unistd.h>
#endif

namespace fd {

namespace {

constexpr qsizetype kMaxLogBytes = 256 * 1024;

bool runningAsRoot()
{
#ifdef Q_OS_UNIX
    return ::geteuid() == 0;
#else
    return false;
#endif
}

} // namespace

struct MosquittoLauncher::Impl
{
    PortPicker pickPort;
    Options options;
    Options brokerOptions;                 // as the broker sees them: TLS files in the private dir
    std::optional<SystemAccount> account;  // set: the broker runs as this user (we are root)
    quint16 port = 0;
    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<QProcess> process;
    QByteArray log;
    qint64 reloads = 0;  // "Reloading config." lines seen (SIGHUP handled)
    bool stopping = false;

    void readLog()
    {
        if (!process)
            return;
        const QByteArray chunk = process->readAll();
        reloads += chunk.count("Reloading config.");
        log += chunk;
        if (log.size() > kMaxLogBytes)
            log = log.right(kMaxLogBytes);
    }

    QString configPath() const { return dir->filePath(QStringLiteral("mosquitto.conf")); }
    QString passwordFilePath() const { return dir->filePath(QStringLiteral("passwords")); }
    QString aclPath() const { return dir->filePath(QStringLiteral("acl")); }
    bool hasAcl() const { return !options.aclFile.isEmpty() || !options.aclLines.isEmpty(); }

    // Creates or replaces a file in the private dir, readable and writable by its owner only
    // (the broker's account, when it runs as another user).
    bool writePrivateFile(const QString &path, const QByteArray &content, QString *error) const
    {
        QFile::remove(path);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner)
            || file.write(content) != content.size() || !file.flush()) {
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
            return false;
        }
        file.close();
        return !account || account->takeOwnership(path, error);
    }

    // A private copy of a TLS file the broker must read (the original may sit in a folder
    // only we can enter, e.g. a test's temp dir).
    bool copyPrivate(QString *path, const QString &name, QString *error) const
    {
        if (path->isEmpty())
            return true;
        QFile source(*path);
        if (!source.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1: %2").arg(*path, source.errorString());
            return false;
        }
        const QString copy = dir->filePath(name);
        if (!writePrivateFile(copy, source.readAll(), error))
            return false;
        *path = copy;
        return true;
    }

    // Options::persistenceDir: the folder exists, and the broker's account (started by root)
    // owns it and its database; an account that cannot reach it leaves the broker root.
    bool preparePersistence(QString *error)
    {
        if (options.persistenceDir.isEmpty())
            return true;
        const QString path = QFileInfo(options.persistenceDir).absoluteFilePath();
        if (!QDir().mkpath(path)) {
            *error = QStringLiteral("cannot create the broker's persistence folder %1").arg(path);
            return false;
        }
        if (!account)
            return true;
        if (QString why; !account->canEnter(path, &why)) {
            qCWarning(lcBroker).noquote()
                << QStringLiteral("the private broker runs as root: its persistence folder is out of reach (%1)").arg(why);
            account.reset();
            return true;
        }
        const QDir dir(path);
        for (const QString &name : dir.entryList({QStringLiteral("mosquitto.db*")}, QDir::Files)) {
            if (!account->takeOwnership(dir.filePath(name), error))
                return false;
        }
        return account->takeOwnership(path, error);
    }

    // Started by root: the account the broker runs as, unless there is none (then root).
    void chooseAccount()
    {
        account.reset();
        if (!runningAsRoot() || options.unprivilegedUser.isEmpty())
            return;
        QString why;
        account = SystemAccount::lookup(options.unprivilegedUser, &why);
        if (!account) {
            qCWarning(lcBroker).noquote() << "the private broker runs as root:" << why
                                          << "(create that user to run it unprivileged)";
        }
    }
};

// What one start attempt came to.
enum class MosquittoLauncher::Attempt { Started, PortInUse, CannotSwitchUser, Failed };

MosquittoLauncher::MosquittoLauncher(QObject *parent)
    : MosquittoLauncher(&MosquittoLauncher::freePort, parent)
{
}

MosquittoLauncher::MosquittoLauncher(PortPicker pickPort, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>())
{
    d->pickPort = pickPort ? std::move(pickPort) : PortPicker(&MosquittoLauncher::freePort);
}

MosquittoLauncher::~MosquittoLauncher()
{
    stop();
}

bool MosquittoLauncher::start(const Options &options, QString *error)
{
    auto fail = [&](const QString &reason) {
        qCWarning(lcBroker).noquote() << reason;
        if (error)
            *error = reason;
        stop();
        return false;
    };

    stop();
    d->options = options;
    d->log.clear();
    if (const QString problem = MosquittoConfig::problem(options); !problem.isEmpty())
        return fail(QStringLiteral("the private broker's options do not fit together: %1").arg(problem));

    QString exe = options.executable.isEmpty() ? findExecutable() : options.executable;
    if (exe.isEmpty() || !QFileInfo(exe).isExecutable()) {
        return fail(QStringLiteral("The MQTT broker \"mosquitto\" was not found%1. %2")
                        .arg(exe.isEmpty() ? QString() : QStringLiteral(" at %1").arg(exe), installHint()));
    }

    d->chooseAccount();
    if (QString why; !d->preparePersistence(&why))
        return fail(why);
    d->dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/fleetdeck-broker-XXXXXX"));
    if (!d->dir->isValid())
        return fail(QStringLiteral("cannot create a temporary directory: %1").arg(d->dir->errorString()));
    if (QString why; d->account && !d->account->takeOwnership(d->dir->path(), &why))
        return fail(why);
    if (QString why; !copyFiles(&why))
        return fail(why);

    if (!options.credentials.isEmpty()) {
        const QByteArray entry = MosquittoPasswordFile::entry(options.credentials.username, options.credentials.password);
        if (entry.isEmpty())
            return fail(QStringLiteral("the broker user name \"%1\" is not usable").arg(options.credentials.username));
        if (QString why; !d->writePrivateFile(d->passwordFilePath(), entry, &why))
            return fail(why);
    }

    const int attempts = options.port != 0 ? 1 : kMaxPortAttempts;
    QString reason;
    for (int attempt = 1; attempt <= attempts; ++attempt) {
        d->port = options.port != 0 ? options.port : d->pickPort();
        if (d->port == 0)
            return fail(QStringLiteral("no free TCP port on 127.0.0.1 for the private broker"));
        switch (startOnce(exe, &reason)) {
        case Attempt::Started:
            d->stopping = false;
            qCInfo(lcBroker).noquote() << "mosquitto ready at" << url();
            return true;
        case Attempt::CannotSwitchUser:
            // E.g. a container whose user namespace does not map that user: root it is.
            qCWarning(lcBroker).noquote() << "the private broker runs as root: it could not be started as"
                                          << d->account->name;
            d->account.reset();
            --attempt;  // not a port problem: does not count as an attempt
            continue;
        case Attempt::PortInUse:
            if (attempt < attempts) {
                qCInfo(lcBroker).noquote() << "port" << d->port << "was taken before mosquitto could bind it; "
                                              "trying another one";
                continue;
            }
            return fail(reason);
        case Attempt::Failed:
            return fail(reason);
        }
    }
    return fail(reason);
}

MosquittoLauncher::Attempt MosquittoLauncher::startOnce(const QString &exe, QString *reason)
{
    const Options &options = d->brokerOptions;
    if (d->process) {  // the previous attempt's broker has exited; forget it quietly
        d->stopping = true;
        d->process.reset();
    }
    d->log.clear();
    const QString conf = d->configPath();
    // Root without another account: "user root", else mosquitto would drop to "mosquitto" by
    // itself (and lose the parent-death signal).
    const bool keepRoot = runningAsRoot() && !d->account;
    const QString config = MosquittoConfig::render(options, d->port, keepRoot,
                                                   options.credentials.isEmpty() ? QString() : d->passwordFilePath(),
                                                   d->hasAcl() ? d->aclPath() : QString());
    if (!d->writePrivateFile(conf, config.toUtf8(), reason))
        return Attempt::Failed;

    d->process = std::make_unique<QProcess>();
    d->process->setProcessChannelMode(QProcess::MergedChannels);
    d->process->setWorkingDirectory(d->dir->path());
    if (!options.environment.isEmpty()) {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const QString &entry : options.environment) {
            const qsizetype eq = entry.indexOf(u'=');
            if (eq > 0)
                environment.insert(entry.left(eq), entry.mid(eq + 1));
        }
        d->process->setProcessEnvironment(environment);
    }
    if (d->account)
        ChildProcess::terminateWithParentAs(*d->process, d->account->uid, d->account->gid);
    else
        ChildProcess::terminateWithParent(*d->process);
    QProcess *process = d->process.get();
    connect(process, &QProcess::readyRead, this, [this] { d->readLog(); });
    connect(process, &QProcess::finished, this, [this, process](int code, QProcess::ExitStatus status) {
        if (process != d->process.get())
            return;
        d->readLog();
        if (d->stopping)
            return;
        const QString text = QString::fromUtf8(d->log);
        qCWarning(lcBroker).noquote() << "mosquitto exited unexpectedly (" << code << status << "):" << text;
        emit exitedUnexpectedly(text);
    });

    qCInfo(lcBroker).noquote() << "starting" << exe << "on port" << d->port
                               << (d->account ? QStringLiteral("as user %1").arg(d->account->name) : QString());
    d->stopping = true;  // until started: failures are reported through start()'s result
    d->process->start(exe, {QStringLiteral("-c"), conf});
    if (!d->process->waitForStarted(options.startTimeoutMs)) {
        *reason = QStringLiteral("cannot run %1: %2").arg(exe, d->process->errorString());
        return Attempt::Failed;
    }

    QElapsedTimer timer;
    timer.start();
    bool listening = false;
    while (timer.elapsed() < options.startTimeoutMs) {
        d->process->waitForReadyRead(20);
        d->readLog();
        if (d->process->state() == QProcess::NotRunning) {
            d->readLog();
            const QString log = QString::fromUtf8(d->log).trimmed();
            if (d->account && d->process->exitCode() == ChildProcess::kCannotSwitchUser
                && d->log.contains("cannot switch the child process")) {
                *reason = log;
                return Attempt::CannotSwitchUser;
            }
            if (d->log.contains("Address already in use")) {
                *reason = QStringLiteral("port %1 is already in use:\n%2").arg(d->port).arg(log);
                return Attempt::PortInUse;
            }
            *reason = QStringLiteral("mosquitto exited during start-up (exit code %1):\n%2")
                          .arg(d->process->exitCode())
                          .arg(log);
            return Attempt::Failed;
        }
        if (!listening) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress(QHostAddress::LocalHost), d->port);
            listening = probe.waitForConnected(200);
            probe.abort();
        }
        // "running" is logged after every listener is open; checking it too avoids taking
        // another program on a busy port for our broker.
        if (listening && d->log.contains(" running"))
            return Attempt::Started;
    }
    *reason = QStringLiteral("mosquitto did not accept connections on port %1 within %2 ms:\n%3")
                  .arg(d->port)
                  .arg(options.startTimeoutMs)
                  .arg(QString::fromUtf8(d->log).trimmed());
    return Attempt::Failed;
}

// The files the broker reads, as private copies in its dir (see Impl::copyPrivate); the ACL
// given as lines is written there.
bool MosquittoLauncher::copyFiles(QString *reason)
{
    d->brokerOptions = d->options;
    Options &b = d->brokerOptions;
    if (!d->copyPrivate(&b.caFile, QStringLiteral("ca.crt"), reason)
        || !d->copyPrivate(&b.certFile, QStringLiteral("server.crt"), reason)
        || !d->copyPrivate(&b.keyFile, QStringLiteral("server.key"), reason)
        || !d->copyPrivate(&b.crlFile, QStringLiteral("crl.pem"), reason)
        || !d->copyPrivate(&b.aclFile, QStringLiteral("acl"), reason)) {
        return false;
    }
    if (!b.aclLines.isEmpty()
        && !d->writePrivateFile(d->aclPath(), (b.aclLines.join(u'\n') + u'\n').toUtf8(), reason)) {
        return false;
    }
    return true;
}

bool MosquittoLauncher::reload(QString *error)
{
    auto fail = [&](const QString &reason) {
        qCWarning(lcBroker).noquote() << "cannot reload the private broker:" << reason;
        if (error)
            *error = reason;
        return false;
    };
    if (!isRunning())
        return fail(QStringLiteral("it is not running"));
    if (QString why; !copyFiles(&why))
        return fail(why);
#ifdef Q_OS_UNIX
    d->readLog();
    const qint64 before = d->reloads;
    if (::kill(pid_t(d->process->processId()), SIGHUP) != 0)
        return fail(QStringLiteral("SIGHUP: %1").arg(QString::fromLocal8Bit(::strerror(errno))));
    QElapsedTimer timer;
    timer.start();
    while (d->reloads == before && timer.elapsed() < d->options.startTimeoutMs) {
        if (d->process->state() != QProcess::Running)
            return fail(QStringLiteral("mosquitto exited while reloading:\n%1").arg(QString::fromUtf8(d->log).trimmed()));
        d->process->waitForReadyRead(20);
        d->readLog();
    }
    if (d->reloads == before)
        return fail(QStringLiteral("mosquitto did not confirm the reload within %1 ms").arg(d->options.startTimeoutMs));
    qCInfo(lcBroker).noquote() << "mosquitto at" << url() << "reloaded its certificates, CRL and ACL";
    return true;
#else
    return restartInPlace(error);
#endif
}

// No SIGHUP: the same broker again, on the same port and persistence folder (clients reconnect).
bool MosquittoLauncher::restartInPlace(QString *error)
{
    Options options = d->options;
    options.port = d->port;
    return start(options, error);
}

void MosquittoLauncher::stop()
{
    if (d->process) {
        d->stopping = true;
        ChildProcess::stop(*d->process);
        d->readLog();
        d->process.reset();
    }
    d->dir.reset();
}

bool MosquittoLauncher::isRunning() const
{
    return d->process && d->process->state() == QProcess::Running && !d->stopping;
}

quint16 MosquittoLauncher::port() const
{
    return d->port;
}

QString MosquittoLauncher::url() const
{
    return (MosquittoConfig::isTls(d->options) ? QStringLiteral("mqtts://127.0.0.1:") : QStringLiteral("mqtt://127.0.0.1:"))
        + QString::number(d->port);
}

QString MosquittoLauncher::log() const
{
    if (d->process)
        d->readLog();
    return QString::fromUtf8(d->log);
}

QString MosquittoLauncher::configPath() const
{
    return d->dir ? d->configPath() : QString();
}

qint64 MosquittoLauncher::processId() const
{
    return d->process ? d->process->processId() : 0;
}

QString MosquittoLauncher::findExecutable()
{
    const QString name = QStringLiteral("mosquitto");
    QString found = QStandardPaths::findExecutable(name);
    if (!found.isEmpty())
        return found;
    return QStandardPaths::findExecutable(name, {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin"),
                                                 QStringLiteral("/opt/homebrew/sbin"),
                                                 QStringLiteral("/usr/local/opt/mosquitto/sbin"),
                                                 QStringLiteral("C:/Program Files/mosquitto")});
}

QString MosquittoLauncher::installHint()
{
#if defined(Q_OS_MACOS)
    return QStringLiteral("Install it with Homebrew: brew install mosquitto");
#elif defined(Q_OS_WIN)
    return QStringLiteral("Install it from https://mosquitto.org/download/ (Windows installer).");
#else
    QFile osRelease(QStringLiteral("/etc/os-release"));
    QByteArray info;
    if (osRelease.open(QIODevice::ReadOnly))
        info = osRelease.readAll().toLower();
    if (info.contains("debian") || info.contains("ubuntu"))
        return QStringLiteral("Install it with: sudo apt-get install mosquitto");
    if (info.contains("fedora") || info.contains("rhel"))
        return QStringLiteral("Install it with: sudo dnf install mosquitto");
    if (info.contains("arch"))
        return QStringLiteral("Install it with: sudo pacman -S mosquitto");
    return QStringLiteral("Install the \"mosquitto\" package of your distribution (https://mosquitto.org/download/).");
#endif
}

quint16 MosquittoLauncher::freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress(QHostAddress::LocalHost), 0))
        return 0;
    return server.serverPort();
}

} // namespace fd
