#include "models/device_inventory_model.h"

#include "core/domain/plain_text.h"

#include "core/domain/device_filter.h"
#include "models/device_presence_style.h"
#include "models/metric_display.h"
#include "core/domain/metric_catalogue.h"
#include "models/reject_reason_labels.h"
#include "models/relative_time.h"
#include "models/series_mime.h"

#include <QColor>
#include <QDateTime>
#include <QFont>
#include <QLocale>
#include <QMimeData>
#include <QSet>

#include <algorithm>
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

int metricSlotOf(int column)
{
    switch (column) {
    case DeviceInventoryModel::TemperatureColumn: return 0;
    case DeviceInventoryModel::BatteryColumn: return 1;
    case DeviceInventoryModel::RssiColumn: return 2;
    case DeviceInventoryModel::TrendColumn: return 3;
    default: return -1;
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
    return column >= DeviceInventoryModel::TemperatureColumn && column <= DeviceInventoryModel::TrendColumn;
}

bool isMetricColumn(int column)
{
    return (column >= DeviceInventoryModel::TemperatureColumn && column <= DeviceInventoryModel::RssiColumn)
           || column == DeviceInventoryModel::TrendColumn;
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

void DeviceInventoryModel::setMaxChangesPerTick(int rows)
{
    m_maxChangesPerTick = rows;
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
    if (parent.isValid() || row < 0 || row >= m_store.size() || column < 0 || column >= ColumnCount)
        return {};
    return createIndex(row, column);
}

int DeviceInventoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_store.size();
}

int DeviceInventoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const Device *DeviceInventoryModel::deviceAt(int row) const
{
    if (row < 0 || row >= m_store.size())
        return nullptr;
    // Always built afresh (an update may have changed the row since the last call).
    const size_t slot = m_materializedNext;
    m_materializedNext = (m_materializedNext + 1) % m_materialized.size();
    m_materialized[slot] = m_store.device(row);
    return &m_materialized[slot];
}

Device DeviceInventoryModel::device(int row) const
{
    if (row < 0 || row >= m_store.size())
        return {};
    return m_store.device(row);
}

DeviceKey DeviceInventoryModel::keyAt(int row) const
{
    if (row < 0 || row >= m_store.size())
        return {};
    return m_store.key(row);
}

int DeviceInventoryModel::rowOf(const DeviceKey &key) const
{
    return m_store.find(key);
}

QList<Device> DeviceInventoryModel::devices() const
{
    QList<Device> all;
    all.reserve(m_store.size());
    for (int row = 0; row < m_store.size(); ++row)
        all.append(m_store.device(row));
    return all;
}

QStringList DeviceInventoryModel::distinct(Counted which) const
{
    const std::vector<int> &counts = m_counts[size_t(which)];
    QStringList values;
    for (size_t i = 1; i < counts.size(); ++i) {
        if (counts[i] > 0)
            values.append(m_store.string(quint32(i)));
    }
    values.sort(Qt::CaseInsensitive);
    return values;
}

QStringList DeviceInventoryModel::sites() const
{
    return distinct(Counted::Site);
}

QStringList DeviceInventoryModel::models() const
{
    return distinct(Counted::Model);
}

QStringList DeviceInventoryModel::sources() const
{
    return distinct(Counted::Source);
}

qint64 DeviceInventoryModel::metricIndex(int column) const
{
    const int slot = metricSlotOf(column);
    if (slot < 0)
        return -1;
    MetricSlot &s = m_metricSlots[size_t(slot)];
    // Re-looked up only when new strings were interned (a metric name may be among them).
    if (s.index < 0 && s.stringsSeen != m_store.stringCount()) {
        s.index = m_store.findString(metricNameFor(column, m_trendMetric));
        s.stringsSeen = m_store.stringCount();
    }
    return s.index;
}

const double *DeviceInventoryModel::metricOf(int row, int column, double *scratch) const
{
    const qint64 name = metricIndex(column);
    return name < 0 ? nullptr : m_store.findNumber(row, quint32(name), scratch);
}

QVariant DeviceInventoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const DeviceRowStore::Row &d = m_store.row(row);
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, column);
    case SortRole:
        return sortData(row, column);
    case Qt::ToolTipRole: {
        // Device-supplied text (id, source, metric names) is shown literally, never as markup.
        const QVariant tip = toolTipData(row, column);
        return tip.isValid() ? QVariant(plainTextAsRichText(tip.toString())) : tip;
    }
    case DeviceIdRole:
        return m_store.id(row).toString();
    case DeviceKeyRole:
        return QVariant::fromValue(m_store.key(row));
    case OnlineRole:
        return d.online;
    case PresenceRole:
        return int(presence(row));
    case StaleRole:
        if (column == StatusColumn)
            return presence(row) == DevicePresence::Unknown;
        return isMetricColumn(column) && isStale(row);
    case StaleSinceRole:
        return d.staleSinceMs;
    case Qt::DecorationRole:
        if (column == StatusColumn)
            return devicePresenceColor(presence(row));
        return {};
    case Qt::ForegroundRole:
        if (column == StatusColumn) {
            const DevicePresence p = presence(row);
            return p == DevicePresence::Unknown ? staleValueColor() : devicePresenceColor(p).darker(120);
        }
        if (isMetricColumn(column) && isStale(row))
            return staleValueColor();
        if (column == RejectedColumn && d.rejected > 0)
            return QColor(0xc0, 0x39, 0x2b);
        return {};
    case Qt::FontRole:
        if ((column == StatusColumn && presence(row) == DevicePresence::Unknown)
            || (isMetricColumn(column) && isStale(row))) {
            QFont italic;
            italic.setItalic(true);
            return italic;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (isNumericColumn(column))
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant DeviceInventoryModel::displayData(int row, int column) const
{
    const DeviceRowStore::Row &d = m_store.row(row);
    switch (column) {
    case StatusColumn:
        if (d.staleSinceMs != 0)
            return tr("%1 · stale").arg(devicePresenceLabel(presence(row)));
        return devicePresenceLabel(presence(row));
    case IdColumn: return m_store.shownId(row).toString();
    case NameColumn: return d.name;
    case SiteColumn: return m_store.string(d.site);
    case ModelColumn: return m_store.string(d.model);
    case FirmwareColumn: return m_store.string(d.fwVersion);
    case SourceColumn: return m_store.string(d.source);
    case SessionColumn: {
        const SparkplugSession *session = m_store.sparkplug(row);
        return session ? sessionSummary(*session) : QVariant();
    }
    case LastSeenColumn: return formatRelativeTime(d.lastSeenMs, m_clock());
    case TemperatureColumn:
    case BatteryColumn:
    case RssiColumn:
    case TrendColumn: {
        double scratch = 0;
        if (const double *v = metricOf(row, column, &scratch))
            return formatMetricValue(m_metrics, metricNameFor(column, m_trendMetric), *v);
        return {};
    }
    case MessagesColumn: return QLocale().toString(d.messageCount);
    case RejectedColumn: return QLocale().toString(d.rejected);
    default: return {};
    }
}

QVariant DeviceInventoryModel::sortData(int row, int column) const
{
    const DeviceRowStore::Row &d = m_store.row(row);
    switch (column) {
    case StatusColumn: return int(presence(row));
    case IdColumn:
    case NameColumn:
    case SiteColumn:
    case ModelColumn:
    case FirmwareColumn:
    case SourceColumn: return displayData(row, column);
    case SessionColumn: {
        const SparkplugSession *session = m_store.sparkplug(row);
        return session ? QVariant(session->bdSeq) : QVariant();  // missing values sort last
    }
    case LastSeenColumn: return d.lastSeenMs;
    case TemperatureColumn:
    case BatteryColumn:
    case RssiColumn:
    case TrendColumn: {
        double scratch = 0;
        if (const double *v = metricOf(row, column, &scratch))
            return *v;
        return {};  // missing values sort after every number
    }
    case MessagesColumn: return d.messageCount;
    case RejectedColumn: return quint64(d.rejected);
    default: return {};
    }
}

bool DeviceInventoryModel::lessThan(const Device &a, const Device &b, int column, const QString &trendMetric)
{
    auto text = [](const QString &x, const QString &y) { return QString::compare(x, y, Qt::CaseInsensitive) < 0; };
    switch (column) {
    case StatusColumn: return !a.online && b.online;
    case IdColumn: return text(a.key().shownId(), b.key().shownId());
    case NameColumn: return text(a.name, b.name);
    case SiteColumn: return text(a.site, b.site);
    case ModelColumn: return text(a.model, b.model);
    case FirmwareColumn: return text(a.fwVersion, b.fwVersion);
    case SourceColumn: return text(a.source, b.source);
    case SessionColumn: {
        const bool x = a.sparkplug.isSparkplug();
        const bool y = b.sparkplug.isSparkplug();
        if (!x || !y)
            return x && !y;
        return a.sparkplug.bdSeq < b.sparkplug.bdSeq;
    }
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
    return (column >= IdColumn && column <= FirmwareColumn) || column == SourceColumn;
}

DeviceSortKey DeviceInventoryModel::sortKey(int row, int column) const
{
    const DeviceRowStore::Row &d = m_store.row(row);
    switch (column) {
    case StatusColumn: return DeviceSortKey::ofUnsigned(quint64(presence(row)));
    case IdColumn: return DeviceSortKey::ofText(m_store.shownId(row));
    case NameColumn: return DeviceSortKey::ofText(d.name);
    case SiteColumn: return DeviceSortKey::ofText(m_store.string(d.site));
    case ModelColumn: return DeviceSortKey::ofText(m_store.string(d.model));
    case FirmwareColumn: return DeviceSortKey::ofText(m_store.string(d.fwVersion));
    case SourceColumn: return DeviceSortKey::ofText(m_store.string(d.source));
    case SessionColumn: {
        const SparkplugSession *session = m_store.sparkplug(row);
        return session ? DeviceSortKey::ofSigned(session->bdSeq) : DeviceSortKey::missing();
    }
    case LastSeenColumn: return DeviceSortKey::ofSigned(d.lastSeenMs);
    case TemperatureColumn:
    case BatteryColumn:
    case RssiColumn:
    case TrendColumn: {
        double scratch = 0;
        const double *v = metricOf(row, column, &scratch);
        return v ? DeviceSortKey::ofDouble(*v) : DeviceSortKey::missing();
    }
    case MessagesColumn: return DeviceSortKey::ofUnsigned(d.messageCount);
    case RejectedColumn: return DeviceSortKey::ofUnsigned(d.rejected);
    default: return {};
    }
}

bool DeviceInventoryModel::textLessThan(int rowA, int rowB, int column) const
{
    const QVariant a = displayData(rowA, column);
    const QVariant b = displayData(rowB, column);
    return DeviceFilter::foldedUtf8(a.toString()) < DeviceFilter::foldedUtf8(b.toString());
}

void DeviceInventoryModel::appendSearchText(int row, QByteArray &out) const
{
    DeviceFilter::appendFoldedUtf8(m_store.id(row), out);
    out.append('\0');
    DeviceFilter::appendFoldedUtf8(m_store.row(row).name, out);
}

QVariant DeviceInventoryModel::toolTipData(int row, int column) const
{
    const DeviceRowStore::Row &d = m_store.row(row);
    switch (column) {
    case StatusColumn: {
        const DevicePresence p = presence(row);
        QString tip = p != DevicePresence::Unknown
                          ? devicePresenceToolTip(p)
                          : tr("%1\nSource %2: %3. Last reported: %4.")
                                .arg(devicePresenceToolTip(p), m_store.string(d.source),
                                     connectionStateKey(m_presence.state(m_store.string(d.source))),
                                     d.online ? tr("online") : tr("offline"));
        if (d.staleSinceMs != 0)
            tip = tr("%1 · %2\n%3\n%4").arg(devicePresenceLabel(p), staleSinceText(row), staleSinceToolTip(row), tip);
        return tip;
    }
    case IdColumn:
        return tr("%1\nSource: %2").arg(d.path, m_store.string(d.source));
    case LastSeenColumn:
        return tr("Last accepted message: %1").arg(formatAbsoluteTime(d.lastSeenMs));
    case TrendColumn: {
        const QVariant latest = displayData(row, column);
        QString trend = tr("Last %1 of %2 (live data since FleetDeck started)")
                            .arg(windowText(m_trendWindowMs), metricDisplayName(m_metrics, m_trendMetric));
        if (latest.isValid())
            trend = tr("%1\nLatest: %2").arg(trend, latest.toString());
        if (d.staleSinceMs != 0)
            trend = tr("%1\n%2").arg(trend, staleSinceToolTip(row));
        else if (isStale(row))
            trend = tr("%1\nStale: last updated %2").arg(trend, formatRelativeTime(d.lastTelemetryMs, m_clock()));
        return trend;
    }
    case TemperatureColumn:
    case BatteryColumn:
    case RssiColumn: {
        const QVariant text = displayData(row, column);
        if (!text.isValid() || text.toString().isEmpty())
            return {};
        if (!isStale(row))
            return text;
        if (d.staleSinceMs != 0)
            return tr("%1\n%2").arg(text.toString(), staleSinceToolTip(row));
        const QString why = m_presence.isVisible(d.source) ? QString() : tr(" (source not connected)");
        return tr("%1\nStale: last updated %2%3")
            .arg(text.toString(), formatRelativeTime(d.lastTelemetryMs, m_clock()), why);
    }
    case SessionColumn: {
        const SparkplugSession *session = m_store.sparkplug(row);
        if (!session)
            return {};
        const qint64 now = m_clock();
        const QString path = m_store.row(row).path;
        const qsizetype segments = path.count(QLatin1Char('/')) + 1;
        QStringList lines;
        lines.append(segments == 2 ? tr("Sparkplug B edge node %1").arg(path)
                                   : tr("Sparkplug B device of edge node %1").arg(path.section(QLatin1Char('/'), 0, 1)));
        lines.append(session->bdSeq >= 0 ? tr("bdSeq %1 (the edge node's session)").arg(session->bdSeq)
                                         : tr("No session seen yet"));
        lines.append(tr("Births: %1, last %2").arg(session->births).arg(formatClockTime(session->lastBirthMs, now)));
        lines.append(tr("Deaths: %1, last %2").arg(session->deaths).arg(formatClockTime(session->lastDeathMs, now)));
        if (!session->lastRebirthCause.isEmpty())
            lines.append(tr("Last rebirth request: %1 (%2)")
                             .arg(session->lastRebirthCause, formatClockTime(session->lastRebirthMs, now)));
        return lines.join(QLatin1Char('\n'));
    }
    case RejectedColumn: {
        if (d.rejected == 0)
            return tr("No rejected messages.");
        const RejectCounts rejects = m_store.rejects(row);
        QStringList lines;
        for (RejectReason r : kAllRejectReasons) {
            const quint32 n = rejects[size_t(r)];
            if (n > 0)
                lines.append(tr("%1: %2").arg(rejectReasonLabel(r), QLocale().toString(n)));
        }
        return lines.join(QLatin1Char('\n'));
    }
    default: {
        QVariant text = displayData(row, column);
        return text.toString().isEmpty() ? QVariant() : text;
    }
    }
}

QVariant DeviceInventoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole)
        // The Trend title starts over its sparkline (and, when the column is narrow, stays readable).
        return QVariant::fromValue((isNumericColumn(section) && section != TrendColumn ? Qt::AlignRight : Qt::AlignLeft)
                                   | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && section == LastSeenColumn)
        return tr("Time since the last accepted message from the device");
    if (role == Qt::ToolTipRole && (section == TemperatureColumn || section == BatteryColumn || section == RssiColumn))
        return m_metrics ? m_metrics->axisTitle(metricNameFor(section, m_trendMetric))
                         : metricNameFor(section, m_trendMetric);
    if (role == Qt::ToolTipRole && section == SessionColumn)
        return tr("Sparkplug B session of an edge node or its device: the node's birth-death sequence (bdSeq), "
                  "births and deaths. Empty for protocol v1 devices.");
    if (role == Qt::ToolTipRole && section == SourceColumn)
        return tr("The connection (broker profile) the device was heard on");
    if (role == Qt::ToolTipRole && section == TrendColumn)
        return tr("The last %1 of %2 per device, and its latest value. Right-click the header to choose "
                  "the metric.").arg(windowText(m_trendWindowMs), metricDisplayName(m_metrics, m_trendMetric));
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
    case TrendColumn: return tr("Trend: %1 (%2)").arg(metricDisplayName(m_metrics, m_trendMetric), windowText(m_trendWindowMs));
    case SourceColumn: return tr("Source");
    case SessionColumn: return tr("Session");
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
        DraggedSeries s;
        const DeviceKey key = keyAt(index.row());
        s.deviceId = key.path;
        s.source = key.source;
        for (auto *m = m_store.metricsBegin(index.row()), *end = m_store.metricsEnd(index.row()); m != end; ++m)
            s.metrics.append(m_store.string(m->name));
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
    m_metricSlots[3] = MetricSlot();
    emit headerDataChanged(Qt::Horizontal, TrendColumn, TrendColumn);
    if (m_store.size() > 0)
        emit dataChanged(index(0, TrendColumn), index(m_store.size() - 1, TrendColumn),
                         {Qt::DisplayRole, SortRole, Qt::ToolTipRole});
    emit trendMetricChanged(m_trendMetric);
}

void DeviceInventoryModel::setMetricCatalogue(const MetricCatalogue *metrics)
{
    if (metrics == m_metrics)
        return;
    if (m_metrics)
        disconnect(m_metrics, nullptr, this, nullptr);
    m_metrics = metrics;
    const auto refresh = [this] {
        emit headerDataChanged(Qt::Horizontal, TemperatureColumn, ColumnCount - 1);
        if (m_store.size() > 0)
            emit dataChanged(index(0, TemperatureColumn), index(m_store.size() - 1, ColumnCount - 1),
                             {Qt::DisplayRole, Qt::ToolTipRole});
    };
    if (m_metrics)
        connect(m_metrics, &MetricCatalogue::changed, this, refresh);
    refresh();
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
    std::vector<bool> used(m_store.stringCount(), false);
    for (int row = 0; row < m_store.size(); ++row)
        for (auto *m = m_store.metricsBegin(row), *end = m_store.metricsEnd(row); m != end; ++m)
            used[m->name] = true;
    QStringList sorted;
    for (size_t i = 0; i < used.size(); ++i)
        if (used[i])
            sorted.append(m_store.string(quint32(i)));
    sorted.sort(Qt::CaseInsensitive);
    return sorted;
}

void DeviceInventoryModel::account(int row, int sign)
{
    const DeviceRowStore::Row &d = m_store.row(row);
    if (d.online)
        m_onlineCount += sign;
    if (d.source != 0)
        m_presence.account(d.source, m_store.string(d.source), d.online, row, d.lastSeenMs, sign);
    auto bump = [&](Counted which, quint32 value) {
        if (value == 0)
            return;
        std::vector<int> &counts = m_counts[size_t(which)];
        if (counts.size() <= value)
            counts.resize(std::max<size_t>(value + 1, m_store.stringCount()), 0);
        int &n = counts[value];
        const bool wasPresent = n > 0;
        n += sign;
        if (wasPresent != (n > 0))
            m_distinctDirty = true;
    };
    bump(Counted::Site, d.site);
    bump(Counted::Model, d.model);
    bump(Counted::Source, d.source);
}

void DeviceInventoryModel::resetDevices(const QList<Device> &devices)
{
    beginResetModel();
    m_store.clear();
    m_onlineCount = 0;
    m_presence.clearCounts();
    for (std::vector<int> &counts : m_counts)
        counts.clear();
    m_metricSlots = {};
    // Room for new devices (address space only until used).
    m_store.reserve(int(devices.size() + devices.size() / 8));
    for (qsizetype i = 0; i < devices.size(); ++i) {
        const Device &d = devices[i];
        if (i + 8 < devices.size()) {
            // A cache load: the next devices' strings are scattered over the heap.
            const Device &next = devices[i + 8];
            __builtin_prefetch(reinterpret_cast<const char *>(next.path.constData()) - 16);
            __builtin_prefetch(reinterpret_cast<const char *>(next.id.constData()) - 16);
            __builtin_prefetch(reinterpret_cast<const char *>(next.name.constData()) - 16);
            __builtin_prefetch(next.metrics.constData());
        }
        bool added = false;
        const int row = m_store.findOrAppend(d, &added);
        if (!added) {  // the same key twice: the later one wins
            account(row, -1);
            m_store.assign(row, d);
        }
        account(row, +1);
    }
    endResetModel();
    m_distinctDirty = false;
    emit distinctValuesChanged();
    emit countsChanged(m_store.size(), onlineCount());
}

void DeviceInventoryModel::applyUpdates(const QList<Device> &changed)
{
    for (const Device &d : changed) {
        const DeviceKey key = d.key();
        const auto it = m_pendingIndex.constFind(key);
        if (it != m_pendingIndex.cend()) {
            m_pending[*it] = d;
        } else {
            m_pendingIndex.insert(key, m_pending.size());
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
    // What the caps leave for later ticks goes back into m_pending (room for all of it: no
    // re-allocation while a burst is deferred).
    if (m_maxInsertsPerTick > 0 || m_maxChangesPerTick > 0)
        m_pending.reserve(pending.size());

    int firstChanged = std::numeric_limits<int>::max();
    int lastChanged = -1;
    m_changedRows.clear();
    QList<Device> added;
    for (Device &d : pending) {
        const int row = m_store.find(d.key());
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
        if (m_maxChangesPerTick > 0 && m_changedRows.size() >= size_t(m_maxChangesPerTick)) {
            m_pendingIndex.insert(d.key(), m_pending.size());
            m_pending.append(std::move(d));
            continue;
        }
        account(row, -1);
        m_store.assign(row, d);
        account(row, +1);
        m_changedRows.push_back(row);
        firstChanged = std::min(firstChanged, row);
        lastChanged = std::max(lastChanged, row);
    }
    if (lastChanged >= 0) {
        m_changedValid = true;
        emit dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
        m_changedValid = false;
    }
    m_changedRows.clear();

    if (!added.isEmpty()) {
        const int first = m_store.size();
        // Two updates of one new device in the batch were merged by applyUpdates().
        beginInsertRows(QModelIndex(), first, first + int(added.size()) - 1);
        for (const Device &d : std::as_const(added))
            account(m_store.append(d), +1);
        endInsertRows();
    }

    if (m_distinctDirty) {
        m_distinctDirty = false;
        emit distinctValuesChanged();
    }
    emit countsChanged(m_store.size(), onlineCount());
    if (!m_pending.isEmpty() && !m_updateTimer.isActive())
        m_updateTimer.start();
}

void DeviceInventoryModel::removeDevices(const QList<DeviceKey> &devices)
{
    // A pending update of a deleted device must not bring it back at the next tick.
    if (!m_pending.isEmpty()) {
        const QSet<DeviceKey> doomed(devices.cbegin(), devices.cend());
        const qsizetype before = m_pending.size();
        m_pending.removeIf([&doomed](const Device &d) { return doomed.contains(d.key()); });
        if (m_pending.size() != before) {
            m_pendingIndex.clear();
            for (qsizetype i = 0; i < m_pending.size(); ++i)
                m_pendingIndex.insert(m_pending.at(i).key(), i);
        }
    }
    std::vector<int> rows;
    for (const DeviceKey &key : devices) {
        const int row = m_store.find(key);
        if (row >= 0)
            rows.push_back(row);
    }
    if (rows.empty())
        return;
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    struct Range
    {
        int first;
        int last;
    };
    std::vector<Range> ranges;
    for (int row : rows) {
        if (!ranges.empty() && ranges.back().last == row - 1)
            ranges.back().last = row;
        else
            ranges.push_back({row, row});
    }
    if (ranges.size() > size_t(kMaxRemovedRanges)) {
        beginResetModel();
        for (int row : rows)
            account(row, -1);
        m_store.removeRows(rows);
        endResetModel();
    } else {
        for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
            beginRemoveRows(QModelIndex(), it->first, it->last);
            for (int row = it->first; row <= it->last; ++row)
                account(row, -1);
            m_store.removeRows(it->first, it->last);
            endRemoveRows();
        }
    }
    m_presence.rebuildRows(m_store.size(), [this](int row) { return m_store.row(row).source; });
    if (m_distinctDirty) {
        m_distinctDirty = false;
        emit distinctValuesChanged();
    }
    emit countsChanged(m_store.size(), onlineCount());
}

void DeviceInventoryModel::refreshLastSeen()
{
    if (m_store.size() == 0)
        return;
    // Only the text changes; the sort value (raw time) does not, so a sorting proxy has
    // nothing to re-sort.
    emit dataChanged(index(0, LastSeenColumn), index(m_store.size() - 1, LastSeenColumn),
                     {Qt::DisplayRole, Qt::ToolTipRole});
    // Metric values age into staleness: their look (not their value or order) changes.
    if (m_staleAfterMs > 0)
        emit dataChanged(index(0, TemperatureColumn), index(m_store.size() - 1, TrendColumn),
                         {Qt::ForegroundRole, Qt::FontRole, Qt::ToolTipRole, StaleRole});
}

DevicePresence DeviceInventoryModel::presence(int row) const
{
    const DeviceRowStore::Row &d = m_store.row(row);
    return devicePresence(d.online, m_presence.isVisible(d.source));
}

bool DeviceInventoryModel::isStale(int row) const
{
    const DeviceRowStore::Row &d = m_store.row(row);
    if (d.staleSinceMs != 0 || !m_presence.isVisible(d.source))
        return true;
    return m_staleAfterMs > 0 && d.lastTelemetryMs > 0 && m_clock() - d.lastTelemetryMs > m_staleAfterMs;
}

QString DeviceInventoryModel::sessionSummary(const SparkplugSession &session)
{
    if (session.bdSeq < 0)
        return tr("births %1 · deaths %2").arg(session.births).arg(session.deaths);
    return tr("bdSeq %1 · births %2 · deaths %3").arg(session.bdSeq).arg(session.births).arg(session.deaths);
}

QString DeviceInventoryModel::staleSinceText(int row) const
{
    const qint64 since = m_store.row(row).staleSinceMs;
    return since != 0 ? tr("stale since %1").arg(formatClockTime(since, m_clock())) : QString();
}

QString DeviceInventoryModel::staleSinceToolTip(int row) const
{
    const qint64 since = m_store.row(row).staleSinceMs;
    if (since == 0)
        return {};
    return tr("STALE since %1: the values are the last known ones (the device or its edge node went offline, "
              "or the broker connection was lost).")
        .arg(formatAbsoluteTime(since));
}

qint64 DeviceInventoryModel::sourceLastSeenMs(const QString &source) const
{
    const qint64 id = m_store.findString(source);
    const SourcePresenceTable::Entry *e = id < 0 ? nullptr : m_presence.entry(quint32(id));
    return e ? e->lastSeenMs : 0;
}

void DeviceInventoryModel::setSourceState(const QString &source, ConnectionState state)
{
    const qint64 changed = m_presence.setState(source, m_store.findString(source), state);
    if (changed >= 0)
        signalPresenceChanged({quint32(changed)});
}

void DeviceInventoryModel::setDefaultSourceState(ConnectionState state)
{
    m_presence.setDefaultState(state);
    signalPresenceChanged(m_presence.takeChanged());
}

void DeviceInventoryModel::signalPresenceChanged(const std::vector<quint32> &sources)
{
    int first = std::numeric_limits<int>::max();
    int last = -1;
    for (quint32 id : sources) {
        if (const SourcePresenceTable::Entry *e = m_presence.entry(id)) {
            first = std::min(first, e->firstRow);
            last = std::max(last, e->lastRow);
        }
    }
    last = std::min(last, m_store.size() - 1);
    if (last < 0 || first > last)
        return;
    // One range over the rows of those sources (other sources' rows inside it are unchanged).
    emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
    emit countsChanged(m_store.size(), onlineCount());
}

} // namespace fd
