#pragma once

#include <QtGlobal>

namespace fd::test {

// CPU time (user + system) a running process has used so far, in seconds, from
// /proc/PID/stat; -1 when unknown (gone, not Linux). A busy loop shows as about one second
// per second of wall time; a process that waits shows next to nothing.
double processCpuSeconds(qint64 pid);

} // namespace fd::test
