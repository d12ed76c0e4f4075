#include "ui/inventory_page.h"

#include "core/domain/device_filter.h"
#include "core/settings/settings_keys.h"
#include "models/device_filter_proxy_model.h"
#include "models/device_inventory_model.h"
#include "models/device_tree_model.h"
#include "ui/device_detail_panel.h"
#include "ui/inventory_trend_column.h"
#include "ui/search_key_navigator.h"
#include "widgets/filter_bar.h"
#include "widgets/status_dot_delegate.h"

#include <QAction>
#include <QComboBox>
#include <QDataStream>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIODevice>
#include <QLineEdit>
#include <QLocale>
#include <QScrollBar>
#include <QSettings>
#include <QShowEvent>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace fd {

namespace {
const QString kOnlineValue = QStringLiteral("online");
const QString kOfflineValue = QStringLiteral("offline");
constexpr quint32 kStateMagic = 0xFD1A0001;
const QString kFlatValue = QStringLiteral("flat");
const QString kTreeValue = QStringLiteral("tree");
} // namespace

InventoryPage::InventoryPage(DeviceInventoryModel *inventory, QWidget *parent)
    : QWidget(parent)
    , m_inventory(inventory)
    , m_proxy(new DeviceFilterProxyModel(this))
    , m_filterBar(new FilterBar(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_views(new QStackedWidget(m_splitter))
    , m_table(new QTableView(m_views))
    , m_detail(new DeviceDetailPanel(inventory, m_splitter))
    , m_trend(nullptr)
    , m_viewChoice(new QComboBox(this))
{
    m_proxy->setInventoryModel(inventory);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 10, 10, 6);
    layout->setSpacing(8);

    m_filterBar->setSearchPlaceholder(tr("Search id, name, site, model, firmware, source"));
    m_filterBar->searchField()->setAccessibleName(tr("Search devices"));
    m_statusChoice = m_filterBar->addChoice(tr("Status"), tr("Any status"));
    m_filterBar->setChoiceItems(m_statusChoice, {{tr("Online"), kOnlineValue}, {tr("Offline"), kOfflineValue}});
    m_siteChoice = m_filterBar->addChoice(tr("Site"), tr("All sites"));
    m_modelChoice = m_filterBar->addChoice(tr("Model"), tr("All models"));
    m_sourceChoice = m_filterBar->addChoice(tr("Source"), tr("All sources"));
    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_filterBar, 1);
    m_viewChoice->addItem(tr("Flat"), kFlatValue);
    m_viewChoice->addItem(tr("Tree"), kTreeValue);
    m_viewChoice->setToolTip(tr("Show the devices as a table, or as a tree: source, gateway, device"));
    m_viewChoice->setAccessibleName(tr("Inventory view"));
    top->addWidget(m_viewChoice);
    layout->addLayout(top);

    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(DeviceInventoryModel::IdColumn, Qt::AscendingOrder);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    // Selected rows drag onto Telemetry charts (via the sidebar's Telemetry entry).
    m_table->setDragEnabled(true);
    m_table->setDragDropMode(QAbstractItemView::DragOnly);
    m_table->setDefaultDropAction(Qt::CopyAction);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->setAccessibleName(tr("Devices"));
    m_table->setTabKeyNavigation(false);  // Tab leaves the table; arrows move in it
    m_table->setItemDelegateForColumn(DeviceInventoryModel::StatusColumn, new StatusDotDelegate(m_table));
    QHeaderView *vertical = m_table->verticalHeader();
    vertical->setSectionResizeMode(QHeaderView::Fixed);
    vertical->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    vertical->hide();
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);  // never ResizeToContents: 100k rows
    header->setStretchLastSection(false);
    header->setHighlightSections(false);
    header->setSectionsMovable(true);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_trend = new InventoryTrendColumn(m_table, m_proxy, inventory, this);
    // The Trend column is last in the model (saved header states stay valid); shown after
    // the metric columns.
    header->moveSection(header->visualIndex(DeviceInventoryModel::TrendColumn),
                        header->visualIndex(DeviceInventoryModel::RssiColumn) + 1);
    // Source is last in the model for the same reason; shown before the device id.
    header->moveSection(header->visualIndex(DeviceInventoryModel::SourceColumn),
                        header->visualIndex(DeviceInventoryModel::IdColumn));
    setDefaultColumnWidths();

    m_views->addWidget(m_table);
    m_splitter->addWidget(m_views);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 0);
    m_splitter->setChildrenCollapsible(false);
    layout->addWidget(m_splitter, 1);

    // Keyboard: Down from the search enters the results; Tab goes search, filters, view
    // choice, the devices, the detail panel.
    new SearchKeyNavigator(m_filterBar->searchField(), [this]() -> QAbstractItemView * {
        return viewMode() == ViewMode::Tree && m_tree ? static_cast<QAbstractItemView *>(m_tree) : m_table;
    });
    QWidget *previous = m_filterBar->searchField();
    for (QComboBox *choice : m_filterBar->findChildren<QComboBox *>())
        setTabOrder(std::exchange(previous, choice), choice);
    setTabOrder(previous, m_viewChoice);
    setTabOrder(m_viewChoice, m_table);
    setTabOrder(m_table, m_detail);

    connect(m_filterBar, &FilterBar::changed, this, &InventoryPage::applyFilter);
    connect(m_viewChoice, &QComboBox::currentIndexChanged, this, [this] {
        setViewMode(m_viewChoice->currentData().toString() == kTreeValue ? ViewMode::Tree : ViewMode::Flat);
    });
    connect(m_trend, &InventoryTrendColumn::settingsChanged, this, &InventoryPage::setSettings);
    connect(m_inventory, &DeviceInventoryModel::distinctValuesChanged, this, &InventoryPage::updateChoices);
    connect(m_inventory, &DeviceInventoryModel::countsChanged, this, &InventoryPage::updateSummary);
    connect(m_inventory, &QAbstractItemModel::modelReset, this, &InventoryPage::updateSummary);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &InventoryPage::updateSummary);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &InventoryPage::updateSummary);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &InventoryPage::updateSummary);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &InventoryPage::updateSummary);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &InventoryPage::onCurrentRowChanged);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &InventoryPage::deviceSelectionChanged);
    // A layout change or a removal can change the selection without selectionChanged.
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &InventoryPage::deviceSelectionChanged);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &InventoryPage::deviceSelectionChanged);
    // Show a device in the detail panel as soon as there is one (once; the user's choice wins).
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &InventoryPage::selectFirstRowIfNone);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &InventoryPage::selectFirstRowIfNone);
    updateChoices();
    updateSummary();
}

void InventoryPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_splitterSized && !m_splitterRestored) {
        // Give the table what its columns need (if the window allows) and the rest to the panel.
        const int tableNeeds = m_table->horizontalHeader()->length() + m_table->verticalScrollBar()->sizeHint().width()
                               + 2 * m_table->frameWidth() + 2;
        const int available = m_splitter->width() - m_splitter->handleWidth();
        const int detail = std::clamp(available - tableNeeds, 260, 380);
        m_splitter->setSizes({available - detail, detail});
    }
    m_splitterSized = true;
    selectFirstRowIfNone();
}

void InventoryPage::selectFirstRowIfNone()
{
    if (m_autoSelected || m_proxy->rowCount() == 0)
        return;
    m_autoSelected = true;
    if (!m_table->selectionModel()->currentIndex().isValid())
        m_table->selectRow(0);
}

void InventoryPage::setDefaultColumnWidths()
{
    // Sized from typical content so that every column fits a 1400 px window; never
    // ResizeToContents (it measures every row).
    const QFontMetrics fm = m_table->fontMetrics();
    auto width = [&](const QString &sample) { return fm.horizontalAdvance(sample) + 12; };
    QHeaderView *header = m_table->horizontalHeader();
    const QList<std::pair<int, QString>> samples = {
        {DeviceInventoryModel::StatusColumn, QStringLiteral("(o)Offline")},
        {DeviceInventoryModel::IdColumn, QStringLiteral("dev-00000-")},
        {DeviceInventoryModel::NameColumn, QStringLiteral("Warehouse Bay 1")},
        {DeviceInventoryModel::SiteColumn, QStringLiteral("Rotterdam-Port")},
        {DeviceInventoryModel::ModelColumn, QStringLiteral("TH-200")},
        {DeviceInventoryModel::FirmwareColumn, QStringLiteral("Firmware")},
        {DeviceInventoryModel::LastSeenColumn, QStringLiteral("59 min ago")},
        {DeviceInventoryModel::TemperatureColumn, QStringLiteral("-20.5 °C")},
        {DeviceInventoryModel::BatteryColumn, QStringLiteral("Battery")},
        {DeviceInventoryModel::RssiColumn, QStringLiteral("-100 dBm")},
        {DeviceInventoryModel::MessagesColumn, QStringLiteral("Messages")},
        {DeviceInventoryModel::RejectedColumn, QStringLiteral("Rejected")},
        {DeviceInventoryModel::TrendColumn, QStringLiteral("Trend: temperature (5 min)")},
        {DeviceInventoryModel::SourceColumn, QStringLiteral("broker-west")},
    };
    for (const auto &[column, sample] : samples)
        header->resizeSection(column, width(sample));
}

void InventoryPage::applyFilter()
{
    DeviceFilter filter;
    filter.text = m_filterBar->searchText().trimmed();
    filter.site = m_filterBar->choiceValue(m_siteChoice);
    filter.model = m_filterBar->choiceValue(m_modelChoice);
    filter.source = m_filterBar->choiceValue(m_sourceChoice);
    const QString status = m_filterBar->choiceValue(m_statusChoice);
    filter.online = status == kOnlineValue    ? DeviceFilter::Online::OnlineOnly
                    : status == kOfflineValue ? DeviceFilter::Online::OfflineOnly
                                              : DeviceFilter::Online::Any;
    m_proxy->setFilter(filter);
    updateSummary();
}

void InventoryPage::updateChoices()
{
    m_filterBar->setChoiceValues(m_siteChoice, m_inventory->sites());
    m_filterBar->setChoiceValues(m_modelChoice, m_inventory->models());
    m_filterBar->setChoiceValues(m_sourceChoice, m_inventory->sources());
}

void InventoryPage::updateSummary()
{
    const QLocale locale;
    const int total = m_inventory->rowCount();
    const int shown = m_proxy->rowCount();
    if (m_proxy->filter().isEmpty())
        m_filterBar->setSummary(tr("%Ln device(s)", nullptr, total));
    else
        m_filterBar->setSummary(tr("%1 of %Ln device(s)", nullptr, total).arg(locale.toString(shown)));
}

void InventoryPage::onCurrentRowChanged()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    m_detail->showDevice(current.isValid() ? m_proxy->deviceKeyAt(current.row()) : DeviceKey());
}

InventoryPage::ViewMode InventoryPage::viewMode() const
{
    return m_views->currentIndex() > 0 ? ViewMode::Tree : ViewMode::Flat;
}

void InventoryPage::setViewMode(ViewMode mode)
{
    if (mode == ViewMode::Tree)
        ensureTree();
    m_views->setCurrentWidget(mode == ViewMode::Tree ? static_cast<QWidget *>(m_tree) : m_table);
    const QString value = mode == ViewMode::Tree ? kTreeValue : kFlatValue;
    {
        const QSignalBlocker blocker(m_viewChoice);
        m_viewChoice->setCurrentIndex(m_viewChoice->findData(value));
    }
    if (m_settings && m_settings->value(SettingsKeys::kInventoryViewMode).toString() != value)
        m_settings->setValue(SettingsKeys::kInventoryViewMode, value);
    if (mode == ViewMode::Tree)
        onTreeCurrentChanged();
    else
        onCurrentRowChanged();
    emit deviceSelectionChanged();
}

void InventoryPage::setSettings(QSettings *settings)
{
    m_settings = nullptr;  // applying the saved choice does not write it back
    if (settings)
        setViewMode(settings->value(SettingsKeys::kInventoryViewMode).toString() == kTreeValue ? ViewMode::Tree
                                                                                                : ViewMode::Flat);
    m_settings = settings;
}

void InventoryPage::ensureTree()
{
    if (m_tree)
        return;
    // Built on first use: a million-device tree costs memory the flat table does not need.
    m_treeModel = new DeviceTreeModel(this);
    m_treeModel->setInventoryModel(m_inventory);
    m_tree = new QTreeView(m_views);
    m_tree->setModel(m_treeModel);
    m_tree->setUniformRowHeights(true);  // fixed row height: cheap layout for big fleets
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setDragEnabled(true);
    m_tree->setDragDropMode(QAbstractItemView::DragOnly);
    m_tree->setDefaultDropAction(Qt::CopyAction);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setAccessibleName(tr("Devices by source and gateway"));
    m_tree->setTabKeyNavigation(false);
    setTabOrder(m_table, m_tree);  // in the table's place: before the detail panel
    m_tree->setItemDelegateForColumn(DeviceInventoryModel::StatusColumn, new StatusDotDelegate(m_tree));
    m_tree->setTreePosition(DeviceInventoryModel::IdColumn);
    QHeaderView *header = m_tree->header();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(false);
    header->setSectionsMovable(true);
    // The same column order and widths as the table (the source is the tree's first level).
    QHeaderView *tableHeader = m_table->horizontalHeader();
    for (int visual = 0; visual < tableHeader->count(); ++visual) {
        const int logical = tableHeader->logicalIndex(visual);
        header->moveSection(header->visualIndex(logical), visual);
        header->resizeSection(logical, tableHeader->sectionSize(logical));
    }
    header->resizeSection(DeviceInventoryModel::IdColumn, 2 * tableHeader->sectionSize(DeviceInventoryModel::IdColumn));
    header->setSectionHidden(DeviceInventoryModel::SourceColumn, true);
    header->moveSection(header->visualIndex(DeviceInventoryModel::IdColumn), 0);
    m_views->addWidget(m_tree);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &InventoryPage::onTreeCurrentChanged);
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &InventoryPage::deviceSelectionChanged);
    connect(m_treeModel, &QAbstractItemModel::modelReset, this, &InventoryPage::deviceSelectionChanged);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tree->addActions(m_deviceActions);
    // Sources are few: show their gateways and devices at once.
    connect(m_treeModel, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent, int first, int last) {
        if (!parent.isValid())
            for (int row = first; row <= last; ++row)
                m_tree->expand(m_treeModel->index(row, 0));
    });
    connect(m_treeModel, &QAbstractItemModel::modelReset, m_tree, [this] {
        for (int row = 0; row < m_treeModel->rowCount(); ++row)
            m_tree->expand(m_treeModel->index(row, 0));
    });
    for (int row = 0; row < m_treeModel->rowCount(); ++row)
        m_tree->expand(m_treeModel->index(row, 0));
}

void InventoryPage::onTreeCurrentChanged()
{
    if (!m_tree)
        return;
    const QModelIndex current = m_tree->selectionModel()->currentIndex();
    m_detail->showDevice(current.data(DeviceInventoryModel::DeviceKeyRole).value<DeviceKey>());
}

void InventoryPage::addDeviceAction(QAction *action)
{
    m_deviceActions.append(action);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_table->addAction(action);
    if (m_tree)
        m_tree->addAction(action);
}

QList<DeviceKey> InventoryPage::selectedDevices() const
{
    QList<DeviceKey> keys;
    if (viewMode() == ViewMode::Tree && m_tree) {
        QModelIndexList rows = m_tree->selectionModel()->selectedRows();
        std::sort(rows.begin(), rows.end(), [this](const QModelIndex &a, const QModelIndex &b) {
            return m_tree->visualRect(a).top() < m_tree->visualRect(b).top();
        });
        for (const QModelIndex &index : std::as_const(rows)) {
            const DeviceKey key = index.data(DeviceInventoryModel::DeviceKeyRole).value<DeviceKey>();
            if (!key.isNull())
                keys.append(key);
        }
        return keys;
    }
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    for (const QModelIndex &index : std::as_const(rows)) {
        const DeviceKey key = m_proxy->deviceKeyAt(index.row());
        if (!key.isNull())
            keys.append(key);
    }
    return keys;
}

void InventoryPage::focusSearch()
{
    m_filterBar->searchField()->setFocus(Qt::ShortcutFocusReason);
    m_filterBar->searchField()->selectAll();
}

QByteArray InventoryPage::saveState() const
{
    QByteArray state;
    QDataStream out(&state, QIODevice::WriteOnly);
    out << kStateMagic << m_table->horizontalHeader()->saveState() << m_splitter->saveState();
    return state;
}

void InventoryPage::restoreState(const QByteArray &state)
{
    QDataStream in(state);
    quint32 magic = 0;
    QByteArray header;
    QByteArray splitter;
    in >> magic >> header >> splitter;
    if (magic != kStateMagic || in.status() != QDataStream::Ok)
        return;
    m_table->horizontalHeader()->restoreState(header);
    m_splitterRestored = m_splitter->restoreState(splitter);
}

} // namespace fd
