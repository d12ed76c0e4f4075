#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace fd::test {

// A FleetDeck executable (fleetdeckctl, fleetdeck-sim, fleetdeck, a test child) run for a
// reliability test: stderr is kept (and echoed with a tag, so a failing run tells what the
// child said), waits are for what it prints, and it can be killed for real (SIGKILL) or
// stopped like a user would (SIGTERM).
class ChildProcess
{
public:
    explicit ChildProcess(QString tag);
    ~ChildProcess();  // SIGKILL if still running
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    // The path of a built executable (FLEETDECK_BIN_DIR).
    static QString bin(const QString &name);

    void setEnvironment(const QStringList &environment) { m_process.setEnvironment(environment); }
    bool start(const QString &program, const QStringList &arguments, int timeoutMs = 10000);
    // Waits until stderr (everything since start) contains text, the child ends, or the time is up.
    bool waitForStderr(const QByteArray &text, int timeoutMs);
    bool waitForFinished(int timeoutMs);
    void killHard();                        // SIGKILL, then reaped
    bool terminate(int timeoutMs = 20000);  // SIGTERM; true if it ended by itself in time
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 pid() const { return m_process.processId(); }
    int exitCode() const { return m_process.exitCode(); }
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }
    QByteArray standardError();  // everything so far
    QByteArray standardOutput();  // everything so far
    // Resident memory now / at its peak (VmRSS / VmHWM), in KiB; -1 if unknown (not Linux, gone).
    qint64 residentKiB() const;
    qint64 peakResidentKiB() const;

private:
    void drain();
    qint64 statusField(const char *name) const;

    QString m_tag;
    QProcess m_process;
    QByteArray m_stderr;
    QByteArray m_stdout;
};

} // namespace fd::test
