#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>

#include <functional>

class QAction;
class QWidget;

namespace fd {

class AlertQueueModel;
class AlertService;
class AlertTextPrompt;
class SnoozeMenu;
class SnoozeUntilDialog;

// The triage actions on the selected alerts: acknowledge (A), snooze (S: a menu of
// durations), assign (E), note (N), resolve with a reason (R). Each is a QAction (the page
// puts them on its queue and in the Alerts menu, so their keys are listed in Help > Keyboard
// Shortcuts) and calls AlertService; what it did is reported by feedback() only when the
// service's actionFinished(id, ok, error) arrives for every request of the action: "done"
// means committed to the operations store, a failure says why.
//
// Prompts (assign, note, resolve, custom snooze) are window-modal and open()ed, never
// exec()ed; they are returned (tests answer them).
class AlertTriageController : public QObject
{
    Q_OBJECT
public:
    // The alerts to act on: the selected ones in the view's order (or the current one).
    using Selection = std::function<QList<qint64>()>;
    // Where the snooze menu pops up (global position), e.g. under the current row.
    using MenuAnchor = std::function<QPoint()>;

    AlertTriageController(AlertService *service, AlertQueueModel *queue, QWidget *promptParent,
                          QObject *parent = nullptr);
    ~AlertTriageController() override;

    void setSelection(Selection selection) { m_selection = std::move(selection); }
    void setMenuAnchor(MenuAnchor anchor) { m_anchor = std::move(anchor); }

    QAction *acknowledgeAction() const { return m_acknowledge; }
    QAction *snoozeAction() const { return m_snooze; }
    QAction *assignAction() const { return m_assign; }
    QAction *noteAction() const { return m_note; }
    QAction *resolveAction() const { return m_resolve; }
    QList<QAction *> actions() const;
    SnoozeMenu *snoozeMenu() const { return m_snoozeMenu; }

    // Enables the actions for the current selection (call when it changes).
    void updateActions();

    // The actions without their prompts. Return the number of service requests made.
    int acknowledge(const QList<qint64> &ids);
    int snooze(const QList<qint64> &ids, qint64 untilMs);
    int assign(const QList<qint64> &ids, const QString &assignee);
    int addNote(const QList<qint64> &ids, const QString &text);
    int resolve(const QList<qint64> &ids, const QString &reason);

    // The prompts for the current selection (nullptr without one).
    AlertTextPrompt *promptAssign();
    AlertTextPrompt *promptNote();
    AlertTextPrompt *promptResolve();
    SnoozeMenu *popupSnoozeMenu();
    SnoozeUntilDialog *promptCustomSnooze();
    // The prompt open now, if any.
    QWidget *openPrompt() const { return m_prompt.data(); }

    // Actions whose requests are not all finished.
    int pendingActions() const { return int(m_jobs.size()); }

signals:
    // "Acknowledging 3 alerts…" (busy), "Acknowledged 3 alerts." (done), "Could not
    // acknowledge: …" (error).
    void feedback(const QString &text, bool error);
    // Every request of an action finished (ok: all of them succeeded).
    void actionCompleted(bool ok);

private:
    struct Job
    {
        QSet<quint64> requests;
        QString done;      // shown when every request succeeded
        QString failed;    // "Could not acknowledge" (+ ": reason")
        QString firstError;
        bool ok = true;
    };
    int submit(const QList<quint64> &requests, const QString &busy, const QString &done, const QString &failed);
    void onActionFinished(quint64 requestId, bool ok, const QString &error);
    QList<qint64> selection() const;
    QStringList assigneeSuggestions() const;

    AlertService *m_service;
    AlertQueueModel *m_queue;
    QWidget *m_promptParent;
    Selection m_selection;
    MenuAnchor m_anchor;
    QAction *m_acknowledge;
    QAction *m_snooze;
    QAction *m_assign;
    QAction *m_note;
    QAction *m_resolve;
    SnoozeMenu *m_snoozeMenu;
    QList<qint64> m_snoozeTargets;  // the selection when the snooze menu opened
    QPointer<QWidget> m_prompt;
    QList<Job *> m_jobs;
    QHash<quint64, Job *> m_byRequest;
    // Results that arrived before their request id was known (a refusal reported at once).
    QHash<quint64, std::pair<bool, QString>> m_early;
};

} // namespace fd
