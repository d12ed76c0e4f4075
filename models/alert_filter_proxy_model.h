#pragma once

#include "core/domain/alert_filter.h"

#include <QHash>
#include <QSortFilterProxyModel>

namespace fd {

class AlertQueueModel;

// The triage queue's view of AlertQueueModel: filtered by fd::AlertFilter (the proxy only
// calls it), sorted by the column's SortRole with ties broken by severity, then the newest
// alert (first occurrence: a repeat moves no row), then the id, so equal keys never shuffle.
//
// Grouping (setGroupBy): the rows of one rule (or site) are kept together, the groups
// ordered by their worst severity (among their open alerts), then by name, whatever the
// direction of the column sort, and inside a group sorted as chosen. When a group's worst
// severity changes (a site's first critical alert), the rows are sorted again. The group's column shows its name and size ("Overheat (12)") on the group's
// first row only (GroupStartRole), the other rows leave it empty: a flat table that reads
// like sections, so that j/k, Shift+arrows and bulk selection work across groups exactly as
// without grouping (a tree would put group rows in the way of keyboard triage and of a
// selection spanning groups).
//
// Alerts are counted in a few thousands, so QSortFilterProxyModel's per-row work on each
// dataChanged range (AlertQueueModel signals contiguous runs of changed rows) is cheap.
class AlertFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class GroupBy { None, Rule, Site };
    enum Role {
        GroupStartRole = Qt::UserRole + 50,  // bool: the first row of its group (grouping on)
        GroupKeyRole,                        // QString: the row's group (rule or site name)
    };

    explicit AlertFilterProxyModel(QObject *parent = nullptr);

    // Only an AlertQueueModel (or nullptr) is accepted.
    void setSourceModel(QAbstractItemModel *model) override;
    AlertQueueModel *queueModel() const { return m_queue; }

    void setFilter(const AlertFilter &filter);
    const AlertFilter &filter() const { return m_filter; }

    void setGroupBy(GroupBy group);
    GroupBy groupBy() const { return m_groupBy; }
    // The column whose cells name the group (RuleColumn, SiteColumn); -1 without grouping.
    int groupColumn() const;
    // Rows of the group of proxy row `row` (shown rows only).
    int groupSize(int row) const;

    qint64 alertIdAt(int row) const;  // 0 if out of range
    int rowOfAlert(qint64 id) const;  // proxy row, -1 if not shown

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString groupKeyOfSource(int sourceRow) const;
    QHash<QString, int> computeGroupRanks() const;  // group -> worst severity (int)
    void onSourceChanged();
    void invalidateGroupSizes() { m_groupSizesValid = false; }

    AlertQueueModel *m_queue = nullptr;
    AlertFilter m_filter;
    GroupBy m_groupBy = GroupBy::None;
    mutable QHash<QString, int> m_groupSizes;
    mutable bool m_groupSizesValid = false;
    QHash<QString, int> m_groupRanks;  // as of the last sort
};

} // namespace fd
