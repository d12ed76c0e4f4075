#pragma once

#include <QWidget>

class QSplitter;
class QTableView;

namespace fd {

class DeviceDetailPanel;
class DeviceFilterProxyModel;
class DeviceInventoryModel;
class FilterBar;
class InventoryTrendColumn;

// Inventory: filter bar, the device table (sortable on every column, fixed row height) and
// the detail panel of the selected device, side by side in a splitter. Rows (one or more
// selected) can be dragged onto a Telemetry chart; the Trend column shows a sparkline of a
// metric the user picks (InventoryTrendColumn).
class InventoryPage : public QWidget
{
    Q_OBJECT
public:
    explicit InventoryPage(DeviceInventoryModel *inventory, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    DeviceFilterProxyModel *proxy() const { return m_proxy; }
    DeviceDetailPanel *detailPanel() const { return m_detail; }
    FilterBar *filterBar() const { return m_filterBar; }
    InventoryTrendColumn *trendColumn() const { return m_trend; }

    QByteArray saveState() const;
    void restoreState(const QByteArray &state);

    void focusSearch();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void applyFilter();
    void selectFirstRowIfNone();
    void updateChoices();
    void updateSummary();
    void onCurrentRowChanged();
    void setDefaultColumnWidths();

    DeviceInventoryModel *m_inventory;
    DeviceFilterProxyModel *m_proxy;
    FilterBar *m_filterBar;
    QSplitter *m_splitter;
    QTableView *m_table;
    DeviceDetailPanel *m_detail;
    InventoryTrendColumn *m_trend;
    int m_siteChoice = -1;
    int m_modelChoice = -1;
    int m_sourceChoice = -1;
    int m_statusChoice = -1;
    bool m_splitterRestored = false;
    bool m_splitterSized = false;
    bool m_autoSelected = false;
};

} // namespace fd
