#include "ui/alert_triage_controller.h"

#include "core/alerts/alert_service.h"
#include "models/alert_queue_model.h"
#include "models/relative_time.h"
#include "ui/alert_text_prompt.h"
#include "ui/snooze_menu.h"
#include "ui/snooze_until_dialog.h"

#include <QAction>
#include <QCursor>
#include <QDateTime>
#include <QWidget>

namespace fd {

namespace {
constexpr qsizetype kMaxEarlyResults = 64;
} // namespace

AlertTriageController::AlertTriageController(AlertService *service, AlertQueueModel *queue, QWidget *promptParent,
                                             QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_queue(queue)
    , m_promptParent(promptParent)
    , m_acknowledge(new QAction(tr("&Acknowledge"), this))
    , m_snooze(new QAction(tr("&Snooze…"), this))
    , m_assign(new QAction(tr("Assi&gn…"), this))
    , m_note(new QAction(tr("Add &Note…"), this))
    , m_resolve(new QAction(tr("&Resolve…"), this))
    , m_snoozeMenu(new SnoozeMenu(promptParent))
{
    const struct
    {
        QAction *action;
        Qt::Key key;
        const char *name;
        QString tip;
    } keys[] = {
        {m_acknowledge, Qt::Key_A, "acknowledgeAlerts", tr("Acknowledge the selected alerts (A)")},
        {m_snooze, Qt::Key_S, "snoozeAlerts", tr("Hide the selected alerts from the queue for a while (S)")},
        {m_assign, Qt::Key_E, "assignAlerts", tr("Assign the selected alerts to someone (E)")},
        {m_note, Qt::Key_N, "noteAlerts", tr("Add a note to the selected alerts' timelines (N)")},
        {m_resolve, Qt::Key_R, "resolveAlerts", tr("Resolve the selected alerts by hand, with a reason (R)")},
    };
    for (const auto &k : keys) {
        k.action->setObjectName(QString::fromLatin1(k.name));
        k.action->setShortcut(QKeySequence(k.key));
        // Only where the alerts are (the queue, and the Alerts menu): letters type text elsewhere.
        k.action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        k.action->setToolTip(k.tip);
        k.action->setStatusTip(k.tip);
    }
    connect(m_acknowledge, &QAction::triggered, this, [this] { acknowledge(selection()); });
    connect(m_snooze, &QAction::triggered, this, &AlertTriageController::popupSnoozeMenu);
    connect(m_assign, &QAction::triggered, this, &AlertTriageController::promptAssign);
    connect(m_note, &QAction::triggered, this, &AlertTriageController::promptNote);
    connect(m_resolve, &QAction::triggered, this, &AlertTriageController::promptResolve);
    connect(m_snoozeMenu, &SnoozeMenu::snoozeRequested, this, [this](qint64 untilMs) {
        snooze(std::exchange(m_snoozeTargets, {}), untilMs);
    });
    connect(m_snoozeMenu, &SnoozeMenu::customRequested, this, &AlertTriageController::promptCustomSnooze);
    if (m_service)
        connect(m_service, &AlertService::actionFinished, this, &AlertTriageController::onActionFinished);
    updateActions();
}

AlertTriageController::~AlertTriageController()
{
    qDeleteAll(m_jobs);
}

QList<QAction *> AlertTriageController::actions() const
{
    return {m_acknowledge, m_snooze, m_assign, m_note, m_resolve};
}

QList<qint64> AlertTriageController::selection() const
{
    return m_selection ? m_selection() : QList<qint64>();
}

void AlertTriageController::updateActions()
{
    const QList<qint64> ids = selection();
    const bool can = m_service && !ids.isEmpty();
    for (QAction *action : actions())
        action->setEnabled(can);
    bool anySnoozed = false;
    const qint64 now = m_queue->now();
    for (qint64 id : ids) {
        const Alert *a = m_queue->alert(id);
        anySnoozed = anySnoozed || (a && a->isSnoozed(now));
    }
    m_snoozeMenu->setUnsnoozeEnabled(anySnoozed);
}

int AlertTriageController::submit(const QList<quint64> &requests, const QString &busy, const QString &done,
                                  const QString &failed)
{
    auto *job = new Job;
    job->done = done;
    job->failed = failed;
    const auto fail = [job](const QString &error) {
        job->ok = false;
        if (job->firstError.isEmpty())
            job->firstError = error.isEmpty() ? tr("unknown error") : error;
    };
    for (quint64 id : requests) {
        if (id == 0) {
            fail(tr("the alerts service refused the request"));
        } else if (const auto early = m_early.constFind(id); early != m_early.cend()) {
            // Reported before its id was known (a refusal reported at once).
            if (!early->first)
                fail(early->second);
            m_early.erase(early);
        } else {
            job->requests.insert(id);
        }
    }
    if (job->requests.isEmpty()) {
        emit feedback(job->ok ? job->done : job->failed + tr(": %1").arg(job->firstError), !job->ok);
        emit actionCompleted(job->ok);
        delete job;
        return int(requests.size());
    }
    m_jobs.append(job);
    for (quint64 id : std::as_const(job->requests))
        m_byRequest.insert(id, job);
    emit feedback(busy, false);
    return int(requests.size());
}

void AlertTriageController::onActionFinished(quint64 requestId, bool ok, const QString &error)
{
    Job *job = m_byRequest.take(requestId);
    if (!job) {
        // Ours, reported before submit() knew the id, or someone else's (the rule editor).
        m_early.insert(requestId, {ok, error});
        while (m_early.size() > kMaxEarlyResults)
            m_early.erase(m_early.begin());
        return;
    }
    job->requests.remove(requestId);
    if (!ok) {
        job->ok = false;
        if (job->firstError.isEmpty())
            job->firstError = error.isEmpty() ? tr("unknown error") : error;
    }
    if (!job->requests.isEmpty())
        return;
    m_jobs.removeOne(job);
    if (job->ok)
        emit feedback(job->done, false);
    else
        emit feedback(job->failed + tr(": %1").arg(job->firstError), true);
    emit actionCompleted(job->ok);
    delete job;
}

int AlertTriageController::acknowledge(const QList<qint64> &ids)
{
    if (!m_service || ids.isEmpty())
        return 0;
    QList<qint64> unacked;
    for (qint64 id : ids) {
        const Alert *a = m_queue->alert(id);
        if (!a || !a->isAcknowledged())
            unacked.append(id);
    }
    if (unacked.isEmpty()) {
        emit feedback(tr("Already acknowledged."), false);
        return 0;
    }
    const int n = int(unacked.size());
    return submit({m_service->acknowledge(unacked)}, tr("Acknowledging %n alert(s)…", nullptr, n),
                  tr("Acknowledged %n alert(s).", nullptr, n), tr("Could not acknowledge"));
}

int AlertTriageController::snooze(const QList<qint64> &ids, qint64 untilMs)
{
    if (!m_service || ids.isEmpty())
        return 0;
    const int n = int(ids.size());
    if (untilMs <= 0)
        return submit({m_service->snooze(ids, 0)}, tr("Unsnoozing %n alert(s)…", nullptr, n),
                      tr("Unsnoozed %n alert(s).", nullptr, n), tr("Could not unsnooze"));
    const QString until = QDateTime::fromMSecsSinceEpoch(untilMs).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    return submit({m_service->snooze(ids, untilMs)}, tr("Snoozing %n alert(s)…", nullptr, n),
                  tr("Snoozed %n alert(s) until %1.", nullptr, n).arg(until), tr("Could not snooze"));
}

int AlertTriageController::assign(const QList<qint64> &ids, const QString &assignee)
{
    if (!m_service || ids.isEmpty())
        return 0;
    const int n = int(ids.size());
    if (assignee.isEmpty())
        return submit({m_service->assign(ids, QString())}, tr("Unassigning %n alert(s)…", nullptr, n),
                      tr("Unassigned %n alert(s).", nullptr, n), tr("Could not unassign"));
    return submit({m_service->assign(ids, assignee)}, tr("Assigning %n alert(s)…", nullptr, n),
                  tr("Assigned %n alert(s) to %1.", nullptr, n).arg(assignee), tr("Could not assign"));
}

int AlertTriageController::addNote(const QList<qint64> &ids, const QString &text)
{
    if (!m_service || ids.isEmpty())
        return 0;
    QList<quint64> requests;
    for (qint64 id : ids)
        requests.append(m_service->addNote(id, text));
    const int n = int(ids.size());
    return submit(requests, tr("Adding the note to %n alert(s)…", nullptr, n),
                  tr("Note added to %n alert(s).", nullptr, n), tr("Could not add the note"));
}

int AlertTriageController::resolve(const QList<qint64> &ids, const QString &reason)
{
    if (!m_service || ids.isEmpty())
        return 0;
    const int n = int(ids.size());
    return submit({m_service->resolve(ids, reason)}, tr("Resolving %n alert(s)…", nullptr, n),
                  tr("Resolved %n alert(s).", nullptr, n), tr("Could not resolve"));
}

QStringList AlertTriageController::assigneeSuggestions() const
{
    QStringList names;
    if (m_service && !m_service->actor().isEmpty())
        names.append(m_service->actor());
    for (const QString &name : m_queue->assignees()) {
        if (!names.contains(name))
            names.append(name);
    }
    return names;
}

AlertTextPrompt *AlertTriageController::promptAssign()
{
    const QList<qint64> ids = selection();
    if (!m_service || ids.isEmpty())
        return nullptr;
    auto *prompt = new AlertTextPrompt(AlertTextPrompt::Kind::Line, tr("Assign Alerts"),
                                       tr("Assign %n alert(s) to (empty: unassign):", nullptr, int(ids.size())),
                                       m_promptParent);
    prompt->setObjectName(QStringLiteral("assignPrompt"));
    prompt->setAttribute(Qt::WA_DeleteOnClose);
    prompt->setAllowEmpty(true);
    prompt->setSuggestions(assigneeSuggestions());
    const Alert *first = m_queue->alert(ids.constFirst());
    prompt->setText(first && !first->assignee.isEmpty() ? first->assignee : m_service->actor());
    connect(prompt, &QDialog::accepted, this, [this, prompt, ids] { assign(ids, prompt->text()); });
    m_prompt = prompt;
    prompt->open();
    return prompt;
}

AlertTextPrompt *AlertTriageController::promptNote()
{
    const QList<qint64> ids = selection();
    if (!m_service || ids.isEmpty())
        return nullptr;
    auto *prompt = new AlertTextPrompt(AlertTextPrompt::Kind::MultiLine, tr("Add Note"),
                                       tr("Note for the timeline of %n alert(s):", nullptr, int(ids.size())),
                                       m_promptParent);
    prompt->setObjectName(QStringLiteral("notePrompt"));
    prompt->setAttribute(Qt::WA_DeleteOnClose);
    connect(prompt, &QDialog::accepted, this, [this, prompt, ids] { addNote(ids, prompt->text()); });
    m_prompt = prompt;
    prompt->open();
    return prompt;
}

AlertTextPrompt *AlertTriageController::promptResolve()
{
    const QList<qint64> ids = selection();
    if (!m_service || ids.isEmpty())
        return nullptr;
    auto *prompt = new AlertTextPrompt(AlertTextPrompt::Kind::Line, tr("Resolve Alerts"),
                                       tr("Why are these %n alert(s) resolved? The reason goes to the audit log.",
                                          nullptr, int(ids.size())),
                                       m_promptParent);
    prompt->setObjectName(QStringLiteral("resolvePrompt"));
    prompt->setAttribute(Qt::WA_DeleteOnClose);
    prompt->setSuggestions({tr("Fixed on site"), tr("False alarm"), tr("Known issue, tracked elsewhere"),
                            tr("Device decommissioned")});
    prompt->setText(QString());
    connect(prompt, &QDialog::accepted, this, [this, prompt, ids] { resolve(ids, prompt->text()); });
    m_prompt = prompt;
    prompt->open();
    return prompt;
}

SnoozeMenu *AlertTriageController::popupSnoozeMenu()
{
    const QList<qint64> ids = selection();
    if (!m_service || ids.isEmpty())
        return nullptr;
    updateActions();
    m_snoozeTargets = ids;
    m_snoozeMenu->popup(m_anchor ? m_anchor() : QCursor::pos());
    return m_snoozeMenu;
}

SnoozeUntilDialog *AlertTriageController::promptCustomSnooze()
{
    const QList<qint64> ids = m_snoozeTargets.isEmpty() ? selection() : std::exchange(m_snoozeTargets, {});
    if (!m_service || ids.isEmpty())
        return nullptr;
    const QDateTime initial = QDateTime::currentDateTime().addSecs(3600);
    auto *dialog = new SnoozeUntilDialog(QDateTime(initial.date(), QTime(initial.time().hour(), 0)), m_promptParent);
    dialog->setObjectName(QStringLiteral("snoozeUntilDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, ids] { snooze(ids, dialog->untilMs()); });
    m_prompt = dialog;
    dialog->open();
    return dialog;
}

} // namespace fd
