#include "ui/reject_samples_dialog.h"

#include "core/domain/recent_rejects.h"
#include "models/reject_reason_labels.h"
#include "models/reject_sample_model.h"
#include "models/rejection_model.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace fd {

RejectSamplesDialog::RejectSamplesDialog(RejectionModel *rejections, std::optional<RejectReason> reason,
                                         QWidget *parent)
    : QDialog(parent)
    , m_rejections(rejections)
    , m_model(new RejectSampleModel(this))
    , m_reason(new QComboBox(this))
    , m_table(new QTableView(this))
    , m_detail(new QLabel(this))
    , m_preview(new QPlainTextEdit(this))
    , m_empty(new QLabel(this))
{
    setObjectName(QStringLiteral("RejectSamplesDialog"));
    setWindowTitle(tr("Rejected Message Samples"));
    resize(900, 560);
    auto *layout = new QVBoxLayout(this);

    auto *intro = new QLabel(tr("The last %1 rejected messages of each reason since the start (or the last "
                                "reset), over every connection; kept in memory only. Payloads are shown as "
                                "text with other bytes escaped, or as hex, up to %2 bytes.")
                                 .arg(RecentRejects::kPerReason)
                                 .arg(RejectSample::kPreviewBytes),
                             this);
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *row = new QHBoxLayout;
    auto *reasonLabel = new QLabel(tr("&Reason"), this);
    reasonLabel->setBuddy(m_reason);
    m_reason->addItem(tr("All reasons"), -1);
    for (RejectReason r : kAllRejectReasons)
        m_reason->addItem(rejectReasonLabel(r), int(r));
    row->addWidget(reasonLabel);
    row->addWidget(m_reason);
    row->addStretch(1);
    layout->addLayout(row);

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(RejectSampleModel::TopicColumn, QHeaderView::Stretch);
    m_table->setAccessibleName(tr("Rejected message samples"));

    auto *bottom = new QWidget(this);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    m_detail->setTextFormat(Qt::PlainText);  // the decoder's words may quote the payload
    m_detail->setWordWrap(true);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bottomLayout->addWidget(m_detail);
    m_preview->setReadOnly(true);  // QPlainTextEdit: never rich text
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_preview->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_preview->setAccessibleName(tr("Payload preview"));
    bottomLayout->addWidget(m_preview, 1);

    m_empty->setTextFormat(Qt::PlainText);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_empty);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    connect(m_reason, &QComboBox::currentIndexChanged, this, &RejectSamplesDialog::reload);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RejectSamplesDialog::showCurrent);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RejectSamplesDialog::showCurrent);
    connect(rejections, &RejectionModel::recentRejectsChanged, this, &RejectSamplesDialog::reload);

    showReason(reason);
}

void RejectSamplesDialog::showReason(std::optional<RejectReason> reason)
{
    const int index = m_reason->findData(reason ? int(*reason) : -1);
    if (index == m_reason->currentIndex())
        reload();
    else
        m_reason->setCurrentIndex(qMax(0, index));
}

std::optional<RejectReason> RejectSamplesDialog::chosenReason() const
{
    const int value = m_reason->currentData().toInt();
    if (value < 0)
        return std::nullopt;
    return RejectReason(value);
}

QString RejectSamplesDialog::emptyText() const
{
    return m_empty->isHidden() ? QString() : m_empty->text();
}

void RejectSamplesDialog::reload()
{
    // Keep the selected sample selected when new ones arrive.
    const RejectSample *current = m_model->sampleAt(m_table->currentIndex().row());
    const quint64 serial = current ? current->serial : 0;
    const std::optional<RejectReason> reason = chosenReason();
    const RecentRejects &recent = m_rejections->recentRejects();
    QList<RejectSample> samples;
    if (reason) {
        const QList<RejectSample> &kept = recent.samples(*reason);
        samples.reserve(kept.size());
        for (auto it = kept.crbegin(); it != kept.crend(); ++it)
            samples.append(*it);  // newest first
    } else {
        samples = recent.all();
    }
    m_model->setSamples(samples);
    int select = samples.isEmpty() ? -1 : 0;
    for (int i = 0; i < samples.size(); ++i) {
        if (serial != 0 && samples.at(i).serial == serial)
            select = i;
    }
    if (select >= 0)
        m_table->setCurrentIndex(m_model->index(select, 0));
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setSectionResizeMode(RejectSampleModel::TopicColumn, QHeaderView::Stretch);
    m_empty->setVisible(samples.isEmpty());
    m_empty->setText(reason ? tr("No message rejected as \"%1\" was kept (none since the start or the last reset, "
                                 "or the cache refused it: such rejects have no message to show).")
                                  .arg(rejectReasonLabel(*reason))
                            : tr("No rejected message was kept since the start or the last reset."));
    showCurrent();
}

void RejectSamplesDialog::showCurrent()
{
    const QModelIndex index = m_model->index(m_table->currentIndex().row(), 0);
    if (!index.isValid()) {
        m_detail->clear();
        m_preview->clear();
        return;
    }
    const QString detail = index.data(RejectSampleModel::DetailRole).toString();
    const auto reason = RejectReason(index.data(RejectSampleModel::ReasonRole).toInt());
    m_detail->setText(detail.isEmpty() ? rejectReasonDescription(reason)
                                       : tr("%1: %2").arg(rejectReasonLabel(reason), detail));
    m_preview->setPlainText(index.data(RejectSampleModel::PreviewRole).toString());
}

} // namespace fd
