#include "ui/diagnostics_page.h"
#include "models/message_rate.h"

#include "models/reject_reason_labels.h"
#include "models/rejection_model.h"
#include "models/relative_time.h"
#include "ui/reject_samples_dialog.h"

#include <QFrame>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QHBoxLayout>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
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
    , m_samplesButton(new QPushButton(tr("Show &Samples…"), this))
    , m_resetButton(new QPushButton(tr("&Reset Counters…"), this))
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
    // Every counter here is of this session (since the start); only the devices' reject
    // counts in the table below are also stored in the cache.
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
    auto *since = new QLabel(tr("Counted since FleetDeck started (or the last reset)."), counters);
    since->setObjectName(QStringLiteral("countersCaption"));
    since->setTextFormat(Qt::PlainText);
    since->setForegroundRole(QPalette::PlaceholderText);
    grid->addWidget(since, 3, 0, 1, 7);
    layout->addWidget(counters);

    auto *tableRow = new QHBoxLayout;
    auto *tableHeading = new QLabel(tr("Rejected messages by source"), this);
    tableHeading->setFont(headingFont);
    tableRow->addWidget(tableHeading);
    tableRow->addStretch(1);
    m_samplesButton->setObjectName(QStringLiteral("showSamples"));
    m_samplesButton->setToolTip(tr("The last rejected messages of each reason, with a safe preview of their payload "
                                   "(also: double-click a count)"));
    m_resetButton->setObjectName(QStringLiteral("resetCounters"));
    m_resetButton->setToolTip(tr("Set every reject counter to zero, also those stored in the cache"));
    tableRow->addWidget(m_samplesButton);
    tableRow->addWidget(m_resetButton);
    layout->addLayout(tableRow);
    auto *stored = new QLabel(tr("Counts of devices in the inventory are stored in the cache and survive a restart; "
                                 "devices not in the inventory and the rows in parentheses are counted since the "
                                 "start (or the last reset)."),
                              this);
    stored->setObjectName(QStringLiteral("storedCaption"));
    stored->setTextFormat(Qt::PlainText);
    stored->setWordWrap(true);
    stored->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(stored);

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
    connect(m_samplesButton, &QPushButton::clicked, this, [this] { showSamples(); });
    connect(m_resetButton, &QPushButton::clicked, this, &DiagnosticsPage::confirmReset);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        const int column = index.column();
        if (column >= RejectionModel::FirstReasonColumn && column < RejectionModel::TotalColumn)
            showSamples(RejectionModel::reasonForColumn(column));
        else
            showSamples();
    });
    setStats(IngestStats{});
    setLimits(IngestLimits{});
    updateTotals();
}

QString DiagnosticsPage::badgeText(quint64 total)
{
    if (total == 0)
        return QString();
    if (total > 999)
        return tr("999+");
    return QLocale().toString(total);
}

RejectSamplesDialog *DiagnosticsPage::showSamples(std::optional<RejectReason> reason)
{
    if (!m_samplesDialog) {
        m_samplesDialog = new RejectSamplesDialog(m_rejections, reason, this);
        m_samplesDialog->setAttribute(Qt::WA_DeleteOnClose);
    } else {
        m_samplesDialog->showReason(reason);
    }
    m_samplesDialog->show();
    m_samplesDialog->raise();
    m_samplesDialog->activateWindow();
    return m_samplesDialog;
}

RejectSamplesDialog *DiagnosticsPage::samplesDialog() const
{
    return m_samplesDialog.data();
}

QMessageBox *DiagnosticsPage::confirmReset()
{
    auto *box = new QMessageBox(this);
    box->setObjectName(QStringLiteral("resetCountersConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    box->setIcon(QMessageBox::Question);
    box->setWindowTitle(tr("Reset Counters"));
    box->setTextFormat(Qt::PlainText);
    box->setText(tr("Set every reject counter to zero?"));
    box->setInformativeText(tr("The reject counts of every device (also those stored in the cache), of devices not "
                               "in the inventory and of unattributed messages go to zero, and the kept samples "
                               "are forgotten. Received and accepted messages are still counted from the start."));
    QPushButton *reset = box->addButton(tr("Reset"), QMessageBox::DestructiveRole);
    reset->setObjectName(QStringLiteral("confirmReset"));
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(cancel);
    box->setEscapeButton(cancel);
    connect(box, &QMessageBox::finished, this, [this, box, reset] {
        if (box->clickedButton() == reset)
            emit resetRequested();
    });
    box->open();
    return box;
}

void DiagnosticsPage::setLimits(const IngestLimits &limits)
{
    const QLocale locale;
    m_limits->setText(tr("Limits: %1 devices per connection, %2 metrics per device (Settings > Ingest Limits…)")
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
    m_resetButton->setEnabled(any || !m_rejections->recentRejects().isEmpty());
    m_totals->setVisible(any);
    m_totals->setText(tr("%1 rejected messages from %2 sources. %3")
                          .arg(locale.toString(m_rejections->total()), locale.toString(m_rejections->rowCount()),
                               parts.join(QStringLiteral(", "))));
}

} // namespace fd
