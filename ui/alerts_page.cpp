#include "ui/alerts_page.h"

#include "core/alerts/alert_service.h"
#include "core/domain/alert_filter.h"
#include "models/alert_filter_proxy_model.h"
#include "models/alert_queue_model.h"
#include "models/alert_style.h"
#include "models/connection_state_style.h"
#include "ui/alert_detail_panel.h"
#include "ui/alert_export_controller.h"
#include "ui/alert_metric_chart.h"
#include "ui/alert_triage_controller.h"
#include "ui/snooze_menu.h"
#include "widgets/filter_bar.h"
#include "widgets/status_dot_delegate.h"
#include "widgets/view_message_overlay.h"
#include "widgets/warning_colors.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QShowEvent>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace fd {

namespace {
const QString kNeedsAttention = QStringLiteral("attention");
const QString kAllOpen = QStringLiteral("open");
} // namespace

AlertsPage::AlertsPage(AlertQueueModel *queue, AlertService *service, OperationsStore *operations, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_service(service)
    , m_proxy(new AlertFilterProxyModel(this))
    , m_filterBar(new FilterBar(this))
    , m_scope(new QComboBox(this))
    , m_group(new QComboBox(this))
    , m_showGrouped(new QCheckBox(tr("Grouped devices"), this))
    , m_hint(new QLabel(this))
    , m_feedback(new QLabel(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_queueSplit(new QSplitter(Qt::Vertical, m_splitter))
    , m_table(new QTableView(m_queueSplit))
    , m_chart(new AlertMetricChart(m_queueSplit))
    , m_detail(new AlertDetailPanel(m_splitter))
    , m_triage(new AlertTriageController(service, queue, this, this))
    , m_exports(new AlertExportController(service, operations, this, this))
{
    setObjectName(QStringLiteral("alertsPage"));
    m_proxy->setSourceModel(queue);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 10, 10, 6);
    layout->setSpacing(6);

    // Filters.
    m_filterBar->setSearchPlaceholder(tr("Search rule, device, site, metric, assignee, message"));
    m_filterBar->searchField()->setAccessibleName(tr("Search alerts"));
    m_severityChoice = m_filterBar->addChoice(tr("Severity"), tr("Any severity"));
    QList<std::pair<QString, QString>> severities;
    for (AlertSeverity s : kAllAlertSeverities)
        severities.append({alertSeverityLabel(s), alertSeverityKey(s)});
    m_filterBar->setChoiceItems(m_severityChoice, severities);
    m_sourceChoice = m_filterBar->addChoice(tr("Source"), tr("All sources"));
    m_siteChoice = m_filterBar->addChoice(tr("Site"), tr("All sites"));
    m_ruleChoice = m_filterBar->addChoice(tr("Rule"), tr("All rules"));
    for (QComboBox *choice : m_filterBar->findChildren<QComboBox *>())
        choice->setMinimumContentsLength(8);  // the bar fits a 1280-pixel window
    layout->addWidget(m_filterBar);

    // Scope, grouping, actions.
    auto *row = new QHBoxLayout;
    row->setSpacing(6);
    // What to show: the two views, or the open alerts of one status.
    m_scope->addItem(tr("Needs attention"), kNeedsAttention);
    m_scope->addItem(tr("All open alerts"), kAllOpen);
    m_scope->insertSeparator(m_scope->count());
    for (AlertStatus s : {AlertStatus::ActiveUnack, AlertStatus::ActiveAck, AlertStatus::ClearedUnack,
                          AlertStatus::ClearedAck})
        m_scope->addItem(alertStatusLabel(s), alertStatusKey(s));
    m_scope->setAccessibleName(tr("Show"));
    m_scope->setToolTip(tr("Needs attention: active alerts and cleared ones nobody acknowledged, unless snoozed. "
                           "All open: every alert not resolved. Or the open alerts of one status."));
    m_group->addItem(tr("No grouping"), int(AlertFilterProxyModel::GroupBy::None));
    m_group->addItem(tr("Group by rule"), int(AlertFilterProxyModel::GroupBy::Rule));
    m_group->addItem(tr("Group by site"), int(AlertFilterProxyModel::GroupBy::Site));
    m_group->setAccessibleName(tr("Grouping"));
    m_showGrouped->setToolTip(tr("Also list the device alerts grouped under a source or site that went offline"));
    row->addWidget(m_scope);
    row->addWidget(m_group);
    row->addWidget(m_showGrouped);
    row->addSpacing(12);
    for (QAction *action : m_triage->actions()) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setFocusPolicy(Qt::TabFocus);
        row->addWidget(button);
    }
    row->addStretch(1);
    m_rulesAction = new QAction(tr("R&ules…"), this);
    m_rulesAction->setObjectName(QStringLiteral("alertRulesButtonAction"));
    m_rulesAction->setToolTip(tr("Alert rules: add, edit, import, export (Alerts > Rules…)"));
    connect(m_rulesAction, &QAction::triggered, this, &AlertsPage::rulesRequested);
    auto *rules = new QToolButton(this);
    rules->setDefaultAction(m_rulesAction);
    rules->setToolButtonStyle(Qt::ToolButtonTextOnly);
    row->addWidget(rules);
    auto *exportButton = new QToolButton(this);
    exportButton->setText(tr("Export"));
    exportButton->setObjectName(QStringLiteral("alertExportButton"));
    exportButton->setMenu(m_exports->menu());
    exportButton->setPopupMode(QToolButton::InstantPopup);
    row->addWidget(exportButton);
    layout->addLayout(row);

    // The keys, and what the last action did.
    auto *status = new QHBoxLayout;
    m_hint->setObjectName(QStringLiteral("triageKeyHint"));
    m_hint->setTextFormat(Qt::PlainText);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    m_feedback->setObjectName(QStringLiteral("triageFeedback"));
    m_feedback->setTextFormat(Qt::PlainText);
    m_feedback->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    status->addWidget(m_hint, 1);
    status->addWidget(m_feedback, 1);
    layout->addLayout(status);

    // The queue.
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(AlertQueueModel::SeverityColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->setTabKeyNavigation(false);
    m_table->setAccessibleName(tr("Alerts"));
    m_table->setItemDelegateForColumn(AlertQueueModel::SeverityColumn, new StatusDotDelegate(m_table));
    QHeaderView *vertical = m_table->verticalHeader();
    vertical->setSectionResizeMode(QHeaderView::Fixed);
    vertical->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    vertical->hide();
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);  // never ResizeToContents: thousands of rows
    header->setSectionsMovable(true);
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setStretchLastSection(true);
    // Unacknowledged rows are bold: measured in bold.
    QFont bold = m_table->font();
    bold.setBold(true);
    const QFontMetrics fm(bold);
    const auto width = [&fm](const char *sample) { return fm.horizontalAdvance(QString::fromLatin1(sample)); };
    header->resizeSection(AlertQueueModel::SeverityColumn, width("Indeterminate____"));
    header->resizeSection(AlertQueueModel::StatusColumn, width("Cleared, unacknowledged_"));
    header->resizeSection(AlertQueueModel::RuleColumn, width("Humidity sensor stuck (45)"));
    header->resizeSection(AlertQueueModel::DeviceColumn, width("dev-000001__"));
    header->resizeSection(AlertQueueModel::SourceColumn, width("demo-site-1___"));
    header->resizeSection(AlertQueueModel::SiteColumn, width("Rotterdam-Port___"));
    header->resizeSection(AlertQueueModel::FirstSeenColumn, width("2026-11-30 23:59_"));
    header->resizeSection(AlertQueueModel::LastSeenColumn, width("2026-11-30 23:59_"));
    header->resizeSection(AlertQueueModel::CountColumn, width("Count__"));
    // What triage reads first: how bad, what state, what, where, how recent, how often.
    header->moveSection(header->visualIndex(AlertQueueModel::LastSeenColumn), AlertQueueModel::DeviceColumn + 1);
    header->moveSection(header->visualIndex(AlertQueueModel::CountColumn), AlertQueueModel::DeviceColumn + 2);

    m_empty = new ViewMessageOverlay(m_table);
    m_empty->setObjectName(QStringLiteral("alertsEmptyMessage"));
    QPushButton *clear = m_empty->addButton(tr("Clear Filters"));
    clear->setObjectName(QStringLiteral("clearAlertFilters"));
    connect(clear, &QPushButton::clicked, this, [this] { showSeverity(std::nullopt); });

    m_queueSplit->addWidget(m_table);
    m_queueSplit->addWidget(m_chart);
    m_queueSplit->setStretchFactor(0, 3);
    m_queueSplit->setStretchFactor(1, 2);
    m_queueSplit->setChildrenCollapsible(false);
    m_chart->setMinimumHeight(160);
    m_splitter->addWidget(m_queueSplit);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 0);
    m_splitter->setChildrenCollapsible(false);
    layout->addWidget(m_splitter, 1);

    // Keyboard triage on the queue.
    const auto navigation = [this](const QString &text, const QKeySequence &keys, const char *name, int delta,
                                   bool extend) {
        auto *action = new QAction(text, this);
        action->setObjectName(QString::fromLatin1(name));
        action->setShortcut(keys);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, [this, delta, extend] { moveCurrent(delta, extend); });
        m_table->addAction(action);
        return action;
    };
    m_next = navigation(tr("Nex&t Alert"), QKeySequence(Qt::Key_J), "nextAlert", 1, false);
    m_previous = navigation(tr("&Previous Alert"), QKeySequence(Qt::Key_K), "previousAlert", -1, false);
    m_extendNext = navigation(tr("Select N&ext Too"), QKeySequence(Qt::SHIFT | Qt::Key_J), "extendNextAlert", 1, true);
    m_extendPrevious =
        navigation(tr("Select Pre&vious Too"), QKeySequence(Qt::SHIFT | Qt::Key_K), "extendPreviousAlert", -1, true);
    m_table->addActions(m_triage->actions());
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_triage->setSelection([this] { return selectedAlertIds(); });
    m_triage->setMenuAnchor([this] {
        const QModelIndex current = m_table->currentIndex();
        if (!m_table->hasFocus() || !current.isValid())
            return QCursor::pos();
        const QRect r = m_table->visualRect(current);
        return m_table->viewport()->mapToGlobal(QPoint(r.left() + 24, r.bottom()));
    });
    m_hint->setText(tr("Keys: %1/%2 next/previous · %3 acknowledge · %4 snooze · %5 assign · %6 note · %7 resolve")
                        .arg(m_next->shortcut().toString(QKeySequence::NativeText).toLower(),
                             m_previous->shortcut().toString(QKeySequence::NativeText).toLower(),
                             m_triage->acknowledgeAction()->shortcut().toString(QKeySequence::NativeText).toLower(),
                             m_triage->snoozeAction()->shortcut().toString(QKeySequence::NativeText).toLower(),
                             m_triage->assignAction()->shortcut().toString(QKeySequence::NativeText).toLower(),
                             m_triage->noteAction()->shortcut().toString(QKeySequence::NativeText).toLower(),
                             m_triage->resolveAction()->shortcut().toString(QKeySequence::NativeText).toLower()));
    m_hint->setToolTip(tr("On the queue: Shift+J / Shift+K add the next / previous alert to the selection; the "
                          "actions act on every selected alert. Help > Keyboard Shortcuts lists every key."));

    // Tab: search, filters, scope, grouping, actions, the queue, the details.
    setTabOrder(m_scope, m_group);
    setTabOrder(m_group, m_showGrouped);

    connect(m_filterBar, &FilterBar::changed, this, &AlertsPage::applyFilter);
    connect(m_scope, &QComboBox::currentIndexChanged, this, &AlertsPage::applyFilter);
    connect(m_showGrouped, &QCheckBox::toggled, this, &AlertsPage::applyFilter);
    connect(m_group, &QComboBox::currentIndexChanged, this, [this] {
        const auto group = AlertFilterProxyModel::GroupBy(m_group->currentData().toInt());
        m_proxy->setGroupBy(group);
        // The group's column first, so the sections read down the left edge; back where it
        // was without grouping.
        QHeaderView *h = m_table->horizontalHeader();
        const int column = m_proxy->groupColumn();
        if (column == m_groupedColumn)
            return;
        if (m_groupedColumn >= 0)
            h->moveSection(h->visualIndex(m_groupedColumn), m_groupedFrom);
        m_groupedColumn = column;
        if (column >= 0) {
            m_groupedFrom = h->visualIndex(column);
            h->moveSection(m_groupedFrom, 0);
        }
    });
    connect(m_triage, &AlertTriageController::feedback, this, &AlertsPage::showFeedback);
    connect(m_exports, &AlertExportController::finished, this,
            [this](const QString &, bool ok, const QString &message) { showFeedback(message, !ok); });
    connect(m_queue, &AlertQueueModel::distinctValuesChanged, this, &AlertsPage::updateChoices);
    connect(m_queue, &AlertQueueModel::countsChanged, this, &AlertsPage::updateSummary);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved}) {
        connect(m_proxy, signal, this, &AlertsPage::updateSummary);
        connect(m_proxy, signal, this, &AlertsPage::updateDetail);
    }
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &AlertsPage::selectFirstRowIfNone);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &AlertsPage::selectFirstRowIfNone);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &AlertsPage::updateSummary);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &AlertsPage::updateDetail);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &AlertsPage::updateSummary);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &AlertsPage::updateDetail);
    connect(m_proxy, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
        const int current = m_table->currentIndex().row();
        if (current >= topLeft.row() && current <= bottomRight.row())
            updateDetail();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &AlertsPage::updateDetail);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AlertsPage::updateDetail);

    m_timelineTimer.setSingleShot(true);
    m_timelineTimer.setInterval(150);
    connect(&m_timelineTimer, &QTimer::timeout, this, &AlertsPage::requestTimeline);
    if (m_service) {
        connect(m_service, &AlertService::timelineRead, this,
                [this](quint64 request, qint64 alertId, const QList<AlertEvent> &events) {
                    if (request == m_timelineRequest)
                        m_detail->setTimeline(alertId, events);
                });
        connect(m_service, &AlertService::alertsChanged, this, [this](const QList<Alert> &changed) {
            const qint64 current = m_detail->alertId();
            for (const Alert &a : changed) {
                if (a.id == current) {
                    m_timelineTimer.start();  // its timeline has a new line
                    break;
                }
            }
        });
        connect(m_service, &AlertService::rulesChanged, this, &AlertsPage::updateDetail);
    } else {
        m_rulesAction->setEnabled(false);
    }
    updateChoices();
    applyFilter();
    showFeedback(QString(), false);
}

AlertsPage::~AlertsPage() = default;

QList<QAction *> AlertsPage::keyboardActions() const
{
    return QList<QAction *>{m_next, m_previous, m_extendNext, m_extendPrevious} + m_triage->actions();
}

void AlertsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!std::exchange(m_splitterSized, true)) {
        // The queue gets most of the width and height; the user may move both splits.
        const int width = m_splitter->width() - m_splitter->handleWidth();
        const int detail = std::clamp(width * 3 / 10, 300, 420);
        m_splitter->setSizes({width - detail, detail});
        const int height = m_queueSplit->height() - m_queueSplit->handleWidth();
        m_queueSplit->setSizes({height * 3 / 5, height - height * 3 / 5});
    }
    selectFirstRowIfNone();
}

void AlertsPage::selectFirstRowIfNone()
{
    if (m_autoSelected || m_proxy->rowCount() == 0 || !isVisible())
        return;
    m_autoSelected = true;
    if (!m_table->currentIndex().isValid())
        m_table->selectRow(0);
}

void AlertsPage::applyFilter()
{
    AlertFilter filter;
    const QString shown = m_scope->currentData().toString();
    filter.status = alertStatusFromKey(shown);
    filter.scope = shown == kNeedsAttention ? AlertFilter::Scope::NeedsAttention : AlertFilter::Scope::AllOpen;
    filter.text = m_filterBar->searchText().trimmed();
    filter.severity = alertSeverityFromKey(m_filterBar->choiceValue(m_severityChoice));
    filter.source = m_filterBar->choiceValue(m_sourceChoice);
    filter.site = m_filterBar->choiceValue(m_siteChoice);
    filter.rule = m_filterBar->choiceValue(m_ruleChoice);
    filter.showGrouped = m_showGrouped->isChecked();
    m_proxy->setFilter(filter);
    updateSummary();
    updateDetail();
}

void AlertsPage::showSeverity(std::optional<AlertSeverity> severity)
{
    {
        const QSignalBlocker blockBar(m_filterBar);
        const QSignalBlocker blockScope(m_scope);
        const QSignalBlocker blockGrouped(m_showGrouped);
        m_filterBar->clear();
        if (severity)
            m_filterBar->setChoiceValue(m_severityChoice, alertSeverityKey(*severity));
        m_scope->setCurrentIndex(m_scope->findData(kNeedsAttention));
        m_showGrouped->setChecked(false);
    }
    applyFilter();
    if (m_proxy->rowCount() > 0)
        m_table->selectRow(0);
    m_table->setFocus(Qt::OtherFocusReason);
}

void AlertsPage::updateChoices()
{
    m_filterBar->setChoiceValues(m_sourceChoice, m_queue->sources());
    m_filterBar->setChoiceValues(m_siteChoice, m_queue->sites());
    m_filterBar->setChoiceValues(m_ruleChoice, m_queue->rules());
    // One source: its name in every row says nothing.
    m_table->setColumnHidden(AlertQueueModel::SourceColumn, m_queue->sources().size() <= 1);
}

void AlertsPage::setHistoryDatabase(const QString &path)
{
    m_chart->setHistoryDatabase(path);
}

void AlertsPage::updateSummary()
{
    const QLocale locale;
    const int shown = m_proxy->rowCount();
    const int open = m_queue->rowCount();
    m_filterBar->setSummary(tr("%1 of %Ln alert(s)", nullptr, open).arg(locale.toString(shown)));
    const bool none = shown == 0;
    if (none) {
        if (!m_service) {
            m_empty->setTitle(tr("Alerts are not available"));
            m_empty->setText(tr("Alerts and their audit trail live in the operations store beside the cache, which "
                                "is not open."));
        } else if (open == 0) {
            m_empty->setTitle(tr("No open alerts"));
            m_empty->setText(tr("Alerts raised by the rules (Rules…) show here until they are resolved."));
        } else if (m_proxy->filter().isDefault()) {
            m_empty->setTitle(tr("Nothing needs attention"));
            m_empty->setText(tr("%Ln open alert(s) are acknowledged and cleared, snoozed or grouped: choose "
                                "\"All open alerts\" to see them.",
                                nullptr, open));
        } else {
            m_empty->setTitle(tr("No alerts match"));
            m_empty->setText(m_filterBar->hasActiveFilters() ? tr("Filters: %1").arg(m_filterBar->activeFiltersText())
                                                             : QString());
        }
    }
    m_empty->setVisible(none);
}

QList<qint64> AlertsPage::selectedAlertIds() const
{
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QList<qint64> ids;
    for (const QModelIndex &index : std::as_const(rows)) {
        if (const qint64 id = m_proxy->alertIdAt(index.row()))
            ids.append(id);
    }
    if (ids.isEmpty()) {
        if (const qint64 id = currentAlertId())
            ids.append(id);
    }
    return ids;
}

qint64 AlertsPage::currentAlertId() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? m_proxy->alertIdAt(current.row()) : 0;
}

void AlertsPage::moveCurrent(int delta, bool extend)
{
    const int rows = m_proxy->rowCount();
    if (rows == 0)
        return;
    const QModelIndex current = m_table->currentIndex();
    const int row = current.isValid() ? std::clamp(current.row() + delta, 0, rows - 1) : 0;
    const QModelIndex target = m_proxy->index(row, current.isValid() ? current.column() : 0);
    QItemSelectionModel *selection = m_table->selectionModel();
    if (extend) {
        selection->select(target, QItemSelectionModel::Select | QItemSelectionModel::Rows);
        selection->setCurrentIndex(target, QItemSelectionModel::NoUpdate);
    } else {
        selection->setCurrentIndex(target, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    m_table->scrollTo(target);
}

void AlertsPage::updateDetail()
{
    m_triage->updateActions();
    const qint64 id = currentAlertId();
    const Alert *alert = id ? m_queue->alert(id) : nullptr;
    const AlertRule *rule = alert && m_service ? m_service->rule(alert->ruleId) : nullptr;
    const qint64 before = m_detail->alertId();
    m_detail->showAlert(alert, rule, int(m_table->selectionModel()->selectedRows().size()));
    m_chart->showAlert(alert, rule);
    if (alert && alert->id != before)
        m_timelineTimer.start();
}

void AlertsPage::requestTimeline()
{
    const qint64 id = m_detail->alertId();
    if (m_service && id != 0)
        m_timelineRequest = m_service->readTimeline(id);
}

void AlertsPage::showFeedback(const QString &text, bool error)
{
    m_feedback->setText(text);
    QPalette p = m_feedback->palette();
    p.setColor(QPalette::WindowText, error ? warningColors(palette()).errorText : palette().color(QPalette::WindowText));
    m_feedback->setPalette(p);
    m_feedback->setToolTip(plainTextToolTip(text));  // names and reasons may look like markup
}

} // namespace fd
