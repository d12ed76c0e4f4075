#include "ui/diagnostics_page.h"
#include "models/message_rate.h"

#include "models/reject_reason_labels.h"
#include "models/rejection_model.h"
#include "models/relative_time.h"

#include <QFrame>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace fd {

DiagnosticsPage::DiagnosticsPage(RejectionModel *rejections, QWidget *parent)
    : QWidget(parent)
    , m_rejections(rejections)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 10, 10, 6);
    layout->setSpacing(10);

    auto *heading = new QLabel(tr("Ingest"), this);
    QFont headingFont = heading->font();
    headingFont.setBold(true);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.15);
    heading->setFont(headingFont);
    layout->addWidget(heading);

    auto *counters = new QFrame(this);
    counters->setFrameShape(QFrame::StyledPanel);
    auto *grid = new QGridLayout(counters);
    grid->setHorizontalSpacing(32);
    m_received = addCounter(grid, 0, tr("Received"));
    m_accepted = addCounter(grid, 1, tr("Accepted"));
    m_rejected = addCounter(grid, 2, tr("Rejected"));
    m_dropped = addCounter(grid, 3, tr("Dropped (overload)"));
    m_dropped->setToolTip(tr("Messages FleetDeck received faster than it could process them, over its memory "
                             "limits, and dropped without decoding. Zero unless the machine is overloaded."));
    m_rate = addCounter(grid, 4, tr("Messages per second"));
    m_lastMessage = addCounter(grid, 5, tr("Last message"));
    grid->setColumnStretch(6, 1);
    m_limits = new QLabel(counters);
    m_limits->setObjectName(QStringLiteral("ingestLimits"));
    m_limits->setTextFormat(Qt::PlainText);
    m_limits->setForegroundRole(QPalette::PlaceholderText);
    grid->addWidget(m_limits, 2, 0, 1, 7);
    layout->addWidget(counters);

    auto *tableHeading = new QLabel(tr("Rejected messages by source"), this);
    tableHeading->setFont(headingFont);
    layout->addWidget(tableHeading);

    m_proxy->setSourceModel(rejections);
    m_proxy->setSortRole(RejectionModel::SortRole);
    m_proxy->setDynamicSortFilter(true);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RejectionModel::TotalColumn, Qt::DescendingOrder);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->verticalHeader()->hide();
    m_table->setAccessibleName(tr("Rejected messages by source"));
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignRight | Qt::AlignVCenter);
    header->resizeSection(RejectionModel::SourceColumn, m_table->fontMetrics().horizontalAdvance(QStringLiteral("(invalid device id)__________")));
    // Wide enough for the longest heading ("Future timestamp"), never narrower than before.
    for (int c = RejectionModel::FirstReasonColumn; c < RejectionModel::ColumnCount; ++c)
        header->resizeSection(c, qMax(m_table->fontMetrics().horizontalAdvance(QStringLiteral("Missing field____")),
                                      header->sectionSizeHint(c)));
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_table);
    m_empty = new QLabel(tr("No rejected messages.\n\nMessages that fail validation (bad JSON, wrong types, "
                            "missing fields, bad device ids, oversize payloads, unknown topics) or go past the "
                            "ingest limits (new devices or metrics) are counted here, by device and reason."),
                         this);
    m_empty->setTextFormat(Qt::PlainText);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setMargin(40);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->setAutoFillBackground(true);
    m_empty->setBackgroundRole(QPalette::Base);
    m_empty->setFrameShape(QFrame::StyledPanel);
    m_stack->addWidget(m_empty);
    layout->addWidget(m_stack, 1);

    m_totals = new QLabel(this);
    m_totals->setTextFormat(Qt::PlainText);
    m_totals->setWordWrap(true);
    layout->addWidget(m_totals);

    connect(rejections, &RejectionModel::totalsChanged, this, &DiagnosticsPage::updateTotals);
    setStats(IngestStats{});
    setLimits(IngestLimits{});
    updateTotals();
}

void DiagnosticsPage::setLimits(const IngestLimits &limits)
{
    const QLocale locale;
    m_limits->setText(tr("Limits: %1 devices per connection, %2 metrics per device (Settings > Ingest Limits)")
                          .arg(locale.toString(limits.maxDevicesPerSource), locale.toString(limits.maxMetricsPerDevice)));
}

QLabel *DiagnosticsPage::addCounter(QGridLayout *grid, int column, const QString &caption)
{
    auto *captionLabel = new QLabel(caption, grid->parentWidget());
    captionLabel->setForegroundRole(QPalette::PlaceholderText);
    auto *value = new QLabel(grid->parentWidget());
    value->setTextFormat(Qt::PlainText);
    QFont f = value->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    value->setFont(f);
    grid->addWidget(captionLabel, 0, column);
    grid->addWidget(value, 1, column);
    return value;
}

void DiagnosticsPage::setStats(const IngestStats &stats)
{
    const QLocale locale;
    m_received->setText(locale.toString(stats.received));
    m_accepted->setText(locale.toString(stats.accepted));
    m_rejected->setText(locale.toString(stats.rejected));
    m_dropped->setText(locale.toString(stats.dropped));
    m_rate->setText(formatRateNumber(stats.messagesPerSecond));
    m_lastMessage->setText(stats.lastMessageMs > 0 ? formatAbsoluteTime(stats.lastMessageMs) : tr("—"));
}

void DiagnosticsPage::updateTotals()
{
    const QLocale locale;
    const RejectCounts totals = m_rejections->totals();
    QStringList parts;
    for (RejectReason r : kAllRejectReasons) {
        if (totals[size_t(r)] > 0)
            parts.append(tr("%1: %2").arg(rejectReasonLabel(r), locale.toString(totals[size_t(r)])));
    }
    const bool any = m_rejections->total() > 0;
    m_stack->setCurrentWidget(any ? static_cast<QWidget *>(m_table) : m_empty);
    m_totals->setVisible(any);
    m_totals->setText(tr("%1 rejected messages from %2 sources. %3")
                          .arg(locale.toString(m_rejections->total()), locale.toString(m_rejections->rowCount()),
                               parts.join(QStringLiteral(", "))));
}

} // namespace fd
