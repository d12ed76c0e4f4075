#pragma once

#include "core/domain/alert.h"

#include <QAbstractTableModel>
#include <QList>

namespace fd {

// One alert's timeline (AlertService::readTimeline): occurrences, clears and the
// operators' actions, oldest first, as a small table (time, what, who, details). Replaced
// as a whole when the selected alert or its timeline changes: a timeline has tens of rows.
class AlertTimelineModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, KindColumn, ActorColumn, DetailColumn, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setEvents(qint64 alertId, const QList<fd::AlertEvent> &events);
    void clear();
    qint64 alertId() const { return m_alertId; }
    const QList<AlertEvent> &events() const { return m_events; }
    // "Acknowledged", "Note", "Raised", … (the kind as stored when unknown).
    static QString kindLabel(const QString &kind);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    qint64 m_alertId = 0;
    QList<AlertEvent> m_events;
};

} // namespace fd
