#pragma once

#include "core/domain/device.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QStringList>
#include <QTimer>

#include <functional>

namespace fd {

// The fleet inventory as a table: one row per device, rows never move (the view sorts
// through DeviceFilterProxyModel).
//
// Updates are coalesced: applyUpdates() only merges into a pending set; a single-shot timer
// (armed when idle, default 100 ms, so at most ~10 Hz) applies them as ONE beginInsertRows
// for new devices and ONE dataChanged range for changed rows. The "Last seen" column is
// relative ("12 s ago") and refreshed with one dataChanged for that column per second;
// the model is never reset except by resetDevices().
//
// The Trend column is the latest value of a metric the user chooses (setTrendMetric(),
// default "temperature"); a view paints the last trendWindowMs() of that metric next to
// it (SparklineDelegate) from the live ring buffers at paint time: the model stores
// nothing per row for it. It sorts by that latest value.
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
        TrendColumn,  // last: header states saved before it existed still restore
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        SortRole = Qt::UserRole + 1,  // raw value: bool, QString, qint64 ms, double, quint64
        DeviceIdRole,                 // QString
        SourceRole,                   // QString: the connection (DeviceKey::source)
        PathRole,                     // QString: the path in it (DeviceKey::path)
        OnlineRole,                   // bool
    };

    using Clock = std::function<qint64()>;  // ms since epoch

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

    // Without QAbstractTableModel's virtual rowCount()/columnCount() calls (a sorting proxy
    // creates two indexes per comparison).
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

    // The order of SortRole for column, without building QVariants (fast sorting of large
    // fleets): strings case-insensitively, devices without a metric after all with one.
    // trendMetric: the metric of TrendColumn.
    static bool lessThan(const Device &a, const Device &b, int column,
                         const QString &trendMetric = defaultTrendMetric());
    // The same order as precomputed keys (for sorting 100k rows by key, not by Device):
    // text columns compare textSortKey() (case-folded) with QString::operator<, the others
    // numericSortKey() (order-preserving; a missing metric is the largest key).
    static bool isTextColumn(int column);
    static QString textSortKey(const Device &d, int column);
    static quint64 numericSortKey(const Device &d, int column, const QString &trendMetric = defaultTrendMetric());

    const Device *deviceAt(int row) const;
    int rowOf(const DeviceKey &device) const;  // -1 if unknown
    const QList<Device> &devices() const { return m_devices; }

    int onlineCount() const { return m_onlineCount; }
    QStringList sites() const;   // distinct, sorted, non-empty
    QStringList models() const;  // distinct, sorted, non-empty
    bool hasPendingUpdates() const { return !m_pending.isEmpty(); }

public slots:
    // Replaces everything (cache load). Pending updates are kept and applied afterwards.
    void resetDevices(const QList<fd::Device> &devices);
    // Merges into the pending set; applied on the next tick.
    void applyUpdates(const QList<fd::Device> &changed);
    // Applies pending updates now (also called by the tick): every change to a known
    // device, and at most maxInsertsPerTick() new devices; if new devices remain pending,
    // the tick is re-armed for them.
    void flushPendingUpdates();

signals:
    void distinctValuesChanged();                 // sites() or models() changed
    void countsChanged(int total, int online);
    void trendMetricChanged(const QString &metric);

private:
    void refreshLastSeen();
    void account(const Device &device, int sign);  // online count + distinct values
    QVariant displayData(const Device &d, int column) const;
    QVariant sortData(const Device &d, int column) const;
    QVariant toolTipData(const Device &d, int column) const;

    QList<Device> m_devices;
    QHash<DeviceKey, int> m_rowById;

    QList<Device> m_pending;
    QHash<DeviceKey, qsizetype> m_pendingIndex;

    int m_onlineCount = 0;
    QHash<QString, int> m_siteCounts;
    QHash<QString, int> m_modelCounts;
    bool m_distinctDirty = false;

    QString m_trendMetric = defaultTrendMetric();
    qint64 m_trendWindowMs = 5LL * 60 * 1000;
    int m_maxInsertsPerTick = 1000;
    Clock m_clock;
    QTimer m_updateTimer;
    QTimer m_lastSeenTimer;
};

} // namespace fd
