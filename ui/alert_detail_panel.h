#pragma once

#include "core/domain/alert.h"

#include <QHash>
#include <QWidget>

class QFormLayout;
class QLabel;
class QStackedWidget;
class QTableView;

namespace fd {

class AlertTimelineModel;
class StatusBadge;

// The triage page's right-hand pane for the current alert: what it is (rule, severity,
// status, device, values, times, who acknowledged it and who has it) and its timeline
// (occurrences, clears, actions, notes: setTimeline() with AlertService::timelineRead).
// All text is plain text. (The metric's chart sits under the queue: AlertMetricChart.)
class AlertDetailPanel : public QWidget
{
    Q_OBJECT
public:
    explicit AlertDetailPanel(QWidget *parent = nullptr);

    // nullptr: the placeholder. selected: how many alerts are selected (the panel shows the
    // current one and says how many more the actions act on).
    void showAlert(const Alert *alert, const AlertRule *rule, int selected);
    void setTimeline(qint64 alertId, const QList<fd::AlertEvent> &events);
    qint64 alertId() const { return m_alertId; }

    AlertTimelineModel *timeline() const { return m_timeline; }
    QTableView *timelineView() const { return m_timelineView; }
    // The value shown for a field ("Device", "Assignee", ...), for tests.
    QString fieldText(const QString &field) const;
    QString titleText() const;

    QSize sizeHint() const override;

private:
    QLabel *addField(QFormLayout *form, const QString &name);

    qint64 m_alertId = 0;
    QStackedWidget *m_stack;
    QLabel *m_placeholder;
    QLabel *m_title;
    QLabel *m_selection;
    StatusBadge *m_severity;
    StatusBadge *m_status;
    QHash<QString, QLabel *> m_fields;
    AlertTimelineModel *m_timeline;
    QTableView *m_timelineView;
};

} // namespace fd
