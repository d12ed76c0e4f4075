#include "core/settings/metric_catalogue_settings.h"

#include "core/domain/metric_catalogue.h"
#include "core/domain/metric_catalogue_json.h"
#include "core/settings/settings_keys.h"

#include <QLoggingCategory>
#include <QSettings>

#include <algorithm>

namespace fd {

Q_LOGGING_CATEGORY(lcMetricSettings, "fleetdeck.settings.metrics")

MetricCatalogueSettings::MetricCatalogueSettings(QSettings &settings)
    : m_settings(settings)
{
}

QList<MetricInfo> MetricCatalogueSettings::load() const
{
    const QByteArray stored = m_settings.value(SettingsKeys::kMetricCatalogue).toByteArray();
    if (stored.isEmpty())
        return MetricCatalogue::defaults();
    MetricCatalogueJson::ReadResult result = MetricCatalogueJson::read(stored);
    if (!result.ok()) {
        qCWarning(lcMetricSettings) << "stored metric catalogue ignored:" << result.error;
        return MetricCatalogue::defaults();
    }
    return result.entries;
}

void MetricCatalogueSettings::save(const QList<MetricInfo> &entries)
{
    QList<MetricInfo> sorted = entries;
    std::sort(sorted.begin(), sorted.end(), [](const MetricInfo &a, const MetricInfo &b) { return a.name < b.name; });
    if (sorted == MetricCatalogue::defaults())
        m_settings.remove(SettingsKeys::kMetricCatalogue);
    else
        m_settings.setValue(SettingsKeys::kMetricCatalogue, MetricCatalogueJson::write(entries));
}

} // namespace fd
