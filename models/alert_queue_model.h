#pragma once

#include "core/domain/alert.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QStringList>
#include <QTimer>

#include <array>
#include <functional>
#include <vector>

namespace fd {

// The open alerts (not resolved; cleared ones included) as a table, one row per alert,
// keyed by its id. Rows never move (a view sorts and filters through
// AlertFilterProxyModel).
//
// Changes (AlertService::alertsChanged) are merged into a pending set (the newest state of
// each alert wins) and applied by a single-shot timer armed when idle (default 100 ms, so at
// most ~10 Hz), or at once by flushPendingChanges(): changed rows get one dataChanged per
// contiguous run of rows (one range over them all beyond kMaxChangedRuns runs), resolved
// alerts are removed (one beginRemoveRows per contiguous run, last first; beyond
// kMaxRemovedRuns runs one layoutChanged that drops them, as a proxy's invalidate() does),
// new alerts are appended with one beginInsertRows. Only resetAlerts() resets the model.
//
// Snoozes end with the clock: a timer fires at the earliest snooze end and signals
// dataChanged for the rows whose snooze ended, so a "needs attention" filter takes them
// back. counts() (per severity: open, needing attention, unacknowledged and active) is
// recomputed after each applied change and signalled by countsChanged().
class AlertQueueModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        SeverityColumn,
        StatusColumn,
        RuleColumn,
        DeviceColumn,
        SourceColumn,
        SiteColumn,
        FirstSeenColumn,
        LastSeenColumn,
        CountColumn,
        AssigneeColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        SortRole = Qt::UserRole + 1,  // raw value: severity/status rank (int), times (qint64), count, text
        AlertIdRole,                  // qint64
        SeverityRole,                 // int (fd::AlertSeverity)
        StatusRole,                   // int (fd::AlertStatus)
        SnoozedRole,                  // bool: snoozed now
        ParentIdRole,                 // qint64: the group alert it belongs to, 0 if none
        NeedsAttentionRole,           // bool: AlertFilter::needsAttention now
        IsGroupRole,                  // bool: a group alert (no device)
    };

    using Clock = std::function<qint64()>;  // ms since epoch
    static constexpr int kMaxChangedRuns = 512;
    static constexpr int kMaxRemovedRuns = 16;

    // Per severity (index: int(AlertSeverity)).
    struct Counts
    {
        std::array<int, 5> open{};            // not resolved
        std::array<int, 5> needsAttention{};  // AlertFilter::needsAttention, not grouped under a parent
        std::array<int, 5> unackedActive{};   // ActiveUnack, not snoozed, not grouped under a parent
        int total() const;
        int totalNeedsAttention() const;
        int totalUnackedActive() const;
        friend bool operator==(const Counts &, const Counts &) = default;
    };

    explicit AlertQueueModel(QObject *parent = nullptr);

    void setClock(Clock clock);  // default QDateTime::currentMSecsSinceEpoch
    qint64 now() const { return m_clock(); }
    void setUpdateIntervalMs(int ms);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const Alert *alertAt(int row) const;  // nullptr if out of range
    const Alert *alert(qint64 id) const;  // nullptr if not open (as of the last applied change)
    int rowOf(qint64 id) const;            // -1 if unknown
    qint64 idAt(int row) const;            // 0 if out of range
    Counts counts() const { return m_counts; }
    // Distinct values of the open alerts, sorted (for filter choices and suggestions).
    QStringList sources() const { return m_sources; }
    QStringList sites() const { return m_sites; }
    QStringList rules() const { return m_rules; }
    QStringList assignees() const { return m_assignees; }
    bool hasPendingChanges() const { return !m_pending.isEmpty(); }

public slots:
    // Replaces everything (AlertService::openAlerts() once it is loaded); pending changes
    // are dropped (they are older than the list).
    void resetAlerts(const QList<fd::Alert> &alerts);
    // Merges into the pending set; applied on the next tick.
    void applyChanges(const QList<fd::Alert> &changed);
    void flushPendingChanges();

signals:
    void countsChanged();
    void distinctValuesChanged();

private:
    QVariant displayData(const Alert &a, int column) const;
    QVariant sortData(const Alert &a, int column) const;
    void signalChanged(std::vector<int> rows, int firstColumn, int lastColumn, const QList<int> &roles = {});
    void removeRows(std::vector<int> rows);  // sorted ascending, distinct
    void reindexFrom(int row);
    void updateDerived();  // counts, distinct values, snooze timer
    // Distinct values, counted incrementally (strings are hashed only for rows that change).
    void account(const Alert &a, int sign);
    void onSnoozeTimer();

    std::vector<Alert> m_rows;
    QHash<qint64, int> m_index;  // id -> row
    QHash<qint64, Alert> m_pending;
    QList<qint64> m_pendingOrder;  // first-seen order of the pending ids (new rows are appended in it)
    Counts m_counts;
    std::array<QHash<QString, int>, 4> m_distinctCounts;  // sources, sites, rules, assignees
    bool m_distinctDirty = false;
    QStringList m_sources;
    QStringList m_sites;
    QStringList m_rules;
    QStringList m_assignees;
    Clock m_clock;
    QTimer m_updateTimer;
    QTimer m_snoozeTimer;
    qint64 m_snoozeDueMs = 0;
    qint64 m_snoozeSeenMs = 0;  // snoozes that ended up to here were signalled
};

} // namespace fd
