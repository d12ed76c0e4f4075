#pragma once

#include "core/domain/ingest_limits.h"

class QSettings;

namespace fd {

// The ingest limits (IngestLimits) persisted in QSettings under SettingsKeys::kIngest*.
// Missing, unreadable or out-of-range values fall back to the defaults.
class IngestSettings
{
public:
    explicit IngestSettings(QSettings &settings);

    IngestLimits load() const;
    void save(const IngestLimits &limits);  // invalid limits are not saved

private:
    QSettings &m_settings;
};

} // namespace fd
