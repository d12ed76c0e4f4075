#include "models/device_inventory_model.h"

#include "models/metric_display.h"
#include "models/reject_reason_labels.h"
#include "models/relative_time.h"
#include "models/series_mime.h"

#include <QColor>
#include <QDateTime>
#include <QLocale>
#include <QMimeData>
#include <QSet>

#include <bit>
#include <limits>
#include <utility>

namespace fd {

namespace {

// Metrics of protocol v1 telemetry that get their own columns, and the Trend column's.
const QString &metricNameFor(int column, const QString &trendMetric)
{
    static const QString temperature = QStringLiteral("temperature");
    static const QString battery = QStringLiteral("battery");
    static const QString rssi = QStringLiteral("rssi");
    static const QString none;
    switch (column) {
    case DeviceInventoryModel::TemperatureColumn: return temperature;
    case DeviceInventoryModel::BatteryColumn: return battery;
    case DeviceInventoryModel::RssiColumn: return rssi;
    case DeviceInventoryModel::TrendColumn: return trendMetric;
    default: return none;
    }
}

QString windowText(qint64 windowMs)
{
    const qint64 minutes = windowMs / 60000;
    if (minutes > 0 && windowMs % 60000 == 0)
        return DeviceInventoryModel::tr("%n min", nullptr, int(minutes));
    return DeviceInventoryModel::tr("%n s", nullptr, int(windowMs / 1000));
}

bool isNumericColumn(int column)
{
    return column >= DeviceInventoryModel::TemperatureColumn;
}

QColor onlineColor() { return QColor(0x2e, 0x9d, 0x4f); }
QColor offlineColor() { return QColor(0x8a, 0x8f, 0x98); }

QStringList sortedKeys(const QHash<QString, int> &counts)
{
    QStringList keys;
    keys.reserve(counts.size());
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        if (it.value() > 0 && !it.key().isEmpty())
            keys.append(it.key());
    }
    keys.sort(Qt::CaseInsensitive);
    return keys;
}

} // namespace

DeviceInventoryModel::DeviceInventoryModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_updateTimer.setSingleShot(true);
    m_updateTimer.setInterval(100);
    connect(&m_updateTimer, &QTimer::timeout, this, &DeviceInventoryModel::flushPendingUpdates);

    m_lastSeenTimer.setInterval(1000);
    connect(&m_lastSeenTimer, &QTimer::timeout, this, &DeviceInventoryModel::refreshLastSeen);
    m_lastSeenTimer.start();
}

void DeviceInventoryModel::setClock(Clock clock)
{
    m_clock = std::move(clock);
}

void DeviceInventoryModel::setUpdateIntervalMs(int ms)
{
    m_updateTimer.setInterval(ms);
}

void DeviceInventoryModel::setMaxInsertsPerTick(int rows)
{
    m_maxInsertsPerTick = rows;
}

void DeviceInventoryModel::setLastSeenRefreshIntervalMs(int ms)
{
    if (ms <= 0) {
        m_lastSeenTimer.stop();
        return;
    }
    m_lastSeenTimer.start(ms);
}

QModelIndex DeviceInventoryModel::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || row >= m_devices.size() || column < 0 || column >= ColumnCount)
        return {};
    return createIndex(row, column);
}

int DeviceInventoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_devices.size());
}

int DeviceInventoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const Device *DeviceInventoryModel::deviceAt(int row) const
{
    if (row < 0 || row >= m_devices.size())
        return nullptr;
    return &m_devices.at(row);
}

int DeviceInventoryModel::rowOf(const DeviceKey &device) const
{
    return m_rowById.value(device, -1);
}

QStringList DeviceInventoryModel::sites() const
{
    return sortedKeys(m_siteCounts);
}

QStringList DeviceInventoryModel::models() const
{
    return sortedKeys(m_modelCounts);
}

QVariant DeviceInventoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Device &d = m_devices.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(d, column);
    case SortRole:
        return sortData(d, column);
    case Qt::ToolTipRole:
        return toolTipData(d, column);
    case DeviceIdRole:
        return d.id;
    case SourceRole:
        return d.source;
    case PathRole:
        return d.path.isEmpty() ? d.id : d.path;
    case OnlineRole:
        return d.online;
    case Qt::DecorationRole:
        if (column == StatusColumn)
            return d.online ? onlineColor() : offlineColor();
        return {};
    case Qt::ForegroundRole:
        if (column == StatusColumn)
            return d.online ? onlineColor().darker(120) : offlineColor();
        if (column == RejectedColumn && d.rejectedCount() > 0)
            return QColor(0xc0, 0x39, 0x2b);
        return {};
    case Qt::TextAlignmentRole:
        if (isNumericColumn(column))
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant DeviceInventoryModel::displayData(const Device &d, int column) const
{
    const QLocale locale;
    switch (column) {
    case StatusColumn: return d.online ? tr("Online") : tr("Offline");
    case IdColumn: return d.id;
    case NameColumn: return d.name;
    case SiteColumn: return d.site;
    case ModelColumn: return d.model;
    case FirmwareColumn: return d.fwVersion;
    case LastSeenColumn: return formatRelativeTime(d.lastSeenMs, m_clock());
    case TemperatureColumn:
    case BatteryColumn:
    case RssiColumn:
    case TrendColumn: {
        const QString &metric = metricNameFor(column, m_trendMetric);
        if (const double *v = findMetric(d.metrics, metric))
            return formatMetricValue(metric, *v);
        return {};
    }
    case MessagesColumn: return locale.toString(d.messageCount);
    case RejectedColumn: return locale.toString(d.rejectedCount());
    default: return {};
    }
}

QVariant DeviceInventoryModel::sortData(const Device &d, int column) const
{
    switch (column) {
    case StatusColumn: return d.online;
    case IdColumn: return d.id;
    case NameColumn: return d.name;
    case SiteColumn: return d.site;
    case ModelColumn: return d.model;
    case FirmwareColumn: return d.fwVersion;
    case LastSeenColumn: return d.lastSeenMs;
    case TemperatureColumn:
    case BatteryColumn:
    case RssiColumn:
    case TrendColumn:
        if (const double *v = findMetric(d.metrics, metricNameFor(column, m_trendMetric)))
            return *v;
        return {};  // missing values sort after every number
    case MessagesColumn: return d.messageCount;
    case RejectedColumn: return d.rejectedCount();
    default: return {};
    }
}

bool DeviceInventoryModel::lessThan(const Device &a, const Device &b, int column, const QString &trendMetric)
{
    auto text = [](const QString &x, const QString &y) { return QString::compare(x, y, Qt::CaseInsensitive) < 0; };
    switch (column) {
    case StatusColumn: return !a.online && b.online;
    case IdColumn: return text(a.id, b.id);
    case NameColumn: return text(a.name, b.name);
    case SiteColumn: return text(a.site, b.site);
    case ModelColumn: return text(a.model, b.model);
    case FirmwareColumn: return text(a.fwVersion, b.fwVersion);
    case LastSeenColumn: return a.lastSeenMs < b.lastSeenMs;
    case TemperatureColumn:
    case BatteryColumn:
    case RssiColumn:
    case TrendColumn: {
        const double *x = findMetric(a.metrics, metricNameFor(column, trendMetric));
        const double *y = findMetric(b.metrics, metricNameFor(column, trendMetric));
        if (!x || !y)
            return x && !y;  // a value sorts before no value
        return *x < *y;
    }
    case MessagesColumn: return a.messageCount < b.messageCount;
    case RejectedColumn: return a.rejectedCount() < b.rejectedCount();
    default: return false;
    }
}

bool DeviceInventoryModel::isTextColumn(int column)
{
    return column >= IdColumn && column <= FirmwareColumn;
}

QString DeviceInventoryModel::textSortKey(const Device &d, int column)
{
    switch (column) {
    case IdColumn: return d.id.toCaseFolded();  // shares d's data when already folded
    case NameColumn: return d.name.toCaseFolded();
    case SiteColumn: return d.site.toCaseFolded();
    case ModelColumn: return d.model.toCaseFolded();
    case FirmwareColumn: return d.fwVersion.toCaseFolded();
    default: return {};
    }
}

quint64 DeviceInventoryModel::numericSortKey(const Device &d, int column, const QString &trendMetric)
{
    constexpr quint64 signBit = quint64(1) << 63;
    switch (column) {
    case StatusColumn: return d.online ? 1 : 0;
    case LastSeenColumn: return quint64(d.lastSeenMs) ^ signBit;
    case TemperatureColumn:
    case BatteryColumn:
    case RssiColumn:
    case TrendColumn: {
        const double *v = findMetric(d.metrics, metricNameFor(column, trendMetric));
        if (!v)
            return std::numeric_limits<quint64>::max();  // after every number
        const double value = *v == 0.0 ? 0.0 : *v;  // -0.0 == 0.0
        const quint64 bits = std::bit_cast<quint64>(value);
        // IEEE 754 as an unsigned integer in numeric order (NaN excluded: never a metric).
        const quint64 key = (bits & signBit) ? ~bits : (bits | signBit);
        return std::min(key, std::numeric_limits<quint64>::max() - 1);
    }
    case MessagesColumn: return d.messageCount;
    case RejectedColumn: return d.rejectedCount();
    default: return 0;
    }
}

QVariant DeviceInventoryModel::toolTipData(const Device &d, int column) const
{
    switch (column) {
    case StatusColumn:
        return d.online ? tr("Online: the device's last status said it is connected.")
                        : tr("Offline: the device said goodbye or its connection was lost.");
    case LastSeenColumn:
        return tr("Last accepted message: %1").arg(formatAbsoluteTime(d.lastSeenMs));
    case TrendColumn: {
        const QVariant latest = displayData(d, column);
        const QString trend = tr("Last %1 of %2 (live data since FleetDeck started)")
                                  .arg(windowText(m_trendWindowMs), metricDisplayName(m_trendMetric));
        return latest.isValid() ? tr("%1\nLatest: %2").arg(trend, latest.toString()) : trend;
    }
    case RejectedColumn: {
        if (d.rejectedCount() == 0)
            return tr("No rejected messages.");
        QStringList lines;
        for (RejectReason r : kAllRejectReasons) {
            const quint32 n = d.rejects[size_t(r)];
            if (n > 0)
                lines.append(tr("%1: %2").arg(rejectReasonLabel(r), QLocale().toString(n)));
        }
        return lines.join(QLatin1Char('\n'));
    }
    default: {
        QVariant text = displayData(d, column);
        return text.toString().isEmpty() ? QVariant() : text;
    }
    }
}

QVariant DeviceInventoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue((isNumericColumn(section) ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && section == LastSeenColumn)
        return tr("Time since the last accepted message from the device");
    if (role == Qt::ToolTipRole && section == TemperatureColumn)
        return tr("Temperature");
    if (role == Qt::ToolTipRole && section == RssiColumn)
        return tr("Received signal strength");
    if (role == Qt::ToolTipRole && section == TrendColumn)
        return tr("The last %1 of %2 per device, and its latest value. Right-click the header to choose "
                  "the metric.").arg(windowText(m_trendWindowMs), metricDisplayName(m_trendMetric));
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StatusColumn: return tr("Status");
    case IdColumn: return tr("Device ID");
    case NameColumn: return tr("Name");
    case SiteColumn: return tr("Site");
    case ModelColumn: return tr("Model");
    case FirmwareColumn: return tr("Firmware");
    case LastSeenColumn: return tr("Last seen");
    case TemperatureColumn: return tr("Temp.");
    case BatteryColumn: return tr("Battery");
    case RssiColumn: return tr("RSSI");
    case MessagesColumn: return tr("Messages");
    case RejectedColumn: return tr("Rejected");
    case TrendColumn: return tr("Trend: %1 (%2)").arg(m_trendMetric, windowText(m_trendWindowMs));
    default: return {};
    }
}

Qt::ItemFlags DeviceInventoryModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled | Qt::ItemNeverHasChildren;
}

QStringList DeviceInventoryModel::mimeTypes() const
{
    return {SeriesMime::mimeType(), QStringLiteral("text/plain")};
}

QMimeData *DeviceInventoryModel::mimeData(const QModelIndexList &indexes) const
{
    // One entry per device, in the order of the indexes (a view passes every column of
    // each selected row).
    QList<DraggedSeries> series;
    QSet<int> rows;
    for (const QModelIndex &index : indexes) {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            continue;
        if (rows.contains(index.row()))
            continue;
        rows.insert(index.row());
        const Device &d = m_devices.at(index.row());
        DraggedSeries s;
        s.deviceId = d.key().path;
        s.source = d.source;
        for (const MetricValue &m : d.metrics)
            s.metrics.append(m.name);
        // The Trend column's metric first: the one the operator is watching in the table
        // is what a drop target picks for a device (see DraggedSeries).
        if (const qsizetype at = s.metrics.indexOf(m_trendMetric); at > 0)
            s.metrics.move(at, 0);
        series.append(s);
    }
    if (series.isEmpty())
        return nullptr;
    return SeriesMime::toMimeData(series);
}

Qt::DropActions DeviceInventoryModel::supportedDragActions() const
{
    return Qt::CopyAction;
}

QString DeviceInventoryModel::defaultTrendMetric()
{
    return QStringLiteral("temperature");
}

void DeviceInventoryModel::setTrendMetric(const QString &metric)
{
    const QString chosen = metric.isEmpty() ? defaultTrendMetric() : metric;
    if (chosen == m_trendMetric)
        return;
    m_trendMetric = chosen;
    emit headerDataChanged(Qt::Horizontal, TrendColumn, TrendColumn);
    if (!m_devices.isEmpty())
        emit dataChanged(index(0, TrendColumn), index(int(m_devices.size()) - 1, TrendColumn),
                         {Qt::DisplayRole, SortRole, Qt::ToolTipRole});
    emit trendMetricChanged(m_trendMetric);
}

void DeviceInventoryModel::setTrendWindowMs(qint64 windowMs)
{
    if (windowMs <= 0 || windowMs == m_trendWindowMs)
        return;
    m_trendWindowMs = windowMs;
    emit headerDataChanged(Qt::Horizontal, TrendColumn, TrendColumn);
}

QStringList DeviceInventoryModel::metricNames() const
{
    QSet<QString> names;
    for (const Device &d : m_devices)
        for (const MetricValue &m : d.metrics)
            names.insert(m.name);
    QStringList sorted(names.cbegin(), names.cend());
    sorted.sort(Qt::CaseInsensitive);
    return sorted;
}

void DeviceInventoryModel::account(const Device &device, int sign)
{
    if (device.online)
        m_onlineCount += sign;
    auto bump = [&](QHash<QString, int> &counts, const QString &key) {
        if (key.isEmpty())
            return;
        int &n = counts[key];
        const bool wasPresent = n > 0;
        n += sign;
        if (wasPresent != (n > 0))
            m_distinctDirty = true;
        if (n <= 0)
            counts.remove(key);
    };
    bump(m_siteCounts, device.site);
    bump(m_modelCounts, device.model);
}

void DeviceInventoryModel::resetDevices(const QList<Device> &devices)
{
    beginResetModel();
    m_devices.clear();
    m_rowById.clear();
    m_onlineCount = 0;
    m_siteCounts.clear();
    m_modelCounts.clear();
    // Room for new devices (address space only until used: no copy of every device when
    // the first ones arrive after a cache load).
    m_devices.reserve(devices.size() + devices.size() / 8);
    m_rowById.reserve(devices.size());
    for (const Device &d : devices) {
        const int existing = m_rowById.value(d.key(), -1);
        if (existing >= 0) {
            account(m_devices.at(existing), -1);
            m_devices[existing] = d;
        } else {
            m_rowById.insert(d.key(), int(m_devices.size()));
            m_devices.append(d);
        }
        account(d, +1);
    }
    endResetModel();
    m_distinctDirty = false;
    emit distinctValuesChanged();
    emit countsChanged(int(m_devices.size()), m_onlineCount);
}

void DeviceInventoryModel::applyUpdates(const QList<Device> &changed)
{
    for (const Device &d : changed) {
        const auto it = m_pendingIndex.constFind(d.key());
        if (it != m_pendingIndex.cend()) {
            m_pending[*it] = d;
        } else {
            m_pendingIndex.insert(d.key(), m_pending.size());
            m_pending.append(d);
        }
    }
    if (!m_pending.isEmpty() && !m_updateTimer.isActive())
        m_updateTimer.start();
}

void DeviceInventoryModel::flushPendingUpdates()
{
    m_updateTimer.stop();
    if (m_pending.isEmpty())
        return;
    QList<Device> pending = std::exchange(m_pending, {});
    m_pendingIndex.clear();

    int firstChanged = std::numeric_limits<int>::max();
    int lastChanged = -1;
    QList<Device> added;
    for (Device &d : pending) {
        const int row = m_rowById.value(d.key(), -1);
        if (row < 0) {
            if (m_maxInsertsPerTick > 0 && added.size() >= m_maxInsertsPerTick) {
                // For a later tick; a newer update of it before then replaces it there.
                m_pendingIndex.insert(d.key(), m_pending.size());
                m_pending.append(std::move(d));
            } else {
                added.append(std::move(d));
            }
            continue;
        }
        account(m_devices.at(row), -1);
        m_devices[row] = std::move(d);
        account(m_devices.at(row), +1);
        firstChanged = std::min(firstChanged, row);
        lastChanged = std::max(lastChanged, row);
    }
    if (lastChanged >= 0)
        emit dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));

    if (!added.isEmpty()) {
        const int first = int(m_devices.size());
        beginInsertRows(QModelIndex(), first, first + int(added.size()) - 1);
        for (Device &d : added) {
            m_rowById.insert(d.key(), int(m_devices.size()));
            m_devices.append(std::move(d));
            account(m_devices.constLast(), +1);
        }
        endInsertRows();
    }

    if (m_distinctDirty) {
        m_distinctDirty = false;
        emit distinctValuesChanged();
    }
    emit countsChanged(int(m_devices.size()), m_onlineCount);
    if (!m_pending.isEmpty() && !m_updateTimer.isActive())
        m_updateTimer.start();
}

void DeviceInventoryModel::refreshLastSeen()
{
    if (m_devices.isEmpty())
        return;
    // Only the text changes; the sort value (raw time) does not, so a sorting proxy has
    // nothing to re-sort.
    emit dataChanged(index(0, LastSeenColumn), index(int(m_devices.size()) - 1, LastSeenColumn),
                     {Qt::DisplayRole, Qt::ToolTipRole});
}

} // namespace fd
