#include "ui/inventory_columns.h"

#include "core/settings/settings_keys.h"
#include "models/device_inventory_model.h"
#include "ui/inventory_trend_column.h"

#include <QAbstractItemModel>
#include <QHeaderView>
#include <QMenu>
#include <QMetaEnum>
#include <QSettings>
#include <QTableView>

#include <algorithm>

namespace fd {

namespace {

using Inv = DeviceInventoryModel;

// Typical content when the table is still empty.
QString sampleText(int column)
{
    switch (column) {
    case Inv::StatusColumn: return QStringLiteral("Offline");
    case Inv::IdColumn: return QStringLiteral("dev-00000");
    case Inv::NameColumn: return QStringLiteral("Warehouse Bay 1");
    case Inv::SiteColumn: return QStringLiteral("Rotterdam-Port");
    case Inv::ModelColumn: return QStringLiteral("TH-200");
    case Inv::FirmwareColumn: return QStringLiteral("2.4.2");
    case Inv::LastSeenColumn: return QStringLiteral("59 min ago");
    case Inv::TemperatureColumn: return QStringLiteral("-20.5 °C");
    case Inv::BatteryColumn: return QStringLiteral("100 %");
    case Inv::RssiColumn: return QStringLiteral("-100 dBm");
    case Inv::MessagesColumn: return QStringLiteral("12,345");
    case Inv::RejectedColumn: return QStringLiteral("123");
    case Inv::TrendColumn: return QStringLiteral("-20.5 °C");
    case Inv::SourceColumn: return QStringLiteral("broker-west");
    case Inv::SessionColumn: return QStringLiteral("bdSeq 12 · births 3 · deaths 2");
    default: return QString();
    }
}

QString columnName(int column)
{
    return QString::fromLatin1(QMetaEnum::fromType<Inv::Column>().valueToKey(column));
}

constexpr int kContentRows = 50;  // rows measured for the default widths

} // namespace

InventoryColumns::InventoryColumns(QTableView *table, InventoryTrendColumn *trend, QObject *parent)
    : QObject(parent)
    , m_table(table)
    , m_trend(trend)
{
    QHeaderView *header = table->horizontalHeader();
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    header->setTextElideMode(Qt::ElideRight);  // "Trend: temperat…" (its tooltip says it whole)
    connect(header, &QHeaderView::customContextMenuRequested, this, &InventoryColumns::showHeaderMenu);
    applyDefaultOrder();
    for (int column : defaultHiddenColumns())
        header->setSectionHidden(column, true);
    fitWidthsToContent();
}

QList<int> InventoryColumns::defaultHiddenColumns()
{
    // So that the others fit a 1280 px window next to the detail panel. Model and firmware
    // are in the detail panel (and the filter bar); the Trend column shows the latest
    // temperature by default; Source is shown as soon as a second source appears
    // (showSourceIfSeveral).
    // Session (Sparkplug B) likewise once a Sparkplug device appears (showSessionIfSparkplug).
    return {Inv::FirmwareColumn, Inv::ModelColumn, Inv::SourceColumn, Inv::TemperatureColumn, Inv::SessionColumn};
}

void InventoryColumns::showSourceIfSeveral(int sources)
{
    if (sources > 1 && !m_sourceChosen && !isColumnShown(Inv::SourceColumn)) {
        QHeaderView *header = m_table->horizontalHeader();
        header->setSectionHidden(Inv::SourceColumn, false);
        if (header->sectionSize(Inv::SourceColumn) < 20)
            header->resizeSection(Inv::SourceColumn, defaultWidth(Inv::SourceColumn));
    }
}

void InventoryColumns::showSessionIfSparkplug(bool sparkplug)
{
    if (!sparkplug || m_sparkplugSeen)
        return;
    m_sparkplugSeen = true;
    QHeaderView *header = m_table->horizontalHeader();
    // Sparkplug devices die and go STALE: room for "Offline · stale" in the status.
    const QFontMetrics fm = m_table->fontMetrics();
    const int status = fm.horizontalAdvance(tr("Offline · stale")) + fm.height() + 16;
    if (header->sectionSize(Inv::StatusColumn) < status)
        header->resizeSection(Inv::StatusColumn, status);
    if (!m_sessionChosen && !isColumnShown(Inv::SessionColumn)) {
        header->setSectionHidden(Inv::SessionColumn, false);
        if (header->sectionSize(Inv::SessionColumn) < 20)
            header->resizeSection(Inv::SessionColumn, defaultWidth(Inv::SessionColumn));
    }
}

int InventoryColumns::maxWidthChars(int column)
{
    switch (column) {
    case Inv::NameColumn: return 15;
    case Inv::SiteColumn: return 13;
    case Inv::SourceColumn: return 14;
    case Inv::IdColumn: return 14;
    case Inv::ModelColumn: return 10;
    case Inv::FirmwareColumn: return 10;
    case Inv::TrendColumn: return 17;
    case Inv::SessionColumn: return 30;
    default: return 11;
    }
}

void InventoryColumns::applyDefaultOrder()
{
    QHeaderView *header = m_table->horizontalHeader();
    for (int logical = 0; logical < header->count(); ++logical)
        header->moveSection(header->visualIndex(logical), logical);
    // The Trend column is last in the model (saved header states stay valid); shown after
    // the metric columns.
    header->moveSection(header->visualIndex(Inv::TrendColumn), header->visualIndex(Inv::RssiColumn) + 1);
    // Source is last in the model for the same reason; shown before the device id.
    header->moveSection(header->visualIndex(Inv::SourceColumn), header->visualIndex(Inv::IdColumn));
    // Session (Sparkplug) likewise; shown after "Last seen", before the metrics.
    header->moveSection(header->visualIndex(Inv::SessionColumn), header->visualIndex(Inv::LastSeenColumn) + 1);
}

int InventoryColumns::defaultWidth(int column) const
{
    const QFontMetrics fm = m_table->fontMetrics();
    const QFontMetrics headerFm = m_table->horizontalHeader()->fontMetrics();
    QAbstractItemModel *model = m_table->model();
    const QString title = model ? model->headerData(column, Qt::Horizontal).toString() : QString();
    // Header text plus room for the sort arrow; the Trend title ("Trend: temperature (5 min)")
    // may elide, its tooltip says it in full.
    int width = column == Inv::TrendColumn ? 0 : headerFm.horizontalAdvance(title) + 14;
    int content = 0;
    const int rows = model ? std::min(model->rowCount(), kContentRows) : 0;
    for (int row = 0; row < rows; ++row)
        content = std::max(content, fm.horizontalAdvance(model->index(row, column).data().toString()));
    if (rows == 0)
        content = fm.horizontalAdvance(sampleText(column));
    if (column == Inv::StatusColumn)
        content += fm.height();  // the status dot
    if (column == Inv::TrendColumn)
        content += InventoryTrendColumn::kSparklineWidth + 8;
    width = std::max(width, content + 14);
    return std::clamp(width, 40, fm.averageCharWidth() * maxWidthChars(column) + 16);
}

void InventoryColumns::fitWidthsToContent()
{
    QHeaderView *header = m_table->horizontalHeader();
    for (int column = 0; column < header->count(); ++column)
        header->resizeSection(column, defaultWidth(column));
}

void InventoryColumns::setSettings(QSettings *settings)
{
    m_settings = nullptr;  // applying the saved choice does not write it back
    if (settings && settings->contains(SettingsKeys::kInventoryHiddenColumns)) {
        const QStringList hidden = settings->value(SettingsKeys::kInventoryHiddenColumns).toStringList();
        for (int column = 0; column < Inv::ColumnCount; ++column) {
            if (column != Inv::SessionColumn)
                setColumnShown(column, !hidden.contains(columnName(column)));
        }
        m_sourceChosen = true;
        // Session: hidden by the user's choice, or (not listed: also settings saved before
        // the column existed) shown once there is a Sparkplug device.
        if (hidden.contains(columnName(Inv::SessionColumn))) {
            setColumnShown(Inv::SessionColumn, false);
            m_sessionChosen = true;
        }
    }
    m_settings = settings;
}

void InventoryColumns::setColumnShown(int column, bool shown)
{
    if (column == Inv::IdColumn && !shown)
        return;  // a row must say which device it is
    QHeaderView *header = m_table->horizontalHeader();
    if (header->isSectionHidden(column) == !shown)
        return;
    header->setSectionHidden(column, !shown);
    if (column == Inv::SourceColumn)
        m_sourceChosen = true;
    if (column == Inv::SessionColumn)
        m_sessionChosen = true;
    if (shown && header->sectionSize(column) < 20)
        header->resizeSection(column, defaultWidth(column));
    saveHidden();
}

bool InventoryColumns::isColumnShown(int column) const
{
    return !m_table->horizontalHeader()->isSectionHidden(column);
}

void InventoryColumns::saveHidden()
{
    if (!m_settings)
        return;
    QStringList hidden;
    for (int column = 0; column < Inv::ColumnCount; ++column) {
        if (!isColumnShown(column))
            hidden.append(columnName(column));
    }
    m_settings->setValue(SettingsKeys::kInventoryHiddenColumns, hidden);
}

void InventoryColumns::resetColumns()
{
    QHeaderView *header = m_table->horizontalHeader();
    const QList<int> hidden = defaultHiddenColumns();
    for (int column = 0; column < header->count(); ++column)
        header->setSectionHidden(column, hidden.contains(column));
    applyDefaultOrder();
    fitWidthsToContent();
    m_sourceChosen = false;
    m_sessionChosen = false;
    m_sparkplugSeen = false;
    if (m_settings)
        m_settings->remove(SettingsKeys::kInventoryHiddenColumns);
}

QMenu *InventoryColumns::createMenu(QWidget *parent)
{
    auto *menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("inventoryHeaderMenu"));
    menu->addSection(tr("Columns"));
    QHeaderView *header = m_table->horizontalHeader();
    QAbstractItemModel *model = m_table->model();
    // In the order shown.
    for (int visual = 0; visual < header->count(); ++visual) {
        const int column = header->logicalIndex(visual);
        QString title = column == Inv::TrendColumn ? tr("Trend")
                                                   : model->headerData(column, Qt::Horizontal).toString();
        QAction *action = menu->addAction(title);
        action->setObjectName(QStringLiteral("column_%1").arg(columnName(column)));
        action->setData(column);
        action->setCheckable(true);
        action->setChecked(isColumnShown(column));
        action->setEnabled(column != Inv::IdColumn);
        connect(action, &QAction::toggled, this, [this, column](bool on) { setColumnShown(column, on); });
    }
    menu->addSeparator();
    QAction *reset = menu->addAction(tr("Reset Columns"));
    reset->setObjectName(QStringLiteral("resetColumns"));
    reset->setToolTip(tr("Show the default columns in their default order and widths"));
    connect(reset, &QAction::triggered, this, &InventoryColumns::resetColumns);
    if (m_trend)
        m_trend->addMenuEntries(menu);
    return menu;
}

void InventoryColumns::showHeaderMenu(const QPoint &pos)
{
    QHeaderView *header = m_table->horizontalHeader();
    QMenu *menu = createMenu(header);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(header->viewport()->mapToGlobal(pos));
}

} // namespace fd
