#pragma once

// Private to the widgets library (Qt Charts types): the chart's colours from the widget
// palette, so that a chart follows View > Theme like the rest of the window.

#include <QChart>
#include <QPalette>

namespace fd {

// Qt Charts' ChartThemeDark or ChartThemeLight (by the palette's window lightness), then the
// palette's own colours for the chart background, title, axes and grid, so that the chart is
// no light island in a dark window. The series keep their colours and the axes their fonts.
void applyChartPalette(QChart *chart, const QPalette &palette);

} // namespace fd
