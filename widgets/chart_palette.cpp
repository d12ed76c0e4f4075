#include "widgets/chart_palette_p.h"

#include <QAbstractAxis>
#include <QHash>
#include <QXYSeries>

namespace fd {

void applyChartPalette(QChart *chart, const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    const QChart::ChartTheme theme = dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    // setTheme() restyles everything: keep what the chart chose itself.
    QHash<QAbstractSeries *, QPen> pens;
    for (QAbstractSeries *series : chart->series())
        if (auto *xy = qobject_cast<QXYSeries *>(series))
            pens.insert(series, xy->pen());
    QHash<QAbstractAxis *, std::pair<QFont, QFont>> fonts;
    for (QAbstractAxis *axis : chart->axes())
        fonts.insert(axis, {axis->labelsFont(), axis->titleFont()});
    const QFont titleFont = chart->titleFont();
    const qreal roundness = chart->backgroundRoundness();
    if (chart->theme() != theme)
        chart->setTheme(theme);
    for (auto it = pens.cbegin(); it != pens.cend(); ++it)
        static_cast<QXYSeries *>(it.key())->setPen(it.value());
    chart->setTitleFont(titleFont);
    chart->setBackgroundRoundness(roundness);

    const QColor text = palette.color(QPalette::Text);
    QColor grid = text;
    grid.setAlpha(dark ? 45 : 35);
    QColor axisLine = text;
    axisLine.setAlpha(dark ? 110 : 90);
    chart->setBackgroundBrush(palette.brush(QPalette::Base));
    chart->setBackgroundPen(Qt::NoPen);
    chart->setPlotAreaBackgroundVisible(false);
    chart->setTitleBrush(text);
    for (QAbstractAxis *axis : chart->axes()) {
        const auto &[labels, title] = fonts.value(axis);
        axis->setLabelsFont(labels);
        axis->setTitleFont(title);
        axis->setLabelsBrush(text);
        axis->setTitleBrush(text);
        axis->setLinePenColor(axisLine);
        axis->setGridLineColor(grid);
        QColor minor = grid;
        minor.setAlpha(grid.alpha() / 2);
        axis->setMinorGridLineColor(minor);
    }
}

} // namespace fd
