#include "models/alert_queue_model.h"

#include "core/domain/alert_filter.h"
#include "models/alert_style.h"
#include "models/connection_state_style.h"
#include "models/relative_time.h"

#include <QDateTime>
#include <QFont>
#include <QPalette>

#include <algorithm>
#include <limits>

namespace fd {

namespace {

template<typename Array>
int sum(const Array &a)
{
    int total = 0;
    for (int v : a)
        total += v;
    return total;
}

// Rows (sorted, distinct) as [first, last] runs.
std::vector<std::pair<int, int>> runsOf(const std::vector<int> &rows)
{
    std::vector<std::pair<int, int>> runs;
    for (int r : rows) {
        if (!runs.empty() && runs.back().second + 1 == r)
            runs.back().second = r;
        else
            runs.emplace_back(r, r);
    }
    return runs;
}

} // namespace

int AlertQueueModel::Counts::total() const
{
    return sum(open);
}

int AlertQueueModel::Counts::totalNeedsAttention() const
{
    return sum(needsAttention);
}

int AlertQueueModel::Counts::totalUnackedActive() const
{
    return sum(unackedActive);
}

AlertQueueModel::AlertQueueModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_updateTimer.setSingleShot(true);
    m_updateTimer.setInterval(100);
    connect(&m_updateTimer, &QTimer::timeout, this, &AlertQueueModel::flushPendingChanges);
    m_snoozeTimer.setSingleShot(true);
    m_snoozeTimer.setTimerType(Qt::CoarseTimer);
    connect(&m_snoozeTimer, &QTimer::timeout, this, &AlertQueueModel::onSnoozeTimer);
}

void AlertQueueModel::setClock(Clock clock)
{
    m_clock = std::move(clock);
}

void AlertQueueModel::setUpdateIntervalMs(int ms)
{
    m_updateTimer.setInterval(qMax(0, ms));
}

int AlertQueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AlertQueueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const Alert *AlertQueueModel::alertAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[size_t(row)] : nullptr;
}

const Alert *AlertQueueModel::alert(qint64 id) const
{
    return alertAt(rowOf(id));
}

int AlertQueueModel::rowOf(qint64 id) const
{
    return m_index.value(id, -1);
}

qint64 AlertQueueModel::idAt(int row) const
{
    const Alert *a = alertAt(row);
    return a ? a->id : 0;
}

QVariant AlertQueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SeverityColumn: return tr("Severity");
    case StatusColumn: return tr("Status");
    case RuleColumn: return tr("Rule");
    case DeviceColumn: return tr("Device");
    case SourceColumn: return tr("Source");
    case SiteColumn: return tr("Site");
    case FirstSeenColumn: return tr("First seen");
    case LastSeenColumn: return tr("Last seen");
    case CountColumn: return tr("Count");
    case AssigneeColumn: return tr("Assignee");
    }
    return {};
}

QVariant AlertQueueModel::displayData(const Alert &a, int column) const
{
    switch (column) {
    case SeverityColumn: return alertSeverityLabel(a.severity);
    case StatusColumn: {
        const QString status = alertStatusLabel(a.status);
        return a.isSnoozed(now()) ? tr("%1 · snoozed").arg(status) : status;
    }
    case RuleColumn: return a.ruleName;
    case DeviceColumn: return alertSubjectText(a);
    case SourceColumn: return a.device.source;
    case SiteColumn: return a.site;
    case FirstSeenColumn: return formatAlertTime(a.firstTsMs, now());
    case LastSeenColumn: return formatAlertTime(a.lastTsMs, now());
    case CountColumn: return QString::number(a.count);
    case AssigneeColumn: return a.assignee;
    }
    return {};
}

QVariant AlertQueueModel::sortData(const Alert &a, int column) const
{
    switch (column) {
    case SeverityColumn: return int(a.severity);  // Critical (0) first ascending
    case StatusColumn: return int(a.status);
    case RuleColumn: return a.ruleName;
    case DeviceColumn: return a.isGroup() ? a.groupKey : a.device.path;
    case SourceColumn: return a.device.source;
    case SiteColumn: return a.site;
    case FirstSeenColumn: return a.firstTsMs;
    case LastSeenColumn: return a.lastTsMs;
    case CountColumn: return a.count;
    case AssigneeColumn: return a.assignee;
    }
    return {};
}

QVariant AlertQueueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Alert &a = m_rows[size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole: return displayData(a, column);
    case SortRole: return sortData(a, column);
    case AlertIdRole: return a.id;
    case SeverityRole: return int(a.severity);
    case StatusRole: return int(a.status);
    case SnoozedRole: return a.isSnoozed(now());
    case ParentIdRole: return a.parentId;
    case NeedsAttentionRole: return AlertFilter::needsAttention(a, now());
    case IsGroupRole: return a.isGroup();
    case Qt::DecorationRole:
        if (column == SeverityColumn)
            return alertSeverityColor(a.severity);
        return {};
    case Qt::FontRole:
        // Not yet acknowledged while active: bold, like an unread message.
        if (a.status == AlertStatus::ActiveUnack) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        // Cleared alerts recede; what is still going on stands out.
        if (!a.isActive())
            return QPalette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::TextAlignmentRole:
        if (column == CountColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole: {
        QString text = a.message.isEmpty() ? a.ruleName : a.message;
        if (column == StatusColumn && a.isSnoozed(now()))
            text = tr("Snoozed until %1").arg(formatAbsoluteTime(a.snoozedUntilMs));
        else if (column == FirstSeenColumn)
            text = formatAbsoluteTime(a.firstTsMs);
        else if (column == LastSeenColumn)
            text = formatAbsoluteTime(a.lastTsMs);
        else if (column == DeviceColumn && !a.isGroup())
            text = a.device.displayString() + u'\n' + text;
        return plainTextToolTip(text);
    }
    default: return {};
    }
}

void AlertQueueModel::resetAlerts(const QList<Alert> &alerts)
{
    beginResetModel();
    m_pending.clear();
    m_pendingOrder.clear();
    m_updateTimer.stop();
    m_rows.clear();
    m_index.clear();
    for (auto &counts : m_distinctCounts)
        counts.clear();
    m_distinctDirty = true;
    m_rows.reserve(size_t(alerts.size()));
    for (const Alert &a : alerts) {
        if (a.resolved || m_index.contains(a.id))
            continue;
        m_index.insert(a.id, int(m_rows.size()));
        m_rows.push_back(a);
        account(a, +1);
    }
    endResetModel();
    updateDerived();
}

void AlertQueueModel::applyChanges(const QList<Alert> &changed)
{
    for (const Alert &a : changed) {
        auto it = m_pending.find(a.id);
        if (it == m_pending.end()) {
            m_pending.insert(a.id, a);
            m_pendingOrder.append(a.id);
        } else {
            *it = a;
        }
    }
    if (!m_pending.isEmpty() && !m_updateTimer.isActive())
        m_updateTimer.start();
}

void AlertQueueModel::flushPendingChanges()
{
    m_updateTimer.stop();
    if (m_pending.isEmpty())
        return;
    const QHash<qint64, Alert> pending = std::exchange(m_pending, {});
    const QList<qint64> order = std::exchange(m_pendingOrder, {});

    std::vector<int> changed;
    std::vector<int> removed;
    std::vector<const Alert *> inserted;
    for (qint64 id : order) {
        const auto it = pending.constFind(id);
        if (it == pending.cend())
            continue;
        const Alert &a = *it;  // stays in `pending` (no copy): `inserted` points at it
        const int row = rowOf(id);
        if (row < 0) {
            if (!a.resolved)
                inserted.push_back(&a);
        } else if (a.resolved) {
            removed.push_back(row);
        } else {
            account(m_rows[size_t(row)], -1);
            account(a, +1);
            m_rows[size_t(row)] = a;
            changed.push_back(row);
        }
    }

    if (!changed.empty()) {
        std::sort(changed.begin(), changed.end());
        signalChanged(std::move(changed), 0, ColumnCount - 1);
    }
    if (!removed.empty()) {
        std::sort(removed.begin(), removed.end());
        removeRows(std::move(removed));
    }
    if (!inserted.empty()) {
        const int first = int(m_rows.size());
        beginInsertRows(QModelIndex(), first, first + int(inserted.size()) - 1);
        for (const Alert *a : inserted) {
            m_index.insert(a->id, int(m_rows.size()));
            m_rows.push_back(*a);
            account(*a, +1);
        }
        endInsertRows();
    }
    updateDerived();
}

void AlertQueueModel::signalChanged(std::vector<int> rows, int firstColumn, int lastColumn, const QList<int> &roles)
{
    const auto runs = runsOf(rows);
    if (runs.size() > size_t(kMaxChangedRuns)) {
        emit dataChanged(index(runs.front().first, firstColumn), index(runs.back().second, lastColumn), roles);
        return;
    }
    for (const auto &[first, last] : runs)
        emit dataChanged(index(first, firstColumn), index(last, lastColumn), roles);
}

void AlertQueueModel::removeRows(std::vector<int> rows)
{
    const auto runs = runsOf(rows);
    if (runs.size() <= size_t(kMaxRemovedRuns)) {
        // Last run first: the rows of the earlier runs keep their numbers meanwhile.
        for (auto it = runs.crbegin(); it != runs.crend(); ++it) {
            beginRemoveRows(QModelIndex(), it->first, it->second);
            for (int r = it->first; r <= it->second; ++r) {
                m_index.remove(m_rows[size_t(r)].id);
                account(m_rows[size_t(r)], -1);
            }
            m_rows.erase(m_rows.begin() + it->first, m_rows.begin() + it->second + 1);
            reindexFrom(it->first);
            endRemoveRows();
        }
        return;
    }
    // Scattered rows (a bulk resolve of a sorted selection): one pass, one layout change.
    emit layoutAboutToBeChanged({}, QAbstractItemModel::NoLayoutChangeHint);
    std::vector<int> newRow(m_rows.size(), -1);
    std::vector<Alert> kept;
    kept.reserve(m_rows.size() - rows.size());
    size_t next = 0;
    for (size_t r = 0; r < m_rows.size(); ++r) {
        if (next < rows.size() && rows[next] == int(r)) {
            ++next;
            m_index.remove(m_rows[r].id);
            account(m_rows[r], -1);
            continue;
        }
        newRow[r] = int(kept.size());
        kept.push_back(std::move(m_rows[r]));
    }
    m_rows = std::move(kept);
    reindexFrom(0);
    const QModelIndexList from = persistentIndexList();
    QModelIndexList to;
    to.reserve(from.size());
    for (const QModelIndex &i : from) {
        const int moved = newRow[size_t(i.row())];
        to.append(moved < 0 ? QModelIndex() : index(moved, i.column()));
    }
    changePersistentIndexList(from, to);
    emit layoutChanged({}, QAbstractItemModel::NoLayoutChangeHint);
}

void AlertQueueModel::reindexFrom(int row)
{
    for (int r = row; r < int(m_rows.size()); ++r)
        m_index.insert(m_rows[size_t(r)].id, r);
}

void AlertQueueModel::account(const Alert &a, int sign)
{
    const QString *values[] = {&a.device.source, &a.site, &a.ruleName, &a.assignee};
    for (size_t i = 0; i < m_distinctCounts.size(); ++i) {
        if (values[i]->isEmpty())
            continue;
        int &n = m_distinctCounts[i][*values[i]];
        const bool was = n > 0;
        n += sign;
        if (n <= 0)
            m_distinctCounts[i].remove(*values[i]);
        if (was != (n > 0))
            m_distinctDirty = true;  // a value appeared or went
    }
}

void AlertQueueModel::updateDerived()
{
    const qint64 nowMs = now();
    Counts counts;
    qint64 nextSnoozeEnd = std::numeric_limits<qint64>::max();
    for (const Alert &a : m_rows) {
        const size_t s = size_t(a.severity);
        if (s >= counts.open.size())
            continue;
        ++counts.open[s];
        if (a.parentId == 0 && AlertFilter::needsAttention(a, nowMs)) {
            ++counts.needsAttention[s];
            if (a.status == AlertStatus::ActiveUnack)
                ++counts.unackedActive[s];
        }
        if (a.snoozedUntilMs > nowMs)
            nextSnoozeEnd = qMin(nextSnoozeEnd, a.snoozedUntilMs);
    }
    if (nextSnoozeEnd != std::numeric_limits<qint64>::max()) {
        if (!m_snoozeTimer.isActive() || nextSnoozeEnd < m_snoozeDueMs) {
            m_snoozeDueMs = nextSnoozeEnd;
            // At most a day at a time (QTimer's int range); the timer re-arms itself.
            m_snoozeTimer.start(int(qBound<qint64>(0, nextSnoozeEnd - nowMs + 1, 24LL * 3600 * 1000)));
        }
    }
    const bool countsDiffer = counts != m_counts;
    m_counts = counts;
    if (m_distinctDirty) {
        m_distinctDirty = false;
        const auto sorted = [](const QHash<QString, int> &values) {
            QStringList list = values.keys();
            std::sort(list.begin(), list.end(),
                      [](const QString &a, const QString &b) { return QString::compare(a, b, Qt::CaseInsensitive) < 0; });
            return list;
        };
        m_sources = sorted(m_distinctCounts[0]);
        m_sites = sorted(m_distinctCounts[1]);
        m_rules = sorted(m_distinctCounts[2]);
        m_assignees = sorted(m_distinctCounts[3]);
        emit distinctValuesChanged();
    }
    if (countsDiffer)
        emit countsChanged();
}

void AlertQueueModel::onSnoozeTimer()
{
    // The rows whose snooze ended since the last look: their status text, and whether they
    // need attention, changed with the clock.
    const qint64 nowMs = now();
    std::vector<int> ended;
    for (int r = 0; r < int(m_rows.size()); ++r) {
        const qint64 until = m_rows[size_t(r)].snoozedUntilMs;
        if (until > m_snoozeSeenMs && until <= nowMs)
            ended.push_back(r);
    }
    m_snoozeSeenMs = nowMs;
    m_snoozeDueMs = 0;
    if (!ended.empty())
        signalChanged(std::move(ended), StatusColumn, StatusColumn);
    updateDerived();
}

} // namespace fd
