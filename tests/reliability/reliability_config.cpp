#include "tests/reliability/reliability_config.h"

#include <QDateTime>
#include <QtGlobal>

namespace fd::test {

bool ReliabilityConfig::torture()
{
    return qEnvironmentVariableIntValue("FLEETDECK_TORTURE") == 1;
}

int ReliabilityConfig::pick(int shortValue, int longValue)
{
    if (!torture())
        return shortValue;
    bool ok = false;
    const double scale = qEnvironmentVariable("FLEETDECK_TORTURE_SCALE").toDouble(&ok);
    return ok && scale > 0 ? qMax(1, int(longValue * scale)) : longValue;
}

bool ReliabilityConfig::sanitized()
{
#if defined(__SANITIZE_ADDRESS__)
    return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return true;
#else
    return false;
#endif
#else
    return false;
#endif
}

quint64 ReliabilityConfig::seed()
{
    bool ok = false;
    const quint64 fixed = qEnvironmentVariable("FLEETDECK_RELIABILITY_SEED").toULongLong(&ok);
    static const quint64 value = ok ? fixed : quint64(QDateTime::currentMSecsSinceEpoch());
    return value;
}

} // namespace fd::test
