#pragma once

#include <QObject>
#include <QActionGroup>
#include <QPalette>
#include <QPointer>
#include <QString>

class QMenu;
class QSettings;

namespace fd {

// The application's colour theme: System (follow the desktop, SystemColorScheme), Light or
// Dark. Applied live to the whole application (Fusion and a dark or light QPalette, or the
// desktop's own style and palette when they already fit); widgets that paint themselves read
// their colours from the palette and follow the PaletteChange. The choice is saved in the
// settings (kSettingsKey); the environment variable FLEETDECK_THEME (system, light, dark)
// overrides it for one run without saving.
//
// Construct it before the application's palette or style is changed: it remembers them as
// the desktop's.
class ThemeController : public QObject
{
    Q_OBJECT
public:
    enum class Theme { System, Light, Dark };
    Q_ENUM(Theme)

    static constexpr const char *kSettingsKey = "ui/theme";
    static constexpr const char *kEnvironmentVariable = "FLEETDECK_THEME";

    // settings may be null (nothing remembered). systemPrefersDark: the desktop's preference
    // (SystemColorScheme(QApplication::palette()).prefersDark() in the application).
    ThemeController(QSettings *settings, bool systemPrefersDark, QObject *parent = nullptr);

    // The saved (or FLEETDECK_THEME) theme, applied.
    void applyInitialTheme();

    [[nodiscard]] Theme theme() const { return m_theme; }
    // Applies at once and saves the choice.
    void setTheme(Theme theme);
    // The colours in use are dark (Dark, or System on a dark desktop).
    [[nodiscard]] bool isDark() const;

    // View > Theme: System / Light / Dark as checkable actions (owned by the menu).
    void populateMenu(QMenu *menu);
    [[nodiscard]] QActionGroup *actionGroup() const { return m_group; }

    [[nodiscard]] static QPalette darkPalette();
    [[nodiscard]] static QPalette lightPalette();
    [[nodiscard]] static QString themeKey(Theme theme);
    [[nodiscard]] static Theme themeFromKey(const QString &key, Theme fallback = Theme::System);

signals:
    void themeChanged(fd::ThemeController::Theme theme, bool dark);

private:
    void apply();
    void updateActions();

    QSettings *m_settings;
    bool m_systemDark;
    QString m_systemStyle;
    QPalette m_systemPalette;
    bool m_systemPaletteDark;
    Theme m_theme = Theme::System;
    bool m_applied = false;
    QPointer<QActionGroup> m_group;  // owned by the menu
};

} // namespace fd
