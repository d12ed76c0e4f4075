#pragma once

#include "core/domain/metric_info.h"

#include <QList>

class QSettings;

namespace fd {

// The metric catalogue persisted in QSettings (SettingsKeys::kMetricCatalogue, the JSON of
// MetricCatalogueJson). Nothing is stored while the catalogue is the default, so the defaults'
// translated names follow the language; an unreadable stored value falls back to the defaults.
class MetricCatalogueSettings
{
public:
    explicit MetricCatalogueSettings(QSettings &settings);

    QList<MetricInfo> load() const;
    void save(const QList<MetricInfo> &entries);

private:
    QSettings &m_settings;
};

} // namespace fd
