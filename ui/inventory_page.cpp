#include "ui/inventory_page.h"

#include "core/domain/device_filter.h"
#include "core/settings/settings_keys.h"
#include "models/device_filter_proxy_model.h"
#include "models/device_inventory_model.h"
#include "models/device_tree_model.h"
#include "ui/device_detail_panel.h"
#include "ui/inventory_columns.h"
#include "ui/inventory_trend_column.h"
#include "ui/table_order_hold.h"
#include "ui/search_key_navigator.h"
#include "widgets/filter_bar.h"
#include "widgets/order_changed_bar.h"
#include "widgets/view_message_overlay.h"
#include "widgets/status_dot_delegate.h"

#include <QAction>
#include <QComboBox>
#include <QDataStream>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIODevice>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
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
const QString kUnknownValue = QStringLiteral("unknown");
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

    m_filterBar->setSearchPlaceholder(tr("Search id, name, site, model, firmware, tags, source"));
    m_filterBar->searchField()->setAccessibleName(tr("Search devices"));
    m_statusChoice = m_filterBar->addChoice(tr("Status"), tr("Any status"));
    m_filterBar->setChoiceItems(m_statusChoice, {{tr("Online"), kOnlineValue},
                                                 {tr("Offline"), kOfflineValue},
                                                 {tr("Unknown (source not connected)"), kUnknownValue}});
    m_siteChoice = m_filterBar->addChoice(tr("Site"), tr("All sites"));
    m_modelChoice = m_filterBar->addChoice(tr("Model"), tr("All models"));
    m_sourceChoice = m_filterBar->addChoice(tr("Source"), tr("All sources"));
    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_filterBar, 1);
    m_viewChoice->addItem(tr("Flat"), kFlatValue);
    m_viewChoice->addItem(tr("Tree"), kTreeValue);
    m_viewChoice->setToolTip(tr("Show the devices as a table, or as a tree: source, Sparkplug group, edge node, device"));
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
    auto *tableDot = new StatusDotDelegate(m_table);
    tableDot->setHollowRole(DeviceInventoryModel::StaleRole);  // unknown status: hollow dot
    m_table->setItemDelegateForColumn(DeviceInventoryModel::StatusColumn, tableDot);
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
    m_columns = new InventoryColumns(m_table, m_trend, this);

    m_views->addWidget(m_table);
    // The table area: the views, and under them (so that showing it moves no row) the
    // "order changed" bar of the held order.
    auto *tableArea = new QWidget(m_splitter);
    auto *tableLayout = new QVBoxLayout(tableArea);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->setSpacing(4);
    m_views->setParent(tableArea);
    tableLayout->addWidget(m_views, 1);
    m_orderBar = new OrderChangedBar(tableArea);
    tableLayout->addWidget(m_orderBar);
    m_hold = new TableOrderHold(m_table, m_proxy, m_orderBar, this);

    m_noMatch = new ViewMessageOverlay(m_table);
    m_noMatch->setObjectName(QStringLiteral("noMatchMessage"));
    m_noMatch->setTitle(tr("No devices match"));
    QPushButton *clear = m_noMatch->addButton(tr("Clear Filters"));
    clear->setObjectName(QStringLiteral("clearFilters"));
    connect(clear, &QPushButton::clicked, m_filterBar, &FilterBar::clear);

    m_splitter->addWidget(tableArea);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 0);
    m_splitter->setChildrenCollapsible(false);
    connect(m_splitter, &QSplitter::splitterMoved, this, [this] { m_splitterMoved = true; });
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
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &InventoryPage::updateDetail);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &InventoryPage::updateDetail);
    // The filter or a layout change can hide the shown device without a selection signal.
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &InventoryPage::updateDetail);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &InventoryPage::updateDetail);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &InventoryPage::updateDetail);
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
    if (!m_splitterSized && !m_splitterRestored)
        sizeSplitter();
    m_splitterSized = true;
    selectFirstRowIfNone();
}

void InventoryPage::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (m_splitterSized && !m_splitterRestored && !m_splitterMoved)
        sizeSplitter();
}

void InventoryPage::sizeSplitter()
{
    // Give the table what its columns need (if the window allows) and the rest, within
    // bounds, to the panel; on resize the table takes the change (stretch factor).
    const int tableNeeds = m_table->horizontalHeader()->length() + m_table->verticalScrollBar()->sizeHint().width()
                           + 2 * m_table->frameWidth() + 2;
    const int available = m_splitter->width() - m_splitter->handleWidth();
    const int detail = std::clamp(available - tableNeeds, 250, 360);
    m_splitter->setSizes({available - detail, detail});
}

void InventoryPage::selectFirstRowIfNone()
{
    if (m_autoSelected || m_proxy->rowCount() == 0)
        return;
    m_autoSelected = true;
    if (!m_headerRestored) {
        m_columns->fitWidthsToContent();  // now that there are rows to measure
        if (!m_splitterRestored && !m_splitterMoved && m_splitter->width() > 0)
            sizeSplitter();
    }
    if (!m_table->selectionModel()->currentIndex().isValid()) {
        m_table->selectRow(0);
        m_hold->ignoreSelectionUntilChanged();  // the program's choice holds no order
    }
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
                    : status == kUnknownValue ? DeviceFilter::Online::UnknownOnly
                                              : DeviceFilter::Online::Any;
    m_proxy->setFilter(filter);
    updateSummary();
}

void InventoryPage::updateChoices()
{
    m_filterBar->setChoiceValues(m_siteChoice, m_inventory->sites());
    m_filterBar->setChoiceValues(m_modelChoice, m_inventory->models());
    m_filterBar->setChoiceValues(m_sourceChoice, m_inventory->sources());
    m_columns->showSourceIfSeveral(int(m_inventory->sources().size()));
}

void InventoryPage::updateSummary()
{
    // Sparkplug session facts as a column once there is a Sparkplug device, in both views.
    const bool sparkplug = m_inventory->sparkplugCount() > 0;
    m_columns->showSessionIfSparkplug(sparkplug);
    if (m_tree && sparkplug && !m_treeSparkplugSeen) {
        m_treeSparkplugSeen = true;
        QHeaderView *tableHeader = m_table->horizontalHeader();
        QHeaderView *header = m_tree->header();
        header->setSectionHidden(DeviceInventoryModel::SessionColumn,
                                 tableHeader->isSectionHidden(DeviceInventoryModel::SessionColumn));
        for (int column : {int(DeviceInventoryModel::StatusColumn), int(DeviceInventoryModel::SessionColumn)})
            if (!tableHeader->isSectionHidden(column))
                header->resizeSection(column, std::max(header->sectionSize(column), tableHeader->sectionSize(column)));
    }
    const QLocale locale;
    const int total = m_inventory->rowCount();
    const int shown = m_proxy->rowCount();
    if (m_proxy->filter().isEmpty())
        m_filterBar->setSummary(tr("%Ln device(s)", nullptr, total));
    else
        m_filterBar->setSummary(tr("%1 of %Ln device(s)", nullptr, total).arg(locale.toString(shown)));
    updateNoMatch();
}

void InventoryPage::updateNoMatch()
{
    const bool none = m_proxy->rowCount() == 0 && m_inventory->rowCount() > 0 && !m_proxy->filter().isEmpty();
    if (none)
        m_noMatch->setText(tr("Filters: %1").arg(m_filterBar->activeFiltersText()));
    m_noMatch->setVisible(none);
}

void InventoryPage::updateDetail()
{
    if (viewMode() != ViewMode::Flat)
        return;
    // Several selected rows: their summary; one: that device; none: the current row, if
    // any. Every one of them is a proxy row, so the filter never hides what is described.
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.size() >= 2) {
        m_detail->showSelection(selectedDevices());
        return;
    }
    QModelIndex shown = rows.value(0);
    if (!shown.isValid())
        shown = m_table->selectionModel()->currentIndex();
    m_detail->showDevice(shown.isValid() ? m_proxy->deviceKeyAt(shown.row()) : DeviceKey());
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
        updateDetail();
    emit deviceSelectionChanged();
}

void InventoryPage::setSettings(QSettings *settings)
{
    m_columns->setSettings(settings);
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
    m_tree->setAccessibleName(tr("Devices by source, group and edge node"));
    m_tree->setTabKeyNavigation(false);
    setTabOrder(m_table, m_tree);  // in the table's place: before the detail panel
    auto *treeDot = new StatusDotDelegate(m_tree);
    treeDot->setHollowRole(DeviceInventoryModel::StaleRole);
    m_tree->setItemDelegateForColumn(DeviceInventoryModel::StatusColumn, treeDot);
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
        const bool hidden = tableHeader->isSectionHidden(logical);
        header->resizeSection(logical, hidden ? m_columns->defaultWidth(logical) : tableHeader->sectionSize(logical));
        header->setSectionHidden(logical, hidden);
    }
    header->resizeSection(DeviceInventoryModel::IdColumn, 2 * tableHeader->sectionSize(DeviceInventoryModel::IdColumn));
    header->setSectionHidden(DeviceInventoryModel::SourceColumn, true);
    header->moveSection(header->visualIndex(DeviceInventoryModel::IdColumn), 0);
    m_treeSparkplugSeen = m_inventory->sparkplugCount() > 0;
    m_views->addWidget(m_tree);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &InventoryPage::onTreeCurrentChanged);
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &InventoryPage::deviceSelectionChanged);
    connect(m_treeModel, &QAbstractItemModel::modelReset, this, &InventoryPage::deviceSelectionChanged);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tree->addActions(m_deviceActions);
    // Sources and groups are few: show their edge nodes and devices at once.
    connect(m_treeModel, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent, int first, int last) {
        for (int row = first; row <= last; ++row)
            expandFolders(m_treeModel->index(row, 0, parent));
    });
    connect(m_treeModel, &QAbstractItemModel::modelReset, m_tree, [this] {
        for (int row = 0; row < m_treeModel->rowCount(); ++row)
            expandFolders(m_treeModel->index(row, 0));
    });
    for (int row = 0; row < m_treeModel->rowCount(); ++row)
        expandFolders(m_treeModel->index(row, 0));
}

void InventoryPage::expandFolders(const QModelIndex &index)
{
    // Sources and groups open (their children are found by the device counts), and so do
    // edge nodes: a node with its devices is what a gateway operator looks at.
    const DeviceTreeModel::NodeKind kind = m_treeModel->kind(index);
    if (kind == DeviceTreeModel::NodeKind::Device)
        return;
    m_tree->expand(index);
    for (int row = 0; row < m_treeModel->rowCount(index); ++row)
        expandFolders(m_treeModel->index(row, 0, index));
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
    m_headerRestored = m_table->horizontalHeader()->restoreState(header);
    m_splitterRestored = m_splitter->restoreState(splitter);
}

} // namespace fd
