#include "ui/alert_detail_panel.h"

#include "core/domain/alert_rule.h"
#include "models/alert_style.h"
#include "models/alert_timeline_model.h"
#include "models/relative_time.h"
#include "widgets/form_section.h"
#include "widgets/plain_label.h"
#include "widgets/status_badge.h"

#include <QDateTime>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace fd {

namespace {
const QString kDevice = QStringLiteral("Device");
const QString kSite = QStringLiteral("Site");
const QString kValue = QStringLiteral("Value");
const QString kMessage = QStringLiteral("Message");
const QString kCondition = QStringLiteral("Condition");
const QString kFirst = QStringLiteral("First seen");
const QString kLast = QStringLiteral("Last seen");
const QString kCleared = QStringLiteral("Cleared");
const QString kCount = QStringLiteral("Count");
const QString kAck = QStringLiteral("Acknowledged");
const QString kAssignee = QStringLiteral("Assignee");
const QString kSnoozed = QStringLiteral("Snoozed until");
const QString kGroup = QStringLiteral("Group");
} // namespace

AlertDetailPanel::AlertDetailPanel(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_placeholder(plainLabel(tr("No alert selected.\n\nSelect an alert in the queue (j/k move) to see its "
                                  "details, timeline and metric."),
                               this, {.wrap = true}))
    , m_title(plainLabel(QString(), this, {.wrap = true, .selectable = true}))
    , m_selection(plainLabel(QString(), this))
    , m_severity(new StatusBadge(this))
    , m_status(new StatusBadge(this))
    , m_timeline(new AlertTimelineModel(this))
    , m_timelineView(new QTableView(this))
{
    setObjectName(QStringLiteral("alertDetailPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_placeholder);

    auto *details = new QWidget(m_stack);
    auto *column = new QVBoxLayout(details);
    column->setContentsMargins(4, 0, 0, 0);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_title->setObjectName(QStringLiteral("alertTitle"));
    column->addWidget(m_title);
    auto *badges = new QHBoxLayout;
    badges->addWidget(m_severity);
    badges->addWidget(m_status);
    badges->addStretch(1);
    column->addLayout(badges);
    m_selection->setForegroundRole(QPalette::PlaceholderText);
    m_selection->setObjectName(QStringLiteral("alertSelection"));
    column->addWidget(m_selection);

    QFormLayout *form = nullptr;
    QGroupBox *box = formSection(tr("Alert"), &form, details);
    for (const QString &name : {kDevice, kSite, kValue, kMessage, kCondition, kFirst, kLast, kCleared, kCount, kAck,
                                kAssignee, kSnoozed, kGroup})
        m_fields.insert(name, addField(form, name));
    column->addWidget(box);

    // The timeline takes the rest.
    auto *timelineBox = new QGroupBox(tr("Timeline"), details);
    auto *timelineLayout = new QVBoxLayout(timelineBox);
    timelineLayout->setContentsMargins(4, 4, 4, 4);
    m_timelineView->setParent(timelineBox);
    m_timelineView->setModel(m_timeline);
    m_timelineView->setAccessibleName(tr("Alert timeline"));
    m_timelineView->setTabKeyNavigation(false);
    m_timelineView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_timelineView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_timelineView->setShowGrid(false);
    m_timelineView->setWordWrap(false);
    m_timelineView->setAlternatingRowColors(true);
    m_timelineView->verticalHeader()->hide();
    m_timelineView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_timelineView->verticalHeader()->setDefaultSectionSize(m_timelineView->fontMetrics().height() + 6);
    QHeaderView *header = m_timelineView->horizontalHeader();
    header->setStretchLastSection(true);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->resizeSection(AlertTimelineModel::TimeColumn,
                          m_timelineView->fontMetrics().horizontalAdvance(QStringLiteral("2026-11-30 23:59__")));
    header->resizeSection(AlertTimelineModel::KindColumn,
                          m_timelineView->fontMetrics().horizontalAdvance(QStringLiteral("Acknowledged___")));
    header->resizeSection(AlertTimelineModel::ActorColumn,
                          m_timelineView->fontMetrics().horizontalAdvance(QStringLiteral("fleetdeck____")));
    timelineLayout->addWidget(m_timelineView);
    column->addWidget(timelineBox, 1);
    m_stack->addWidget(details);
    m_stack->setCurrentWidget(m_placeholder);
}

QSize AlertDetailPanel::sizeHint() const
{
    return {400, 600};
}

QLabel *AlertDetailPanel::addField(QFormLayout *form, const QString &name)
{
    QLabel *value = plainLabel(QString(), form->parentWidget(), {.wrap = true, .selectable = true});
    value->setObjectName(QStringLiteral("field-") + QString(name).replace(u' ', u'-').toLower());
    static const QHash<QString, QString> labels = {
        {kDevice, tr("Device")},     {kSite, tr("Site")},          {kValue, tr("Value")},
        {kMessage, tr("Message")},   {kCondition, tr("Condition")}, {kFirst, tr("First seen")},
        {kLast, tr("Last seen")},    {kCleared, tr("Cleared")},    {kCount, tr("Count")},
        {kAck, tr("Acknowledged")},  {kAssignee, tr("Assignee")},  {kSnoozed, tr("Snoozed until")},
        {kGroup, tr("Group")},
    };
    auto *label = plainLabel(labels.value(name, name), form->parentWidget());
    label->setForegroundRole(QPalette::PlaceholderText);
    form->addRow(label, value);
    return value;
}

QString AlertDetailPanel::fieldText(const QString &field) const
{
    const QLabel *label = m_fields.value(field);
    return label ? label->text() : QString();
}

QString AlertDetailPanel::titleText() const
{
    return m_stack->currentWidget() == m_placeholder ? QString() : m_title->text();
}

void AlertDetailPanel::showAlert(const Alert *alert, const AlertRule *rule, int selected)
{
    if (!alert) {
        if (m_alertId != 0)
            m_timeline->clear();
        m_alertId = 0;
        m_stack->setCurrentWidget(m_placeholder);
        return;
    }
    if (alert->id != m_alertId)
        m_timeline->clear();
    m_alertId = alert->id;
    m_stack->setCurrentIndex(1);
    m_title->setText(alert->ruleName.isEmpty() ? tr("Alert %1").arg(alert->id) : alert->ruleName);
    m_severity->setStatus(alertSeverityColor(alert->severity), alertSeverityLabel(alert->severity));
    QString status = alertStatusLabel(alert->status);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (alert->isSnoozed(now))
        status = tr("%1, snoozed").arg(status);
    m_status->setStatus(alert->isActive() ? alertSeverityColor(alert->severity) : QColor(0x8a, 0x8f, 0x98), status);
    m_status->setHollow(alert->isAcknowledged());
    m_selection->setVisible(selected > 1);
    m_selection->setText(tr("%n alerts selected: the actions act on all of them.", nullptr, selected));

    const auto set = [this](const QString &field, const QString &text) {
        QLabel *label = m_fields.value(field);
        label->setText(text);
        // Empty rows say nothing: hidden with their label.
        if (auto *form = qobject_cast<QFormLayout *>(label->parentWidget()->layout()))
            form->setRowVisible(label, !text.isEmpty());
    };
    set(kDevice, alert->isGroup() ? alertSubjectText(*alert)
                                  : tr("%1 (%2)").arg(alert->device.path, alert->device.source));
    set(kSite, alert->site);
    set(kValue, alert->lastValue.isEmpty() ? QString()
                                           : (alert->metric.isEmpty() ? alert->lastValue
                                                                      : tr("%1 = %2").arg(alert->metric, alert->lastValue)));
    set(kMessage, alert->message);
    // The rule's condition as it is now; shown when it says more than the message (the rule
    // was edited since, or the alert is a group's).
    const QString condition = rule ? rule->conditionText() : QString();
    set(kCondition, condition == alert->message ? QString() : condition);
    set(kFirst, formatAbsoluteTime(alert->firstTsMs));
    set(kLast, tr("%1 (%2)").arg(formatAbsoluteTime(alert->lastTsMs), formatRelativeTime(alert->lastTsMs, now)));
    set(kCleared, alert->clearTsMs > 0 ? formatAbsoluteTime(alert->clearTsMs) : QString());
    set(kCount, QString::number(alert->count));
    set(kAck, alert->ackTsMs > 0 ? tr("%1 by %2").arg(formatAbsoluteTime(alert->ackTsMs), alert->ackBy) : QString());
    set(kAssignee, alert->assignee);
    set(kSnoozed, alert->isSnoozed(now) ? formatAbsoluteTime(alert->snoozedUntilMs) : QString());
    set(kGroup, alert->isGroup()   ? tr("%n device alert(s) grouped under this one", nullptr, alert->childCount)
                : alert->parentId ? tr("part of group alert %1").arg(alert->parentId)
                                  : QString());
}

void AlertDetailPanel::setTimeline(qint64 alertId, const QList<AlertEvent> &events)
{
    if (alertId != m_alertId)
        return;
    m_timeline->setEvents(alertId, events);
    m_timelineView->scrollToBottom();
}

} // namespace fd
