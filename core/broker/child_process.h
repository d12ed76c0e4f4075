#pragma once

#include <QtGlobal>

class QProcess;

namespace fd {

// Helpers for child processes that must not outlive FleetDeck (private broker, simulator).
class ChildProcess
{
public:
    // On Linux the child receives SIGTERM when this process dies (PR_SET_PDEATHSIG), so a
    // crash leaves no orphan behind. Elsewhere a no-op (the destructors still stop children).
    static void terminateWithParent(QProcess &process);
    // The same with SIGKILL, for children with nothing left to do once this process is
    // gone (the demo simulator: its broker dies too, so a graceful shutdown would only wait
    // for publishes and disconnects that can no longer complete).
    static void killWithParent(QProcess &process);
    // terminateWithParent() for a child that runs as another account (uid, gid), from a
    // process running as root. The switch happens in the child before exec, and the
    // parent-death signal is set after it: Linux clears that signal when a process changes
    // its user (so mosquitto dropping privileges by itself would outlive a crashed parent).
    // If the switch fails the child prints why and exits with kCannotSwitchUser.
    static void terminateWithParentAs(QProcess &process, uint uid, uint gid);
    static constexpr int kCannotSwitchUser = 125;

    // SIGTERM, then SIGKILL after graceMs. Returns immediately if not running.
    static void stop(QProcess &process, int graceMs = 2000);
};

} // namespace fd
