#include "widgets/warning_colors.h"

#include <QPalette>

namespace fd {

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightnessF() < 0.5;
}

WarningColors warningColors(const QPalette &palette)
{
    if (isDarkPalette(palette))
        return {QColor(0x4a, 0x3a, 0x10), QColor(0x9a, 0x7a, 0x2a), QColor(0xff, 0xe8, 0xa8), QColor(0xff, 0x7b, 0x6b)};
    return {QColor(0xff, 0xf4, 0xd6), QColor(0xe0, 0xb8, 0x4a), QColor(0x4d, 0x38, 0x00), QColor(0xc0, 0x39, 0x2b)};
}

} // namespace fd
