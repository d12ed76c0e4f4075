#pragma once

#include "core/domain/metric_info.h"

#include <QHash>
#include <QList>
#include <QObject>

namespace fd {

// The metric catalogue: per metric a display name, unit, precision, scale and expected range,
// used wherever a metric is shown (inventory columns, detail panel, chart axes and legends,
// the chart picker). Starts with the defaults for the simulator's metrics; edited in Settings
// > Metric Catalogue, persisted by MetricCatalogueSettings, imported and exported as JSON
// (MetricCatalogueJson). A metric not in the catalogue shows its wire name and a plain number.
// GUI thread only (owned by the composition root, passed to whoever shows metrics).
class MetricCatalogue : public QObject
{
    Q_OBJECT
public:
    explicit MetricCatalogue(QObject *parent = nullptr);  // the defaults

    // Entries for the simulator's metrics (temperature, humidity, battery, rssi, cpu_load),
    // display names translated.
    static QList<MetricInfo> defaults();

    // Entries sorted by wire name.
    QList<MetricInfo> entries() const;
    // Replaces every entry (the last of duplicate names wins); emits changed() if different.
    void setEntries(const QList<MetricInfo> &entries);
    bool isDefault() const;

    bool contains(const QString &name) const { return m_byName.contains(name); }
    // The entry, or a fallback: the wire name, no unit, automatic precision.
    MetricInfo info(const QString &name) const;

    QString displayName(const QString &name) const;
    QString unit(const QString &name) const;
    // "Temperature (°C)", or the display name alone without a unit.
    QString axisTitle(const QString &name) const;
    double displayValue(const QString &name, double wireValue) const;
    // The shown value with the metric's precision in the current locale, no unit ("21.4");
    // an em dash for NaN, "∞"/"−∞" for infinities.
    QString formatNumber(const QString &name, double wireValue) const;
    // formatNumber with the unit: "21.4 °C".
    QString formatValue(const QString &name, double wireValue) const;

signals:
    void changed();

private:
    QHash<QString, MetricInfo> m_byName;
};

} // namespace fd
