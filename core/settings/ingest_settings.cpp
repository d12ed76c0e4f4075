#include "core/settings/ingest_settings.h"

#include "core/settings/settings_keys.h"

#include <QSettings>

namespace fd {

namespace K = SettingsKeys;

namespace {

int readLimit(const QSettings &settings, QLatin1StringView key, int bound, int fallback)
{
    bool ok = false;
    const int value = settings.value(key).toInt(&ok);
    return ok && value >= 1 && value <= bound ? value : fallback;
}

} // namespace

IngestSettings::IngestSettings(QSettings &settings)
    : m_settings(settings)
{
}

IngestLimits IngestSettings::load() const
{
    IngestLimits limits;
    limits.maxDevicesPerSource = readLimit(m_settings, K::kIngestMaxDevicesPerSource,
                                           IngestLimits::kMaxDevicesPerSourceBound,
                                           IngestLimits::kDefaultMaxDevicesPerSource);
    limits.maxMetricsPerDevice = readLimit(m_settings, K::kIngestMaxMetricsPerDevice,
                                           IngestLimits::kMaxMetricsPerDeviceBound,
                                           IngestLimits::kDefaultMaxMetricsPerDevice);
    return limits;
}

void IngestSettings::save(const IngestLimits &limits)
{
    if (!limits.isValid())
        return;
    m_settings.setValue(K::kIngestMaxDevicesPerSource, limits.maxDevicesPerSource);
    m_settings.setValue(K::kIngestMaxMetricsPerDevice, limits.maxMetricsPerDevice);
}

} // namespace fd
