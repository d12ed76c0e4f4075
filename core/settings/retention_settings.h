#pragma once

#include "core/storage/retention_policy.h"

class QSettings;

namespace fd {

// The cache retention (RetentionPolicy) persisted in QSettings under
// SettingsKeys::kRetention*: days per level, 0 for "keep forever". Missing or unreadable
// values fall back to the defaults; load() returns a normalized policy.
class RetentionSettings
{
public:
    explicit RetentionSettings(QSettings &settings);

    RetentionPolicy load() const;
    // Stores policy.normalized().
    void save(const RetentionPolicy &policy);

private:
    QSettings &m_settings;
};

} // namespace fd
