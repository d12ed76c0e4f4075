#include "ui/selection_summary_view.h"

#include "models/device_selection_summary.h"

#include "widgets/plain_label.h"
#include "widgets/form_section.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace fd {

namespace {
QLabel *label(const QString &text, QWidget *parent)
{
    return plainLabel(text, parent, {.wrap = true});
}

void fillCounts(QFormLayout *form, const DeviceSelectionSummary::Counts &counts)
{
    while (form->rowCount() > 0)
        form->removeRow(0);
    const QLocale locale;
    const qsizetype shown = std::min<qsizetype>(counts.size(), SelectionSummaryView::kMaxValuesShown);
    for (qsizetype i = 0; i < shown; ++i) {
        const QString &value = counts[i].first;
        form->addRow(label(value.isEmpty() ? SelectionSummaryView::tr("—") : value, nullptr),
                     label(locale.toString(counts[i].second), nullptr));
    }
    if (counts.size() > shown) {
        QLabel *more = label(SelectionSummaryView::tr("and %n more", nullptr, int(counts.size() - shown)), nullptr);
        more->setForegroundRole(QPalette::PlaceholderText);
        form->addRow(more);
    }
}

} // namespace

SelectionSummaryView::SelectionSummaryView(QWidget *parent)
    : QWidget(parent)
    , m_title(label(QString(), this))
    , m_status(label(QString(), this))
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
    layout->addWidget(formSection(tr("Sources"), &m_sources, this));
    layout->addWidget(formSection(tr("Models"), &m_models, this));
    layout->addWidget(formSection(tr("Firmware"), &m_firmware, this));
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
