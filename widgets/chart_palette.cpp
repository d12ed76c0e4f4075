#include "widgets/chart_palette_p.h"

#include <QAbstractAxis>
#include <QHash>
#include <QXYSeries>

namespace fd {

namespace {

// fg at alpha (0..255) over bg, as one opaque colour. Grid and axis lines lie on the
// chart's plain background, so this looks the same as a translucent pen, but the raster
// engine fills an opaque colour inline: a translucent one goes through its threaded span
// fill (QThreadPool start and wait for every ~64 spans of a vertical line), which cost
// ~5 ms per frame for the time axis' grid.
QColor over(const QColor &fg, int alpha, const QColor &bg)
{
    const auto mix = [alpha](int f, int b) { return (f * alpha + b * (255 - alpha) + 127) / 255; };
    return QColor(mix(fg.red(), bg.red()), mix(fg.green(), bg.green()), mix(fg.blue(), bg.blue()));
}

} // namespace

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
    const QColor base = palette.color(QPalette::Base);
    const QColor grid = over(text, dark ? 45 : 35, base);
    const QColor axisLine = over(text, dark ? 110 : 90, base);
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
        axis->setMinorGridLineColor(over(text, (dark ? 45 : 35) / 2, base));
    }
}

} // namespace fd
