#pragma once

#include "core/domain/metric_value.h"

#include <QList>
#include <QString>

namespace fd::testsupport {

inline constexpr qint64 kMsPerDay = 24LL * 3600 * 1000;

// Writes one telemetry sample of device "dev-1" per age (days before now) into the cache
// at path through a real StorageWriter with retention off, so retention tests start from
// rows of known ages. Returns false with error if the cache cannot be written.
bool writeAgedTelemetry(const QString &path, const QList<double> &agesInDays,
                        const MetricValues &metrics, QString *error);

} // namespace fd::testsupport
