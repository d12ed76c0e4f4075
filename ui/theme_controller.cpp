#include "ui/theme_controller.h"

#include "ui/system_color_scheme.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QMenu>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

namespace fd {

ThemeController::ThemeController(QSettings *settings, bool systemPrefersDark, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_systemDark(systemPrefersDark)
    , m_systemStyle(QApplication::style() ? QApplication::style()->name() : QString())
    , m_systemPalette(QApplication::palette())
    , m_systemPaletteDark(SystemColorScheme::isDark(m_systemPalette))
{
}

QString ThemeController::themeKey(Theme theme)
{
    switch (theme) {
    case Theme::Light: return QStringLiteral("light");
    case Theme::Dark: return QStringLiteral("dark");
    case Theme::System: break;
    }
    return QStringLiteral("system");
}

ThemeController::Theme ThemeController::themeFromKey(const QString &key, Theme fallback)
{
    const QString k = key.trimmed().toLower();
    if (k == QLatin1String("light"))
        return Theme::Light;
    if (k == QLatin1String("dark"))
        return Theme::Dark;
    if (k == QLatin1String("system"))
        return Theme::System;
    return fallback;
}

void ThemeController::applyInitialTheme()
{
    Theme theme = m_settings ? themeFromKey(m_settings->value(QLatin1String(kSettingsKey)).toString()) : Theme::System;
    const QString env = qEnvironmentVariable(kEnvironmentVariable);
    if (!env.isEmpty())
        theme = themeFromKey(env, theme);
    m_theme = theme;
    apply();
}

void ThemeController::setTheme(Theme theme)
{
    if (m_settings) {
        m_settings->setValue(QLatin1String(kSettingsKey), themeKey(theme));
        m_settings->sync();
    }
    if (theme == m_theme && m_applied) {
        updateActions();
        return;
    }
    m_theme = theme;
    apply();
}

bool ThemeController::isDark() const
{
    return m_theme == Theme::Dark || (m_theme == Theme::System && m_systemDark);
}

void ThemeController::apply()
{
    const bool dark = isDark();
    m_applied = true;
    if (dark == m_systemPaletteDark) {
        // The desktop's own style and palette already have the wanted lightness.
        if (QApplication::style()->name() != m_systemStyle)
            QApplication::setStyle(QStyleFactory::create(m_systemStyle));
        QApplication::setPalette(m_systemPalette);
    } else {
        if (QApplication::style()->name().compare(QLatin1String("fusion"), Qt::CaseInsensitive) != 0)
            QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(dark ? darkPalette() : lightPalette());
    }
    updateActions();
    emit themeChanged(m_theme, dark);
}

void ThemeController::populateMenu(QMenu *menu)
{
    m_group = new QActionGroup(menu);
    m_group->setExclusive(true);
    const std::pair<Theme, QString> entries[] = {{Theme::System, tr("&System")},
                                                 {Theme::Light, tr("&Light")},
                                                 {Theme::Dark, tr("&Dark")}};
    for (const auto &[theme, label] : entries) {
        QAction *action = menu->addAction(label);
        action->setCheckable(true);
        action->setData(int(theme));
        action->setObjectName(QStringLiteral("theme-") + themeKey(theme));
        m_group->addAction(action);
        const Theme t = theme;
        connect(action, &QAction::triggered, this, [this, t] { setTheme(t); });
    }
    updateActions();
}

void ThemeController::updateActions()
{
    if (!m_group)
        return;
    for (QAction *action : m_group->actions())
        action->setChecked(action->data().toInt() == int(m_theme));
}

QPalette ThemeController::darkPalette()
{
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor base(0x1f, 0x21, 0x24);
    const QColor alternate(0x27, 0x29, 0x2d);
    const QColor text(0xe6, 0xe6, 0xe6);
    const QColor disabledText(0x80, 0x83, 0x88);
    const QColor button(0x35, 0x37, 0x3c);
    const QColor highlight(0x2f, 0x6f, 0xc4);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, alternate);
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x42));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x95, 0x98, 0x9e));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x53));
    p.setColor(QPalette::Midlight, QColor(0x3d, 0x40, 0x45));
    p.setColor(QPalette::Mid, QColor(0x24, 0x26, 0x29));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, QColor(0x0c, 0x0c, 0x0d));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xa9, 0xf5));
    p.setColor(QPalette::LinkVisited, QColor(0xb0, 0x8c, 0xf0));
    for (const QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabledText);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x4a, 0x4d, 0x53));
    p.setColor(QPalette::Disabled, QPalette::HighlightedText, disabledText);
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    return p;
}

QPalette ThemeController::lightPalette()
{
    QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion"));
    const QPalette p = fusion ? fusion->standardPalette() : QPalette(QColor(0xef, 0xef, 0xef));
    delete fusion;
    return p;
}

} // namespace fd
