#pragma once

#include <QPalette>
#include <QString>

namespace fd {

// Whether the desktop asks for a dark look. Qt 6.4 has no QStyleHints::colorScheme (6.5),
// so this reads what is cheap to read at start: the platform palette's window lightness,
// GTK_THEME ("Adwaita:dark"), GTK 3's settings.ini (gtk-application-prefer-dark-theme,
// a "-dark" theme name) and KDE's kdeglobals (a colour scheme named "...Dark...").
class SystemColorScheme
{
public:
    // configDir: where settings.ini / kdeglobals are looked for ($XDG_CONFIG_HOME or
    // ~/.config when empty).
    explicit SystemColorScheme(const QPalette &platformPalette, QString configDir = QString());

    [[nodiscard]] bool prefersDark() const;
    // The palette itself is dark (the desktop's style already draws dark).
    [[nodiscard]] bool paletteIsDark() const;

    [[nodiscard]] static bool isDark(const QPalette &palette);

private:
    QPalette m_palette;
    QString m_configDir;
};

} // namespace fd
