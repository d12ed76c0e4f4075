#pragma once

#include "core/domain/device_key.h"

#include <QHash>
#include <QString>

namespace fd {

// Identifies one time series: one metric of one device (by source and path).
struct SeriesKey
{
    DeviceKey device;
    QString metric;

    friend bool operator==(const SeriesKey &, const SeriesKey &) = default;
};

inline size_t qHash(const SeriesKey &key, size_t seed = 0) noexcept
{
    return qHashMulti(seed, key.device, key.metric);
}

} // namespace fd
