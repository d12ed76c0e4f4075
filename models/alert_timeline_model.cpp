#include "models/alert_timeline_model.h"

#include "models/alert_style.h"
#include "models/connection_state_style.h"
#include "models/relative_time.h"

#include <QDateTime>

#include <algorithm>

namespace fd {

void AlertTimelineModel::setEvents(qint64 alertId, const QList<AlertEvent> &events)
{
    beginResetModel();
    m_alertId = alertId;
    m_events = events;
    std::stable_sort(m_events.begin(), m_events.end(), [](const AlertEvent &a, const AlertEvent &b) {
        return a.tsMs != b.tsMs ? a.tsMs < b.tsMs : a.id < b.id;
    });
    endResetModel();
}

void AlertTimelineModel::clear()
{
    setEvents(0, {});
}

QString AlertTimelineModel::kindLabel(const QString &kind)
{
    static const std::pair<const char *, const char *> labels[] = {
        {"raised", QT_TR_NOOP("Raised")},           {"repeated", QT_TR_NOOP("Repeated")},
        {"cleared", QT_TR_NOOP("Cleared")},         {"reopened", QT_TR_NOOP("Reopened")},
        {"acknowledged", QT_TR_NOOP("Acknowledged")}, {"assigned", QT_TR_NOOP("Assigned")},
        {"snoozed", QT_TR_NOOP("Snoozed")},         {"note", QT_TR_NOOP("Note")},
        {"resolved", QT_TR_NOOP("Resolved")},       {"grouped", QT_TR_NOOP("Grouped")},
    };
    for (const auto &[key, label] : labels) {
        if (kind == QLatin1StringView(key))
            return tr(label);
    }
    return kind;
}

int AlertTimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int AlertTimelineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertTimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AlertEvent &e = m_events.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case TimeColumn: return formatAlertTime(e.tsMs, QDateTime::currentMSecsSinceEpoch());
        case KindColumn: return kindLabel(e.kind);
        case ActorColumn: return e.actor;
        case DetailColumn: {
            if (e.value.isEmpty())
                return e.detail;
            return e.detail.isEmpty() ? tr("value %1").arg(e.value) : tr("%1 (value %2)").arg(e.detail, e.value);
        }
        }
        return {};
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == TimeColumn)
            return formatAbsoluteTime(e.tsMs);
        return plainTextToolTip(data(index.siblingAtColumn(DetailColumn)).toString());
    }
    return {};
}

QVariant AlertTimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn: return tr("Time");
    case KindColumn: return tr("Event");
    case ActorColumn: return tr("By");
    case DetailColumn: return tr("Details");
    }
    return {};
}

} // namespace fd
