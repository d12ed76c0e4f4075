#include "widgets/telemetry_chart_legend.h"

#include "core/domain/plain_text.h"

#include <QCheckBox>
#include <QLabel>
#include <QPixmap>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace fd {

TelemetryChartLegend::TelemetryChartLegend(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QVBoxLayout(this))
{
    m_layout->setContentsMargins(6, 6, 6, 6);
    m_layout->addStretch(1);
}

void TelemetryChartLegend::addRow(int id, const QString &label, const QColor &color)
{
    Row row;
    row.widget = new QWidget(this);
    auto *layout = new QVBoxLayout(row.widget);
    layout->setContentsMargins(0, 0, 0, 4);
    layout->setSpacing(0);
    row.check = new QCheckBox(label, row.widget);
    row.check->setChecked(true);
    QPixmap swatch(12, 12);
    swatch.fill(color);
    row.check->setIcon(QIcon(swatch));
    row.check->setToolTip(plainTextAsRichText(tr("Show or hide %1").arg(label)));
    row.stats = new QLabel(row.widget);
    QFont small = row.stats->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    row.stats->setFont(small);
    row.stats->setContentsMargins(20, 0, 0, 0);
    row.stats->setWordWrap(true);
    row.stats->setTextFormat(Qt::PlainText);
    layout->addWidget(row.check);
    layout->addWidget(row.stats);
    m_layout->insertWidget(m_layout->count() - 1, row.widget);
    connect(row.check, &QCheckBox::toggled, this, [this, id](bool on) { emit toggled(id, on); });
    m_rows.insert(id, row);
}

void TelemetryChartLegend::removeRow(int id)
{
    const Row row = m_rows.take(id);
    delete row.widget;
}

void TelemetryChartLegend::setChecked(int id, bool checked)
{
    const auto it = m_rows.constFind(id);
    if (it != m_rows.cend() && it->check->isChecked() != checked)
        it->check->setChecked(checked);
}

void TelemetryChartLegend::setToolTip(int id, const QString &text)
{
    const auto it = m_rows.constFind(id);
    if (it != m_rows.cend())
        it->check->setToolTip(plainTextAsRichText(text));
}

void TelemetryChartLegend::setStatsText(int id, const QString &text, bool stale)
{
    const auto it = m_rows.constFind(id);
    if (it == m_rows.cend())
        return;
    it->stats->setText(text);
    const bool dark = palette().color(QPalette::Window).lightness() < 128;  // View > Theme
    it->stats->setStyleSheet(stale ? (dark ? u"color: #f0a040;"_s : u"color: #b35900;"_s) : QString());
}

} // namespace fd
