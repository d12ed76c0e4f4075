#include "core/settings/retention_settings.h"

#include "core/settings/settings_keys.h"

#include <QSettings>

namespace fd {

namespace K = SettingsKeys;

namespace {

int readDays(const QSettings &settings, QLatin1StringView key, int fallback)
{
    bool ok = false;
    const int days = settings.value(key).toInt(&ok);
    return ok && days >= 0 ? days : fallback;
}

} // namespace

RetentionSettings::RetentionSettings(QSettings &settings)
    : m_settings(settings)
{
}

RetentionPolicy RetentionSettings::load() const
{
    RetentionPolicy p;
    p.rawDays = readDays(m_settings, K::kRetentionRawDays, RetentionPolicy::kDefaultRawDays);
    p.minuteDays = readDays(m_settings, K::kRetentionMinuteDays, RetentionPolicy::kDefaultMinuteDays);
    p.hourDays = readDays(m_settings, K::kRetentionHourDays, RetentionPolicy::kDefaultHourDays);
    return p.normalized();
}

void RetentionSettings::save(const RetentionPolicy &policy)
{
    const RetentionPolicy p = policy.normalized();
    m_settings.setValue(K::kRetentionRawDays, p.rawDays);
    m_settings.setValue(K::kRetentionMinuteDays, p.minuteDays);
    m_settings.setValue(K::kRetentionHourDays, p.hourDays);
}

} // namespace fd
