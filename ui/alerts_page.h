#pragma once

#include "core/domain/alert_severity.h"

#include <QList>
#include <QTimer>
#include <QWidget>

#include <optional>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QSplitter;
class QTableView;
class QToolButton;

namespace fd {

class AlertDetailPanel;
class AlertExportController;
class AlertFilterProxyModel;
class AlertMetricChart;
class AlertQueueModel;
class AlertService;
class AlertTriageController;
class FilterBar;
class OperationsStore;
class ViewMessageOverlay;

// Triage: the queue of open alerts (AlertQueueModel through AlertFilterProxyModel) worked
// from the keyboard, with filters above it and the current alert's details, timeline and
// timeline beside it (AlertDetailPanel) and its metric under it (AlertMetricChart).
//
// Keys on the queue (QActions, also in the Alerts menu and Help > Keyboard Shortcuts; a
// hint line under the filters says them): J / K next / previous alert, Shift+J / Shift+K
// extend the selection, A acknowledge, S snooze (a menu of durations), E assign, N note,
// R resolve. Actions act on the selected alerts and go through AlertService; the line
// above the queue says "done" only once the store committed them (AlertTriageController).
//
// Filters: search words, severity, status, source, site, rule; "Needs attention" (active or
// cleared-unacknowledged, not snoozed) or "All open"; grouped device alerts (under a
// source/site offline alert) on request; grouping by rule or site (sections in the flat
// table, see AlertFilterProxyModel). Exports of alerts and the audit log: Export menu.
//
// Without an AlertService (no operations store) the page says alerts are unavailable.
class AlertsPage : public QWidget
{
    Q_OBJECT
public:
    AlertsPage(AlertQueueModel *queue, AlertService *service, OperationsStore *operations, QWidget *parent = nullptr);
    ~AlertsPage() override;

    QTableView *table() const { return m_table; }
    AlertFilterProxyModel *proxy() const { return m_proxy; }
    AlertDetailPanel *detailPanel() const { return m_detail; }
    AlertMetricChart *chart() const { return m_chart; }
    AlertTriageController *triage() const { return m_triage; }
    AlertExportController *exports() const { return m_exports; }
    FilterBar *filterBar() const { return m_filterBar; }
    QComboBox *scopeChoice() const { return m_scope; }
    QComboBox *groupChoice() const { return m_group; }
    QCheckBox *groupedCheck() const { return m_showGrouped; }
    QLabel *feedbackLabel() const { return m_feedback; }
    QLabel *keyHint() const { return m_hint; }
    QAction *rulesAction() const { return m_rulesAction; }
    // Navigation and triage actions, for the Alerts menu (J, K, Shift+J, Shift+K, A, S, E, N, R).
    QList<QAction *> keyboardActions() const;

    // The telemetry cache the detail pane's chart reads the metric's history from.
    void setHistoryDatabase(const QString &path);
    // The Overview's severity tiles: the queue of that severity (other filters cleared,
    // "Needs attention"); nullopt: every alert needing attention.
    void showSeverity(std::optional<AlertSeverity> severity);
    // The selected alerts' ids in the view's order, else the current one.
    QList<qint64> selectedAlertIds() const;
    qint64 currentAlertId() const;
    // Moves the current row by delta (J/K) and selects it; extend: adds to the selection.
    void moveCurrent(int delta, bool extend);

signals:
    // The Rules… button: the window opens Alerts > Rules….
    void rulesRequested();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void applyFilter();
    void updateChoices();
    void updateSummary();
    void updateDetail();
    void requestTimeline();
    void showFeedback(const QString &text, bool error);
    void selectFirstRowIfNone();

    AlertQueueModel *m_queue;
    AlertService *m_service;
    AlertFilterProxyModel *m_proxy;
    FilterBar *m_filterBar;
    QComboBox *m_scope;
    QComboBox *m_group;
    QCheckBox *m_showGrouped;
    QLabel *m_hint;
    QLabel *m_feedback;
    QSplitter *m_splitter;
    QSplitter *m_queueSplit;  // the queue over the chart
    QTableView *m_table;
    AlertMetricChart *m_chart;
    AlertDetailPanel *m_detail;
    AlertTriageController *m_triage;
    AlertExportController *m_exports;
    ViewMessageOverlay *m_empty;
    QAction *m_next;
    QAction *m_previous;
    QAction *m_extendNext;
    QAction *m_extendPrevious;
    QAction *m_rulesAction;
    QTimer m_timelineTimer;  // coalesces timeline reads while an alert changes often
    quint64 m_timelineRequest = 0;
    int m_severityChoice = -1;
    int m_sourceChoice = -1;
    int m_siteChoice = -1;
    int m_ruleChoice = -1;
    bool m_autoSelected = false;
    bool m_splitterSized = false;
    int m_groupedColumn = -1;  // the column moved first for grouping, and where it was
    int m_groupedFrom = 0;
};

} // namespace fd
