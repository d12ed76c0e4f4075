#include "tests/reliability/child_process.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>

#include <csignal>
#include <cstdio>

#include <sys/types.h>

namespace fd::test {

ChildProcess::ChildProcess(QString tag)
    : m_tag(std::move(tag))
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
}

ChildProcess::~ChildProcess()
{
    if (isRunning())
        killHard();
}

QString ChildProcess::bin(const QString &name)
{
    return QDir(QStringLiteral(FLEETDECK_BIN_DIR)).filePath(name);
}

bool ChildProcess::start(const QString &program, const QStringList &arguments, int timeoutMs)
{
    m_stderr.clear();
    m_stdout.clear();
    m_process.start(program, arguments);
    if (!m_process.waitForStarted(timeoutMs)) {
        std::fprintf(stderr, "[%s] did not start: %s\n", qPrintable(m_tag), qPrintable(m_process.errorString()));
        return false;
    }
    return true;
}

void ChildProcess::drain()
{
    const QByteArray err = m_process.readAllStandardError();
    if (!err.isEmpty()) {
        m_stderr += err;
        if (qEnvironmentVariableIntValue("FLEETDECK_RELIABILITY_VERBOSE") == 1)
            std::fprintf(stderr, "[%s] %s", qPrintable(m_tag), err.constData());
    }
    m_stdout += m_process.readAllStandardOutput();
}

bool ChildProcess::waitForStderr(const QByteArray &text, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        drain();
        if (m_stderr.contains(text))
            return true;
        if (!isRunning() || deadline.hasExpired())
            break;
        m_process.waitForReadyRead(int(qBound(qint64(1), deadline.remainingTime(), qint64(100))));
    }
    drain();
    std::fprintf(stderr, "[%s] waited for \"%s\"; it said:\n%s\n", qPrintable(m_tag), text.constData(),
                 m_stderr.right(4000).constData());
    return false;
}

bool ChildProcess::waitForFinished(int timeoutMs)
{
    const bool done = m_process.waitForFinished(timeoutMs);
    drain();
    return done;
}

void ChildProcess::killHard()
{
    if (!isRunning())
        return;
    ::kill(pid_t(m_process.processId()), SIGKILL);
    m_process.waitForFinished(10000);
    drain();
}

bool ChildProcess::terminate(int timeoutMs)
{
    if (!isRunning())
        return true;
    ::kill(pid_t(m_process.processId()), SIGTERM);
    const bool ended = m_process.waitForFinished(timeoutMs);
    if (!ended)
        killHard();
    drain();
    return ended;
}

QByteArray ChildProcess::standardError()
{
    drain();
    return m_stderr;
}

QByteArray ChildProcess::standardOutput()
{
    drain();
    return m_stdout;
}

qint64 ChildProcess::statusField(const char *name) const
{
    if (!isRunning())
        return -1;
    QFile file(QStringLiteral("/proc/%1/status").arg(m_process.processId()));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray key = QByteArray(name) + ':';
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

qint64 ChildProcess::residentKiB() const
{
    return statusField("VmRSS");
}

qint64 ChildProcess::peakResidentKiB() const
{
    return statusField("VmHWM");
}

} // namespace fd::test
