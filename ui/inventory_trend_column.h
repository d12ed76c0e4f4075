#pragma once

#include "core/domain/device_key.h"
#include "core/telemetry/telemetry_point.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <vector>

class QMenu;
class QSettings;
class QTableView;
class QWidget;

namespace fd {

class DeviceFilterProxyModel;
class DeviceInventoryModel;
class SparklineDelegate;

// The inventory's Trend column (DeviceInventoryModel::TrendColumn): a sparkline of the last
// minutes of one metric per device, painted at paint time from a Source (the Telemetry
// page's live ring buffers), next to the metric's latest value. The user chooses the metric
// in the table header's context menu (built by InventoryColumns), from the metrics seen in the fleet; the choice is
// kept in QSettings (SettingsKeys::kInventoryTrendMetric).
class InventoryTrendColumn : public QObject
{
    Q_OBJECT
public:
    // Fills points (time order) of metric of device in [fromMs, toMs]; false: none.
    static constexpr int kSparklineWidth = 64;  // px, before the latest value

    using Source = std::function<bool(const DeviceKey &device, const QString &metric, qint64 fromMs, qint64 toMs,
                                      std::vector<TelemetryPoint> *points)>;

    InventoryTrendColumn(QTableView *table, DeviceFilterProxyModel *proxy, DeviceInventoryModel *inventory,
                         QObject *parent = nullptr);

    void setSource(Source source);
    // Reads the saved metric; later choices are saved there. May be null.
    void setSettings(QSettings *settings);

    QString metric() const;
    void setMetric(const QString &metric);  // the model, the view and the settings
    // The metrics to offer: every metric some device reports, and the current one.
    QStringList metricChoices() const;
    // A menu of the metrics (also used by tests): one checkable entry per metric.
    QMenu *createMenu(QWidget *parent);
    // The same entries (a section "Trend column metric"), added to menu (the header's
    // context menu, InventoryColumns).
    void addMenuEntries(QMenu *menu);

    SparklineDelegate *delegate() const { return m_delegate; }

signals:
    // setSettings() was called (the inventory page reads its own saved choices from them).
    void settingsChanged(QSettings *settings);

private:
    QTableView *m_table;
    DeviceFilterProxyModel *m_proxy;
    DeviceInventoryModel *m_inventory;
    SparklineDelegate *m_delegate;
    Source m_source;
    QPointer<QSettings> m_settings;
};

} // namespace fd
