#pragma once

#include "core/domain/device_key.h"

#include <QList>
#include <QWidget>

class QAction;
class QComboBox;
class QSettings;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTreeView;

namespace fd {

class DeviceDetailPanel;
class DeviceFilterProxyModel;
class DeviceInventoryModel;
class DeviceTreeModel;
class FilterBar;
class InventoryColumns;
class InventoryTrendColumn;
class OrderChangedBar;
class TableOrderHold;
class ViewMessageOverlay;

// Inventory: filter bar, the device table (sortable on every column, fixed row height) and
// the detail panel of the selected device, side by side in a splitter. Rows (one or more
// selected) can be dragged onto a Telemetry chart; the Trend column shows a sparkline of a
// metric the user picks (InventoryTrendColumn). A View choice next to the filter bar shows
// the devices as the flat table (default) or as a tree source -> Sparkplug group -> edge
// node -> devices
// (DeviceTreeModel, built the first time the tree is shown); the choice is saved
// (SettingsKeys::kInventoryViewMode).
//
// The table's order holds still while the user works in it (TableOrderHold: pointer over
// it, a selection, a context menu; OrderChangedBar "Re-sort" under it). When the filter
// hides every device, a message says so with "Clear Filters" (ViewMessageOverlay). The
// detail panel shows the selected device, a summary of several selected devices, or the
// current row; never a device the filter hides. Columns: InventoryColumns (header menu).
class InventoryPage : public QWidget
{
    Q_OBJECT
public:
    enum class ViewMode { Flat, Tree };

    explicit InventoryPage(DeviceInventoryModel *inventory, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    QTreeView *tree() const { return m_tree; }         // null until the tree was shown
    DeviceTreeModel *treeModel() const { return m_treeModel; }
    ViewMode viewMode() const;
    void setViewMode(ViewMode mode);  // saved when settings are set
    // Reads the saved view mode; later choices are saved there. May be null. (Also reached
    // through InventoryTrendColumn::settingsChanged.)
    void setSettings(QSettings *settings);
    DeviceFilterProxyModel *proxy() const { return m_proxy; }
    DeviceDetailPanel *detailPanel() const { return m_detail; }
    FilterBar *filterBar() const { return m_filterBar; }
    InventoryTrendColumn *trendColumn() const { return m_trend; }
    InventoryColumns *columns() const { return m_columns; }
    TableOrderHold *orderHold() const { return m_hold; }
    OrderChangedBar *orderChangedBar() const { return m_orderBar; }
    ViewMessageOverlay *noMatchMessage() const { return m_noMatch; }

    QByteArray saveState() const;
    void restoreState(const QByteArray &state);

    void focusSearch();

    // Adds an action to the context menu of the device views: the table, and the tree (now
    // or once it is built). Actions act on selectedDevices().
    void addDeviceAction(QAction *action);
    // The devices selected in the view shown (the table's rows, or the tree's device rows;
    // sources and placeholders are not devices), in the view's order.
    QList<DeviceKey> selectedDevices() const;

signals:
    // The selection of the view shown changed (or the view did).
    void deviceSelectionChanged();

protected:
    void showEvent(QShowEvent *event) override;
    // Until the user moves the splitter (or a saved layout is restored), the table gets what
    // its columns need at every size and the panel the rest.
    void resizeEvent(QResizeEvent *event) override;

private:
    void applyFilter();
    void selectFirstRowIfNone();
    void updateChoices();
    void updateSummary();
    void updateDetail();
    void sizeSplitter();
    void updateNoMatch();
    void ensureTree();
    void onTreeCurrentChanged();
    void expandFolders(const QModelIndex &index);

    DeviceInventoryModel *m_inventory;
    DeviceFilterProxyModel *m_proxy;
    FilterBar *m_filterBar;
    QSplitter *m_splitter;
    QStackedWidget *m_views;
    QTableView *m_table;
    QTreeView *m_tree = nullptr;
    DeviceTreeModel *m_treeModel = nullptr;
    QSettings *m_settings = nullptr;
    DeviceDetailPanel *m_detail;
    InventoryTrendColumn *m_trend;
    InventoryColumns *m_columns = nullptr;
    OrderChangedBar *m_orderBar = nullptr;
    TableOrderHold *m_hold = nullptr;
    ViewMessageOverlay *m_noMatch = nullptr;
    QComboBox *m_viewChoice;
    QList<QAction *> m_deviceActions;
    int m_siteChoice = -1;
    int m_modelChoice = -1;
    int m_sourceChoice = -1;
    int m_statusChoice = -1;
    bool m_splitterRestored = false;
    bool m_splitterSized = false;
    bool m_autoSelected = false;
    bool m_headerRestored = false;
    bool m_splitterMoved = false;
    bool m_treeSparkplugSeen = false;  // the tree's Session and status columns were sized for Sparkplug
};

} // namespace fd
