#include "core/platform/termination_watcher.h"

#include <QSocketNotifier>

#include <csignal>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace fd {

namespace {
#ifdef Q_OS_UNIX
int g_pipe[2] = {-1, -1};

void onSignal(int signalNumber)
{
    const char byte = char(signalNumber);
    // write() is async-signal-safe; a full pipe just means a shutdown is already pending.
    [[maybe_unused]] const auto written = ::write(g_pipe[0], &byte, 1);
}
#else
TerminationWatcher *g_watcher = nullptr;

void onSignal(int signalNumber)
{
    QMetaObject::invokeMethod(g_watcher, [signalNumber] { emit g_watcher->terminationRequested(signalNumber); },
                              Qt::QueuedConnection);
}
#endif
} // namespace

struct TerminationWatcher::Impl
{
    std::unique_ptr<QSocketNotifier> notifier;
};

TerminationWatcher::TerminationWatcher(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>())
{
#ifdef Q_OS_UNIX
    if (g_pipe[0] < 0 && ::socketpair(AF_UNIX, SOCK_STREAM, 0, g_pipe) != 0) {
        qWarning("fleetdeck: cannot create the signal socket pair; SIGINT/SIGTERM will not shut down cleanly");
        return;
    }
    d->notifier = std::make_unique<QSocketNotifier>(g_pipe[1], QSocketNotifier::Read);
    connect(d->notifier.get(), &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        if (::read(g_pipe[1], &byte, 1) == 1)
            emit terminationRequested(int(byte));
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
#else
    g_watcher = this;
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
#endif
}

TerminationWatcher::~TerminationWatcher()
{
#ifdef Q_OS_UNIX
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
#else
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    g_watcher = nullptr;
#endif
}

} // namespace fd
