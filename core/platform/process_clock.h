#pragma once

#include <QtGlobal>

namespace fd {

// Time since this process was started by the OS (Linux: /proc/self/stat, 10 ms resolution),
// so start-up figures include loading the executable and its libraries. Elsewhere, or if
// /proc cannot be read, time since the first call.
class ProcessClock
{
public:
    static qint64 msSinceProcessStart();
};

} // namespace fd
