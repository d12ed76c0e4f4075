#include "ui/device_detail_panel.h"

#include "models/device_inventory_model.h"
#include "models/device_selection_summary.h"
#include "ui/selection_summary_view.h"
#include "models/metric_display.h"
#include "models/series_mime.h"
#include "models/reject_reason_labels.h"
#include "models/relative_time.h"
#include "widgets/status_badge.h"
#include "models/connection_state_style.h"
#include "models/device_presence_style.h"
#include "ui/sparkplug_actions.h"

#include "widgets/plain_label.h"
#include "widgets/form_section.h"

#include <QApplication>
#include <QDateTime>
#include <QDrag>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QFormLayout>
#include <QPushButton>
#include <QFrame>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace fd {

DeviceDetailPanel::DeviceDetailPanel(DeviceInventoryModel *inventory, QWidget *parent)
    : QWidget(parent)
    , m_inventory(inventory)
    , m_stack(new QStackedWidget(this))
    , m_summary(new SelectionSummaryView(this))
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_stack);

    m_placeholder = plainLabel(tr("Select a device to see its attributes, latest metrics and message counts."), this);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_placeholder->setMargin(24);
    m_stack->addWidget(m_placeholder);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // labels wrap instead
    auto *content = new QWidget(scroll);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(12, 8, 12, 12);
    layout->setSpacing(10);

    m_title = plainLabel(QString(), content);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    m_subtitle = plainLabel(QString(), content);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    m_subtitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status = new StatusBadge(content);
    layout->addWidget(m_title);
    layout->addWidget(m_subtitle);
    layout->addWidget(m_status);
    auto *chart = new QPushButton(tr("Chart…"), content);
    chart->setObjectName(QStringLiteral("detailChart"));
    chart->setToolTip(tr("Open a live chart of a metric of this device on the Telemetry page"));
    connect(chart, &QPushButton::clicked, this, [this] {
        if (!m_key.isNull())
            emit chartRequested(m_key);
    });
    layout->addWidget(chart, 0, Qt::AlignLeft);

    // Sparkplug B: the session facts and the operator's commands (hidden for protocol v1).
    m_sessionBox = formSection(tr("Sparkplug B session"), &m_session, content);
    m_sessionBox->setObjectName(QStringLiteral("detailSparkplug"));
    layout->addWidget(m_sessionBox);
    m_sparkplugActions = new QWidget(content);
    auto *actions = new QHBoxLayout(m_sparkplugActions);
    actions->setContentsMargins(0, 0, 0, 0);
    m_writeButton = new QPushButton(tr("Write Metric…"), m_sparkplugActions);
    m_writeButton->setObjectName(QStringLiteral("detailWriteMetric"));
    m_rebirthButton = new QPushButton(tr("Request Rebirth"), m_sparkplugActions);
    m_rebirthButton->setObjectName(QStringLiteral("detailRebirth"));
    actions->addWidget(m_writeButton);
    actions->addWidget(m_rebirthButton);
    actions->addStretch(1);
    layout->addWidget(m_sparkplugActions);
    connect(m_writeButton, &QPushButton::clicked, this, [this] {
        if (!m_key.isNull())
            emit writeMetricRequested(m_key);
    });
    connect(m_rebirthButton, &QPushButton::clicked, this, [this] {
        if (!m_key.isNull())
            emit rebirthRequested(m_key);
    });
    m_sessionBox->hide();
    m_sparkplugActions->hide();

    layout->addWidget(formSection(tr("Attributes"), &m_attributes, content));
    layout->addWidget(formSection(tr("Latest metrics"), &m_metrics, content));
    layout->addWidget(formSection(tr("Messages"), &m_counts, content));
    layout->addWidget(formSection(tr("Rejected messages"), &m_rejects, content));
    layout->addStretch(1);
    scroll->setWidget(content);
    m_stack->addWidget(scroll);
    auto *summaryScroll = new QScrollArea(this);
    summaryScroll->setWidgetResizable(true);
    summaryScroll->setFrameShape(QFrame::NoFrame);
    summaryScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    summaryScroll->setWidget(m_summary);
    m_stack->addWidget(summaryScroll);  // index 2
    m_summaryTimer.setSingleShot(true);
    m_summaryTimer.setInterval(1000);
    connect(&m_summaryTimer, &QTimer::timeout, this, &DeviceDetailPanel::refreshSummary);

    connect(m_inventory, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles) {
                if (!roles.isEmpty() && !roles.contains(DeviceInventoryModel::SortRole)
                    && !roles.contains(Qt::DisplayRole))
                    return;
                if (!m_selection.isEmpty()) {
                    if (!m_summaryTimer.isActive())
                        m_summaryTimer.start();
                    return;
                }
                refreshIfShown(topLeft.row(), bottomRight.row());
            });
    auto refreshAll = [this] {
        if (m_selection.isEmpty())
            refresh();
        else
            refreshSummary();
    };
    connect(m_inventory, &QAbstractItemModel::modelReset, this, refreshAll);
    // A deleted device is no longer shown (rows are looked up by key, so moved rows are found).
    connect(m_inventory, &QAbstractItemModel::rowsRemoved, this, refreshAll);
    connect(m_inventory, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { refreshIfShown(first, last); });
    refresh();
}

QSize DeviceDetailPanel::sizeHint() const
{
    return {290, 400};
}

void DeviceDetailPanel::showDevice(const QString &deviceId)
{
    showDevice(deviceId.isEmpty() ? DeviceKey() : DeviceKey{DeviceKey::defaultSource(), deviceId});
}

void DeviceDetailPanel::showDevice(const DeviceKey &key)
{
    const bool wasSummary = !m_selection.isEmpty();
    m_selection.clear();
    m_summaryTimer.stop();
    if (key == m_key && !wasSummary)
        return;
    m_key = key;
    refresh(true);
}

void DeviceDetailPanel::showSelection(const QList<DeviceKey> &keys)
{
    if (keys.size() < 2) {
        showDevice(keys.value(0));
        return;
    }
    m_key = {};
    m_shown.reset();
    m_selection = keys;
    refreshSummary();
}

void DeviceDetailPanel::refreshSummary()
{
    if (m_selection.isEmpty())
        return;
    m_summary->setSummary(DeviceSelectionSummary::of(*m_inventory, m_selection));
    m_stack->setCurrentIndex(2);
}

bool DeviceDetailPanel::isPlaceholderShown() const
{
    return m_stack->currentIndex() == 0;
}

void DeviceDetailPanel::refreshIfShown(int firstRow, int lastRow)
{
    if (m_key.isNull())
        return;
    const int row = m_inventory->rowOf(m_key);
    if (row >= firstRow && row <= lastRow)
        refresh();
}

namespace {
bool sameContent(const Device &a, const Device &b)
{
    return a.id == b.id && a.source == b.source && a.name == b.name && a.model == b.model && a.fwVersion == b.fwVersion
           && a.site == b.site && a.tags == b.tags && a.online == b.online && a.lastSeenMs == b.lastSeenMs
           && a.lastTelemetryMs == b.lastTelemetryMs && a.lastSeq == b.lastSeq && a.metrics == b.metrics
           && a.messageCount == b.messageCount && a.rejects == b.rejects && a.staleSinceMs == b.staleSinceMs
           && a.sparkplug == b.sparkplug;
}
} // namespace

void DeviceDetailPanel::refresh(bool force)
{
    const Device *device = m_key.isNull() ? nullptr : m_inventory->deviceAt(m_inventory->rowOf(m_key));
    if (!device) {
        m_shown.reset();
        m_stack->setCurrentIndex(0);
        return;
    }
    // Rebuild the forms only when something shown changed; the relative "last seen" text
    // ticks every second on its own.
    const int row = m_inventory->rowOf(m_key);
    const int look = int(m_inventory->presence(row)) * 2 + (m_inventory->isStale(row) ? 1 : 0);
    if (force || !m_shown || look != m_shownLook || !sameContent(*m_shown, *device)) {
        fill(*device);
        m_shown = *device;
        m_shownLook = look;
    } else {
        updateLastSeen(*device);
    }
    m_stack->setCurrentIndex(1);
}

void DeviceDetailPanel::updateLastSeen(const Device &d)
{
    if (!m_lastSeen)
        return;
    m_lastSeen->setText(d.lastSeenMs > 0 ? tr("%1\n%2").arg(formatRelativeTime(d.lastSeenMs, QDateTime::currentMSecsSinceEpoch()),
                                                            formatAbsoluteTime(d.lastSeenMs))
                                         : tr("never"));
}

void DeviceDetailPanel::fillSparkplug(const Device &d)
{
    const SparkplugActions actions = SparkplugActions::of(d, m_inventory->sourceState(d.source));
    m_sessionBox->setVisible(actions.applies);
    m_sparkplugActions->setVisible(actions.applies);
    clearForm(m_session);
    if (!actions.applies)
        return;
    const QLocale locale;
    const SparkplugSession &s = d.sparkplug;
    const QString path = d.key().path;
    const bool node = path.count(QLatin1Char('/')) == 1;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // Short times (today: 10:42:13), the full one in the tooltip.
    auto when = [&](qint64 ms) { return ms > 0 ? formatClockTime(ms, now) : tr("never"); };
    auto withTip = [&](QLabel *label, qint64 ms) {
        if (ms > 0)
            label->setToolTip(formatAbsoluteTime(ms));
        return label;
    };
    QLabel *bdSeq = valueLabel(s.bdSeq >= 0 ? locale.toString(s.bdSeq) : tr("— (no session seen)"));
    bdSeq->setObjectName(QStringLiteral("detailBdSeq"));
    bdSeq->setToolTip(tr("The birth-death sequence number of the edge node's session (its NBIRTH and NDEATH carry "
                         "it): an NDEATH of an older session is ignored."));
    m_session->addRow(tr("bdSeq"), bdSeq);
    auto countAndLast = [&](quint32 count, qint64 lastMs) {
        return count == 0 || lastMs <= 0 ? locale.toString(count) : tr("%1 · last %2").arg(locale.toString(count), when(lastMs));
    };
    QLabel *births = valueLabel(countAndLast(s.births, s.lastBirthMs));
    births->setObjectName(QStringLiteral("detailBirths"));
    m_session->addRow(node ? tr("Births (NBIRTH)") : tr("Births (DBIRTH)"), withTip(births, s.lastBirthMs));
    QLabel *deaths = valueLabel(countAndLast(s.deaths, s.lastDeathMs));
    deaths->setObjectName(QStringLiteral("detailDeaths"));
    m_session->addRow(node ? tr("Deaths (NDEATH)") : tr("Deaths (DDEATH)"), withTip(deaths, s.lastDeathMs));
    QLabel *rebirth = valueLabel(s.lastRebirthCause.isEmpty()
                                     ? tr("never")
                                     : tr("%1 (%2)").arg(s.lastRebirthCause, when(s.lastRebirthMs)));
    rebirth->setObjectName(QStringLiteral("detailRebirthCause"));
    m_session->addRow(tr("Rebirth request"), withTip(rebirth, s.lastRebirthMs));
    QString declared = tr("unknown until the next BIRTH");
    if (s.metrics) {
        const auto writable = std::count_if(s.metrics->cbegin(), s.metrics->cend(),
                                            [](const SparkplugMetricDefinition &m) { return m.writable; });
        declared = tr("%1 (%2 writable)").arg(locale.toString(s.metrics->size()), locale.toString(qlonglong(writable)));
    }
    m_session->addRow(tr("BIRTH metrics"), valueLabel(declared));

    m_writeButton->setEnabled(actions.canWrite);
    m_writeButton->setToolTip(plainTextToolTip(
        actions.canWrite ? tr("Write one of the metrics the %1 declared writable (%2).")
                               .arg(node ? tr("edge node") : tr("device"), node ? u"NCMD"_s : u"DCMD"_s)
                         : actions.writeReason));
    m_rebirthButton->setEnabled(actions.canRebirth);
    m_rebirthButton->setToolTip(plainTextToolTip(
        actions.canRebirth ? tr("Ask edge node %1 to publish its birth certificates again (NCMD Node Control/Rebirth).")
                                 .arg(path.section(QLatin1Char('/'), 0, 1))
                           : actions.rebirthReason));
}

QLabel *DeviceDetailPanel::valueLabel(const QString &text) const
{
    QLabel *label = plainLabel(text, nullptr);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

void DeviceDetailPanel::clearForm(QFormLayout *form)
{
    while (form->rowCount() > 0)
        form->removeRow(0);
}

QMimeData *DeviceDetailPanel::mimeDataForMetric(const QString &metric) const
{
    if (!m_shown || metric.isEmpty())
        return nullptr;
    DraggedSeries s;
    s.deviceId = m_shown->key().path;
    s.source = m_shown->source;
    s.metric = metric;
    for (const MetricValue &m : m_shown->metrics)
        s.metrics.append(m.name);
    return SeriesMime::toMimeData({s});
}

bool DeviceDetailPanel::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (e->button() == Qt::LeftButton) {
            m_pressMetric = watched->property("fdMetric").toString();
            m_pressPos = e->globalPosition().toPoint();
        }
        break;
    }
    case QEvent::MouseMove: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (m_pressMetric.isEmpty() || !(e->buttons() & Qt::LeftButton)
            || (e->globalPosition().toPoint() - m_pressPos).manhattanLength() < QApplication::startDragDistance())
            break;
        startMetricDrag(std::exchange(m_pressMetric, QString()));
        return true;
    }
    case QEvent::MouseButtonRelease:
        m_pressMetric.clear();
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

void DeviceDetailPanel::startMetricDrag(const QString &metric)
{
    QMimeData *data = mimeDataForMetric(metric);
    if (!data)
        return;
    // Parented to the panel: the row's labels are rebuilt by live updates during the drag.
    auto *drag = new QDrag(this);
    drag->setMimeData(data);
    const QString text = tr("%1 · %2").arg(m_shown->id, metricDisplayName(m_inventory->metricCatalogue(), metric));
    const QFontMetrics fm = fontMetrics();
    const qreal dpr = devicePixelRatioF();
    QPixmap pixmap(QSize(fm.horizontalAdvance(text) + 20, fm.height() + 10) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    {
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        const QRectF r(QPointF(0, 0), pixmap.deviceIndependentSize());
        p.setPen(Qt::NoPen);
        p.setBrush(palette().color(QPalette::Highlight));
        p.drawRoundedRect(r, r.height() / 2, r.height() / 2);
        p.setPen(palette().color(QPalette::HighlightedText));
        p.drawText(r, Qt::AlignCenter, text);
    }
    drag->setPixmap(pixmap);
    drag->setHotSpot(QPoint(12, pixmap.height() / int(dpr) / 2));
    drag->exec(Qt::CopyAction, Qt::CopyAction);
}

void DeviceDetailPanel::fill(const Device &d)
{
    const QLocale locale;
    const QString dash = tr("—");
    auto orDash = [&](const QString &s) { return s.isEmpty() ? dash : s; };

    m_title->setText(d.name.isEmpty() ? d.id : d.name);
    const DeviceKey key = d.key();
    m_subtitle->setText(key.path == d.id && key.source == DeviceKey::defaultSource()
                            ? d.id
                            : tr("%1 on %2").arg(key.path, key.source));
    const int row = m_inventory->rowOf(key);
    const DevicePresence presence = m_inventory->presence(row);
    const bool stale = m_inventory->isStale(row);
    const QString lastReported = d.online ? tr("online") : tr("offline");
    QString statusText = presence == DevicePresence::Unknown ? tr("Unknown (last reported %1)").arg(lastReported)
                                                             : devicePresenceLabel(presence);
    if (d.staleSinceMs != 0)
        statusText = tr("%1 · %2").arg(statusText, m_inventory->staleSinceText(row));
    m_status->setStatus(devicePresenceColor(presence), statusText);
    m_status->setHollow(presenceIsHollow(presence));
    QString statusTip = presence == DevicePresence::Unknown
                            ? tr("Unknown — source %1 not connected. The device last reported itself %2.")
                                  .arg(d.source, lastReported)
                            : devicePresenceToolTip(presence);
    if (d.staleSinceMs != 0)
        statusTip = tr("%1\n%2").arg(m_inventory->staleSinceToolTip(row), statusTip);
    m_status->setToolTip(plainTextToolTip(statusTip));
    const QString staleTip = d.staleSinceMs != 0 ? m_inventory->staleSinceToolTip(row)
                             : stale         ? tr("Stale: last updated %1%2")
                                         .arg(formatRelativeTime(d.lastTelemetryMs, QDateTime::currentMSecsSinceEpoch()),
                                              presence == DevicePresence::Unknown ? tr(" (source not connected)")
                                                                                  : QString())
                                   : QString();

    fillSparkplug(d);

    clearForm(m_attributes);
    m_attributes->addRow(tr("Source"), valueLabel(d.source));
    m_attributes->addRow(tr("Site"), valueLabel(orDash(d.site)));
    m_attributes->addRow(tr("Model"), valueLabel(orDash(d.model)));
    m_attributes->addRow(tr("Firmware"), valueLabel(orDash(d.fwVersion)));
    // Plain text like every value here (valueLabel): a tag is the device's text, never markup.
    QLabel *tags = valueLabel(orDash(d.tags.join(u", ")));
    tags->setObjectName(QStringLiteral("detailTags"));
    m_attributes->addRow(tr("Tags"), tags);
    m_lastSeen = valueLabel(QString());
    m_attributes->addRow(tr("Last seen"), m_lastSeen);
    updateLastSeen(d);
    m_attributes->addRow(tr("Last telemetry"),
                         valueLabel(d.lastTelemetryMs > 0 ? formatAbsoluteTime(d.lastTelemetryMs) : dash));
    m_attributes->addRow(tr("Sequence"), valueLabel(d.lastSeq > 0 ? locale.toString(d.lastSeq) : dash));

    clearForm(m_metrics);
    if (d.metrics.isEmpty()) {
        QLabel *none = plainLabel(tr("No telemetry received yet."), nullptr);
        none->setForegroundRole(QPalette::PlaceholderText);
        m_metrics->addRow(none);
    } else {
        for (const MetricValue &m : d.metrics) {
            // The whole row is a drag handle (the value is not selectable text here).
            QLabel *name = plainLabel(metricDisplayName(m_inventory->metricCatalogue(), m.name), nullptr);
            QLabel *value = plainLabel(m.isNumeric() && m.type == MetricType::Double
                                           ? formatMetricValue(m_inventory->metricCatalogue(), m.name, m.value)
                                           : m.displayText(),
                                       nullptr);
            if (stale) {
                QFont italic = value->font();
                italic.setItalic(true);
                value->setFont(italic);
                QPalette grey = value->palette();
                grey.setColor(QPalette::WindowText, staleValueColor());
                value->setPalette(grey);
                value->setProperty("fdStale", true);
            }
            for (QLabel *label : {name, value}) {
                label->setProperty("fdMetric", m.name);
                const QString drag = tr("%1: drag onto a chart of the Telemetry page to plot it").arg(m.name);
                label->setToolTip(plainTextToolTip(stale ? tr("%1\n%2").arg(staleTip, drag) : drag));
                label->setCursor(Qt::OpenHandCursor);
                label->installEventFilter(this);
            }
            m_metrics->addRow(name, value);
        }
    }

    clearForm(m_counts);
    m_counts->addRow(tr("Accepted"), valueLabel(locale.toString(d.messageCount)));
    m_counts->addRow(tr("Rejected"), valueLabel(locale.toString(d.rejectedCount())));

    clearForm(m_rejects);
    if (d.rejectedCount() == 0) {
        QLabel *none = plainLabel(tr("None: every message from this device was valid."), nullptr);
        none->setForegroundRole(QPalette::PlaceholderText);
        none->setWordWrap(true);
        m_rejects->addRow(none);
    } else {
        for (RejectReason r : kAllRejectReasons) {
            const quint32 n = d.rejects[size_t(r)];
            if (n == 0)
                continue;
            QLabel *name = plainLabel(rejectReasonLabel(r), nullptr);
            name->setToolTip(rejectReasonDescription(r));
            m_rejects->addRow(name, valueLabel(locale.toString(n)));
        }
    }
}

} // namespace fd
