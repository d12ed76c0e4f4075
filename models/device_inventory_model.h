#pragma once

#include "core/domain/device.h"
#include "models/device_row_store.h"
#include "models/device_sort_key.h"
#include "models/source_presence_table.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QStringList>
#include <QTimer>

#include <array>
#include <functional>
#include <vector>

namespace fd {

class MetricCatalogue;

// The fleet inventory as a table: one row per device, keyed by its DeviceKey (source +
// path: the same id heard on two connections is two rows). Rows never move (the view sorts
// through DeviceFilterProxyModel) and are stored compactly (DeviceRowStore: interned
// strings, packed metrics); deviceAt()/device() build a full Device on demand. Rows leave
// only when their devices are deleted (removeDevices()).
//
// Updates are coalesced: applyUpdates() only merges into a pending set; a single-shot timer
// (armed when idle, default 100 ms, so at most ~10 Hz) applies them as ONE beginInsertRows
// for new devices and ONE dataChanged range for changed rows. During that dataChanged,
// changedRows() lists the rows that really changed (the range may span the whole table),
// so a proxy re-examines only those. The "Last seen" column is relative ("12 s ago") and
// refreshed with one dataChanged for that column per second (roles without SortRole);
// the model is never reset except by resetDevices().
//
// The Trend column is the latest value of a metric the user chooses (setTrendMetric(),
// default "temperature"); a view paints the last trendWindowMs() of that metric next to
// it (SparklineDelegate) from the live ring buffers at paint time: the model stores
// nothing per row for it. It sorts by that latest value.
//
// The status shown is DevicePresence (core/domain/device_presence.h): the device's own
// status only while its source is connected, else Unknown (setSourceState()). A source
// changing state is O(1) bookkeeping (SourcePresenceTable) and one dataChanged over the
// rows of that source; the devices keep their last reported status. Metric values are
// stale (StaleRole; grey italic, "last updated 14 min ago") while the source is not
// connected or the device's last telemetry is older than staleAfterMs().
//
// Rows can be dragged: mimeData() is SeriesMime (application/x-fleetdeck-series), one
// entry per device without a metric, with the metrics the device reports.
class DeviceInventoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        StatusColumn,
        IdColumn,
        NameColumn,
        SiteColumn,
        ModelColumn,
        FirmwareColumn,
        LastSeenColumn,
        TemperatureColumn,
        BatteryColumn,
        RssiColumn,
        MessagesColumn,
        RejectedColumn,
        TrendColumn,   // after the original columns: header states saved before it existed still restore
        SourceColumn,  // the connection name; appended for the same reason (the view shows it early)
        SessionColumn, // Sparkplug B session facts ("bdSeq 3 · births 2 · deaths 1"); empty for protocol v1
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        SortRole = Qt::UserRole + 1,  // raw value: bool, QString, qint64 ms, double, quint64
        DeviceIdRole,                 // QString: the device's own id (last path segment)
        OnlineRole,                   // bool
        DeviceKeyRole,                // fd::DeviceKey: source + path, what identifies the row
        PresenceRole,                 // int (fd::DevicePresence): the status as shown
        StaleRole,                    // bool: the cell's value may no longer be true (status
                                      // unknown, metric stale)
        StaleSinceRole,               // qint64: Device::staleSinceMs (0: current), every column
    };

    using Clock = std::function<qint64()>;  // ms since epoch
    static constexpr int kMaxRemovedRanges = 4;

    explicit DeviceInventoryModel(QObject *parent = nullptr);

    // Both default to QDateTime::currentMSecsSinceEpoch / 100 ms / 1000 ms.
    void setClock(Clock clock);
    void setUpdateIntervalMs(int ms);
    void setLastSeenRefreshIntervalMs(int ms);
    // At most this many new devices are inserted per tick (default 1,000; <= 0: no limit);
    // the others stay pending for the next ticks, so a burst of new devices never stalls
    // the GUI thread in one update. Each tick is still one beginInsertRows.
    void setMaxInsertsPerTick(int rows);
    int maxInsertsPerTick() const { return m_maxInsertsPerTick; }
    // The same for changes of known devices (default 2,000: 10,000 devices changing per
    // second at 10 ticks/s fit, and a burst is spread over ticks instead of one long one).
    // A change left for a later tick is replaced there by any newer update of that device.
    void setMaxChangesPerTick(int rows);
    int maxChangesPerTick() const { return m_maxChangesPerTick; }

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    Qt::DropActions supportedDragActions() const override;

    // The metric of the Trend column. Changing it updates the header and that column of
    // every row (DisplayRole, SortRole, ToolTipRole).
    static QString defaultTrendMetric();
    QString trendMetric() const { return m_trendMetric; }
    void setTrendMetric(const QString &metric);
    // Only for the header text ("Trend: Temperature (5 min)"); the view paints that window.
    qint64 trendWindowMs() const { return m_trendWindowMs; }
    void setTrendWindowMs(qint64 windowMs);
    // Every metric some device reports, sorted (scans the devices: call on demand).
    QStringList metricNames() const;

    // How metrics are shown (names, units, decimals); null: wire names and plain numbers. The
    // metric columns and their headers follow its changes. The detail panel and the Trend
    // column read it from here.
    void setMetricCatalogue(const MetricCatalogue *metrics);
    const MetricCatalogue *metricCatalogue() const { return m_metrics; }

    // The reference order of SortRole for column (tests): strings case-insensitively,
    // devices without a metric after all with one. trendMetric: the metric of TrendColumn.
    static bool lessThan(const Device &a, const Device &b, int column,
                         const QString &trendMetric = defaultTrendMetric());
    static bool isTextColumn(int column);
    // The same order as precomputed keys: sortKey(a) < sortKey(b), and for equal keys of a
    // text column that are truncated(), textLessThan(a, b).
    DeviceSortKey sortKey(int row, int column) const;
    bool textLessThan(int rowA, int rowB, int column) const;
    // The case-folded UTF-8 text of id and name (separated by '\0'), for text search.
    void appendSearchText(int row, QByteArray &out) const;

    // A full Device built from the compact row. deviceAt() keeps the last 16 it built: the
    // pointer stays valid until 16 more deviceAt() calls or the next update (use it at once,
    // or call device() for a copy). nullptr if row is out of range.
    const Device *deviceAt(int row) const;
    Device device(int row) const;
    DeviceKey keyAt(int row) const;  // null key if out of range
    int rowOf(const DeviceKey &key) const;  // -1 if unknown
    QList<Device> devices() const;  // a copy of every device (tests, small fleets)
    const DeviceRowStore &store() const { return m_store; }

    // During the dataChanged of an update tick: the rows that changed (unsorted, no
    // duplicates); nullptr otherwise (then every row of the range may have changed).
    const std::vector<int> *changedRows() const { return m_changedValid ? &m_changedRows : nullptr; }

    // Online devices of connected sources (what is shown as online).
    int onlineCount() const { return m_presence.visibleOnline(); }
    // Devices of sources that are not connected (shown as Unknown), and those sources.
    int unknownCount() const { return m_presence.unknown(); }
    QStringList unknownSources() const { return m_presence.hiddenSources(); }
    DevicePresence presence(int row) const;
    // The row's metric values are stale (source not connected, old telemetry, or marked
    // STALE by its protocol: staleSinceMs()).
    bool isStale(int row) const;
    // Device::staleSinceMs of the row: its values are the last known ones since then (a
    // Sparkplug death or the loss of the broker); 0: current.
    qint64 staleSinceMs(int row) const { return m_store.row(row).staleSinceMs; }
    // "stale since 10:42:13" or empty, and the longer explanation for tooltips.
    QString staleSinceText(int row) const;
    QString staleSinceToolTip(int row) const;
    // The row's Sparkplug B session facts, or nullptr for a protocol v1 device.
    const SparkplugSession *sparkplugSession(int row) const { return m_store.sparkplug(row); }
    // Rows that are Sparkplug edge nodes or devices.
    int sparkplugCount() const { return m_store.sparkplugCount(); }
    // "bdSeq 3 · births 2 · deaths 1" and the longer form for tooltips and the detail panel.
    static QString sessionSummary(const SparkplugSession &session);
    // The newest "last seen" of a source's devices (0: none).
    qint64 sourceLastSeenMs(const QString &source) const;

    // The connection state of a source (FleetSession::sourceStateChanged). Sources never
    // given a state have defaultSourceState() (Connected: a model used alone shows the
    // devices' own status; the window sets Disconnected, so cached devices of a source not
    // connected show as Unknown).
    void setSourceState(const QString &source, fd::ConnectionState state);
    ConnectionState sourceState(const QString &source) const { return m_presence.state(source); }
    void setDefaultSourceState(fd::ConnectionState state);
    // Metric values older than this are stale (default 5 min; <= 0: only an unconnected
    // source makes them stale).
    void setStaleAfterMs(qint64 ms) { m_staleAfterMs = ms; }
    qint64 staleAfterMs() const { return m_staleAfterMs; }
    QStringList sites() const;    // distinct, sorted, non-empty
    QStringList models() const;   // distinct, sorted, non-empty
    QStringList sources() const;  // distinct, sorted, non-empty
    bool hasPendingUpdates() const { return !m_pending.isEmpty(); }

public slots:
    // Replaces everything (cache load). Pending updates are kept and applied afterwards.
    void resetDevices(const QList<fd::Device> &devices);
    // Merges into the pending set; applied on the next tick.
    void applyUpdates(const QList<fd::Device> &changed);
    // Applies pending updates now (also called by the tick): at most maxChangesPerTick()
    // changes to known devices and maxInsertsPerTick() new devices; if updates remain
    // pending, the tick is re-armed for them.
    void flushPendingUpdates();
    // The devices were deleted (FleetSession::devicesRemoved): their rows go at once, with
    // any update of them still pending. One beginRemoveRows per contiguous range of rows,
    // last range first; more than kMaxRemovedRanges ranges (a scattered multi-selection)
    // are one reset instead, since each range costs a pass over the table.
    void removeDevices(const QList<fd::DeviceKey> &devices);

signals:
    void distinctValuesChanged();                 // sites(), models() or sources() changed
    // online: onlineCount() (connected sources only); unknownCount() changed with it.
    void countsChanged(int total, int online);
    void trendMetricChanged(const QString &metric);

private:
    enum class Counted { Site, Model, Source };
    void refreshLastSeen();
    void account(int row, int sign);  // online count + distinct values
    QStringList distinct(Counted which) const;
    qint64 metricIndex(int column) const;
    const double *metricOf(int row, int column, double *scratch) const;
    QVariant displayData(int row, int column) const;
    QVariant sortData(int row, int column) const;
    QVariant toolTipData(int row, int column) const;
    void signalPresenceChanged(const std::vector<quint32> &sources);

    DeviceRowStore m_store;
    QList<Device> m_pending;
    QHash<DeviceKey, qsizetype> m_pendingIndex;
    std::vector<int> m_changedRows;
    bool m_changedValid = false;

    int m_onlineCount = 0;  // as reported by the devices
    SourcePresenceTable m_presence;
    qint64 m_staleAfterMs = 5LL * 60 * 1000;
    std::array<std::vector<int>, 3> m_counts;  // by Counted, indexed by interned string
    bool m_distinctDirty = false;

    struct MetricSlot
    {
        quint32 stringsSeen = 0;  // m_store.stringCount() when `index` was looked up
        qint64 index = -1;
    };
    mutable std::array<MetricSlot, 4> m_metricSlots;  // temperature, battery, rssi, trend
    mutable std::array<Device, 16> m_materialized;
    mutable size_t m_materializedNext = 0;

    const MetricCatalogue *m_metrics = nullptr;
    QString m_trendMetric = defaultTrendMetric();
    qint64 m_trendWindowMs = 5LL * 60 * 1000;
    int m_maxInsertsPerTick = 1000;
    int m_maxChangesPerTick = 2000;
    Clock m_clock;
    QTimer m_updateTimer;
    QTimer m_lastSeenTimer;
};

} // namespace fd
