#pragma once

#include <QColor>
#include <QString>

class QPalette;

namespace fd {

// Colours of warnings (a banner, a "cached state" badge) and of error text that read on the
// current palette: amber on light, a dark amber with light text on a dark theme.
struct WarningColors
{
    QColor background;
    QColor border;
    QColor text;
    QColor errorText;
};

bool isDarkPalette(const QPalette &palette);
WarningColors warningColors(const QPalette &palette);

} // namespace fd
