#include "ui/system_color_scheme.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

namespace fd {

SystemColorScheme::SystemColorScheme(const QPalette &platformPalette, QString configDir)
    : m_palette(platformPalette)
    , m_configDir(std::move(configDir))
{
    if (m_configDir.isEmpty())
        m_configDir = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
}

bool SystemColorScheme::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

bool SystemColorScheme::paletteIsDark() const
{
    return isDark(m_palette);
}

bool SystemColorScheme::prefersDark() const
{
    if (paletteIsDark())
        return true;
    const QString gtkTheme = qEnvironmentVariable("GTK_THEME");
    if (gtkTheme.endsWith(QLatin1String(":dark"), Qt::CaseInsensitive))
        return true;
    const QDir dir(m_configDir);
    const QString gtkIni = dir.filePath(QStringLiteral("gtk-3.0/settings.ini"));
    if (QFile::exists(gtkIni)) {
        const QSettings gtk(gtkIni, QSettings::IniFormat);
        const QVariant prefer = gtk.value(QStringLiteral("Settings/gtk-application-prefer-dark-theme"));
        if (prefer.toString() == QLatin1String("1") || prefer.toString().compare(QLatin1String("true"), Qt::CaseInsensitive) == 0)
            return true;
        if (gtk.value(QStringLiteral("Settings/gtk-theme-name")).toString().contains(QLatin1String("-dark"), Qt::CaseInsensitive))
            return true;
    }
    const QString kdeglobals = dir.filePath(QStringLiteral("kdeglobals"));
    if (QFile::exists(kdeglobals)) {
        const QSettings kde(kdeglobals, QSettings::IniFormat);
        if (kde.value(QStringLiteral("General/ColorScheme")).toString().contains(QLatin1String("Dark"), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace fd
