#include "ui/inventory_trend_column.h"

#include "core/settings/settings_keys.h"
#include "models/device_filter_proxy_model.h"
#include "models/device_inventory_model.h"
#include "models/metric_display.h"
#include "widgets/sparkline_delegate.h"

#include <QActionGroup>
#include <QHeaderView>
#include <QMenu>
#include <QSettings>
#include <QTableView>

namespace fd {

InventoryTrendColumn::InventoryTrendColumn(QTableView *table, DeviceFilterProxyModel *proxy,
                                           DeviceInventoryModel *inventory, QObject *parent)
    : QObject(parent)
    , m_table(table)
    , m_proxy(proxy)
    , m_inventory(inventory)
{
    m_delegate = new SparklineDelegate(
        [this](const QModelIndex &index, qint64 from, qint64 to, std::vector<TelemetryPoint> *out) {
            if (!m_source)
                return false;
            const Device *device = m_inventory->deviceAt(m_proxy->mapToSource(index).row());
            return device && m_source(device->key(), m_inventory->trendMetric(), from, to, out);
        },
        table);
    m_delegate->setWindowMs(m_inventory->trendWindowMs());
    m_delegate->setSparklineWidth(kSparklineWidth);
    table->setItemDelegateForColumn(DeviceInventoryModel::TrendColumn, m_delegate);
}

void InventoryTrendColumn::setSource(Source source)
{
    m_source = std::move(source);
    m_table->viewport()->update();
}

void InventoryTrendColumn::setSettings(QSettings *settings)
{
    m_settings = settings;
    if (settings) {
        const QString saved = settings->value(SettingsKeys::kInventoryTrendMetric).toString().trimmed();
        if (!saved.isEmpty())
            m_inventory->setTrendMetric(saved);
    }
    emit settingsChanged(settings);
}

QString InventoryTrendColumn::metric() const
{
    return m_inventory->trendMetric();
}

void InventoryTrendColumn::setMetric(const QString &metric)
{
    m_inventory->setTrendMetric(metric.trimmed());
    if (m_settings)
        m_settings->setValue(SettingsKeys::kInventoryTrendMetric, m_inventory->trendMetric());
    m_table->viewport()->update();
}

QStringList InventoryTrendColumn::metricChoices() const
{
    QStringList choices = m_inventory->metricNames();
    if (!choices.contains(metric()))
        choices.prepend(metric());
    return choices;
}

QMenu *InventoryTrendColumn::createMenu(QWidget *parent)
{
    auto *menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("trendMetricMenu"));
    addMenuEntries(menu);
    return menu;
}

void InventoryTrendColumn::addMenuEntries(QMenu *menu)
{
    menu->addSection(tr("Trend Column Metric"));
    auto *group = new QActionGroup(menu);
    group->setExclusive(true);
    const QString current = metric();
    for (const QString &name : metricChoices()) {
        const QString label = metricDisplayName(m_inventory->metricCatalogue(), name);
        QAction *action = menu->addAction(label == name ? name : tr("%1 — %2").arg(label, name));
        action->setData(name);
        action->setCheckable(true);
        action->setChecked(name == current);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, name] { setMetric(name); });
    }
}

} // namespace fd
