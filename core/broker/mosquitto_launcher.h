#pragma once

#include "core/broker/broker_credentials.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace fd {

// Runs a private mosquitto as a child process on 127.0.0.1 with a generated configuration in
// a private temp dir (0700, files 0600; demo mode, tests, benchmarks). With credentials, only
// that account may connect (a hashed password_file, allow_anonymous false). Started by root,
// the broker runs as the unprivileged user "mosquitto" (the private dir and its files, TLS
// files copied in, belong to that user); only if there is no such user does it stay root
// ("user root" in the config, logged). Options::persistenceDir keeps retained messages and
// sessions across restarts. On Linux the child gets SIGTERM if we die
// (PR_SET_PDEATHSIG, armed after the user switch), so a crash leaves no orphan broker.
class MosquittoLauncher : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        quint16 port = 0;               // 0: pick a free loopback port
        // TLS listener (all three set): PEM files readable by us.
        QString caFile;
        QString certFile;
        QString keyFile;
        bool requireClientCertificate = false;  // needs caFile: the CA client certificates chain to
        // Certificate revocation list (PEM) of that CA; the broker refuses revoked client
        // certificates on new connections. Re-read by reload().
        QString crlFile;
        // The client certificate's CN is the client's user name (needs requireClientCertificate;
        // no password). Anonymous clients are refused.
        bool useIdentityAsUsername = false;
        // Access control list (mosquitto acl_file syntax, e.g. MosquittoAcl::render()): either
        // a file (copied into the private dir; re-read by reload()) or its lines. Empty: every
        // client may use every topic.
        QString aclFile;
        QStringList aclLines;
        // Set: only this account may connect. Empty: anonymous clients are allowed.
        BrokerCredentials credentials;
        int maxQueuedMessages = 100000;  // per client; set explicitly so loss is deliberate
        int maxInflightMessages = 100;
        QStringList extraConfigLines;    // appended verbatim
        // Set: the broker keeps its retained messages and sessions in this folder
        // (mosquitto.db, saved every second and when it stops; created if missing), so a
        // broker started again on the same folder (any port) has them back. Started by root,
        // the folder is given to the broker's account; when that account cannot reach it (a
        // private home folder) the broker stays root. Empty: nothing is kept (tests, benchmarks).
        QString persistenceDir;
        QStringList environment;         // "NAME=value" added to the broker's environment
        int startTimeoutMs = 5000;
        QString executable;              // empty: findExecutable()
        // Started by root: the account the broker runs as (empty: stay root).
        QString unprivilegedUser = QStringLiteral("mosquitto");
    };

    // Picks the port of one start attempt when Options::port is 0.
    using PortPicker = std::function<quint16()>;
    // A port picked free is released before mosquitto binds it, so another program may take
    // it in between: start() then tries another one, this many ports in all.
    static constexpr int kMaxPortAttempts = 5;

    explicit MosquittoLauncher(QObject *parent = nullptr);  // picks ports with freePort()
    explicit MosquittoLauncher(PortPicker pickPort, QObject *parent = nullptr);
    ~MosquittoLauncher() override;  // stops the broker

    // Starts and waits until the port accepts connections. False with a reason otherwise
    // (not installed: says how to install it; port in use; config rejected: mosquitto's log).
    // A picked port (Options::port 0) that turns out to be taken is replaced by another one,
    // up to kMaxPortAttempts; a requested port is not.
    bool start(const Options &options, QString *error = nullptr);
    void stop();
    bool isRunning() const;

    // Makes the running broker read its TLS files, CRL and ACL again (copied anew from the
    // paths of the options it was started with, so edit those files in place first): SIGHUP.
    // mosquitto 2.0.11 reloads the CRL and the ACL on SIGHUP (tested: a certificate revoked
    // in the new CRL cannot connect after it, one that is not still can), but it does not
    // drop clients already connected: a revoked device stays online until it reconnects.
    // Returns once mosquitto logged the reload. Where there are no signals (Windows) it
    // restarts the broker on the same port and persistence folder instead, which does drop
    // every client. False with a reason when the broker is not running or the files cannot
    // be copied.
    bool reload(QString *error = nullptr);

    quint16 port() const;
    QString url() const;         // mqtt://127.0.0.1:PORT or mqtts://127.0.0.1:PORT
    QString log() const;         // what mosquitto printed so far
    QString configPath() const;
    qint64 processId() const;    // of the running broker, 0 if none

    // Absolute path of the mosquitto binary (PATH, /usr/sbin, /usr/local/sbin, Homebrew), or empty.
    static QString findExecutable();
    // What to tell a user who has none, for this platform.
    static QString installHint();
    // A loopback TCP port that was free a moment ago.
    static quint16 freePort();

signals:
    void exitedUnexpectedly(const QString &log);

private:
    enum class Attempt;
    Attempt startOnce(const QString &exe, QString *reason);
    bool copyFiles(QString *reason);
    bool restartInPlace(QString *error);

    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace fd
