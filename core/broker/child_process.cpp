#include "core/broker/child_process.h"

#include <QProcess>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif
#ifdef Q_OS_UNIX
#include <grp.h>
#include <unistd.h>
#endif

namespace fd {

void ChildProcess::terminateWithParent(QProcess &process)
{
#ifdef Q_OS_LINUX
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#else
    Q_UNUSED(process);
#endif
}

void ChildProcess::killWithParent(QProcess &process)
{
#ifdef Q_OS_LINUX
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
#else
    Q_UNUSED(process);
#endif
}

void ChildProcess::terminateWithParentAs(QProcess &process, uint uid, uint gid)
{
#ifdef Q_OS_UNIX
    const pid_t parent = ::getpid();
    process.setChildProcessModifier([uid, gid, parent] {
        // Between fork and exec: async-signal-safe calls only.
        if (::setgroups(0, nullptr) != 0 || ::setgid(gid_t(gid)) != 0 || ::setuid(uid_t(uid)) != 0
            || ::getuid() != uid_t(uid)) {
            static const char message[] = "fleetdeck: cannot switch the child process to its unprivileged user\n";
            [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, message, sizeof(message) - 1);
            ::_exit(kCannotSwitchUser);
        }
#ifdef Q_OS_LINUX
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)  // the parent died before the signal was armed
            ::_exit(0);
#endif
    });
#else
    Q_UNUSED(process);
    Q_UNUSED(uid);
    Q_UNUSED(gid);
#endif
}

void ChildProcess::stop(QProcess &process, int graceMs)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(graceMs)) {
        process.kill();
        process.waitForFinished(2000);
    }
}

} // namespace fd
