#pragma once

#include <QHash>
#include <QString>

namespace fd {

// Identifies one time series: one metric of one device.
struct SeriesKey
{
    QString deviceId;
    QString metric;

    friend bool operator==(const SeriesKey &, const SeriesKey &) = default;
};

inline size_t qHash(const SeriesKey &key, size_t seed = 0) noexcept
{
    return qHashMulti(seed, key.deviceId, key.metric);
}

} // namespace fd
