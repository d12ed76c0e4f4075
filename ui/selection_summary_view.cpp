#include "ui/selection_summary_view.h"

#include "models/device_selection_summary.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace fd {

namespace {

QLabel *plainLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);  // device strings are untrusted: never rich text
    label->setText(text);
    label->setWordWrap(true);
    return label;
}

QGroupBox *section(const QString &title, QFormLayout **form, QWidget *parent)
{
    auto *box = new QGroupBox(title, parent);
    *form = new QFormLayout(box);
    (*form)->setLabelAlignment(Qt::AlignLeft);
    (*form)->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    (*form)->setHorizontalSpacing(16);
    (*form)->setVerticalSpacing(4);
    return box;
}

void fillCounts(QFormLayout *form, const DeviceSelectionSummary::Counts &counts)
{
    while (form->rowCount() > 0)
        form->removeRow(0);
    const QLocale locale;
    const qsizetype shown = std::min<qsizetype>(counts.size(), SelectionSummaryView::kMaxValuesShown);
    for (qsizetype i = 0; i < shown; ++i) {
        const QString &value = counts[i].first;
        form->addRow(plainLabel(value.isEmpty() ? SelectionSummaryView::tr("—") : value, nullptr),
                     plainLabel(locale.toString(counts[i].second), nullptr));
    }
    if (counts.size() > shown) {
        QLabel *more = plainLabel(SelectionSummaryView::tr("and %n more", nullptr, int(counts.size() - shown)), nullptr);
        more->setForegroundRole(QPalette::PlaceholderText);
        form->addRow(more);
    }
}

} // namespace

SelectionSummaryView::SelectionSummaryView(QWidget *parent)
    : QWidget(parent)
    , m_title(plainLabel(QString(), this))
    , m_status(plainLabel(QString(), this))
{
    setObjectName(QStringLiteral("selectionSummary"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 12);
    layout->setSpacing(10);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    layout->addWidget(m_title);
    layout->addWidget(m_status);
    layout->addWidget(section(tr("Sources"), &m_sources, this));
    layout->addWidget(section(tr("Models"), &m_models, this));
    layout->addWidget(section(tr("Firmware"), &m_firmware, this));
    layout->addStretch(1);
}

void SelectionSummaryView::setSummary(const DeviceSelectionSummary &s)
{
    const QLocale locale;
    m_title->setText(tr("%n device(s) selected", nullptr, s.devices));
    QStringList parts{tr("%1 online").arg(locale.toString(s.online)),
                      tr("%1 offline").arg(locale.toString(s.offline))};
    if (s.unknown > 0)
        parts.append(tr("%1 unknown").arg(locale.toString(s.unknown)));
    m_status->setText(parts.join(tr(" · ")));
    fillCounts(m_sources, s.sources);
    fillCounts(m_models, s.models);
    fillCounts(m_firmware, s.firmware);
}

QString SelectionSummaryView::titleText() const
{
    return m_title->text();
}

QString SelectionSummaryView::statusText() const
{
    return m_status->text();
}

} // namespace fd
