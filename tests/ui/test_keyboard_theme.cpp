// The keyboard and the looks of the main window (offscreen, real FleetSession on a temp
// cache, no broker): every shortcut is a menu action listed by Help > Keyboard Shortcuts,
// none is ambiguous, Tab leaves the device table, Down from the search enters the results,
// the sidebar tells the page keys; View > Theme switches the palette and the charts live and
// is remembered.
#include "core/ingest/fleet_session.h"
#include "models/device_inventory_model.h"
#include "ui/device_detail_panel.h"
#include "ui/inventory_page.h"
#include "ui/main_window.h"
#include "ui/page_sidebar.h"
#include "ui/shortcuts_dialog.h"
#include "ui/system_color_scheme.h"
#include "ui/telemetry_page.h"
#include "ui/theme_controller.h"
#include "widgets/filter_bar.h"
#include "widgets/telemetry_chart.h"

#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QFile>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {

Device device(int i)
{
    Device d;
    d.id = u"dev-%1"_s.arg(i, 5, 10, QLatin1Char('0'));
    d.name = i % 2 ? u"Cold Room %1"_s.arg(i) : u"Dock %1"_s.arg(i);
    d.online = true;
    d.lastSeenMs = QDateTime::currentMSecsSinceEpoch();
    d.metrics = {{u"temperature"_s, 4.0 + i}};
    return d;
}

QString plainText(const QAction *action)
{
    QString text = action->text();
    text.remove(u'&');
    if (text.endsWith(QChar(0x2026)))
        text.chop(1);
    return text.trimmed();
}

} // namespace

class TestKeyboardTheme : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void shortcutDialogListsEveryShortcutAction();
    void everyShortcutIsShownInAMenu();
    void noTwoActionsShareAShortcut();
    void tabLeavesTheTable();
    void downFromSearchSelectsTheFirstRow();
    void sidebarTellsThePageKeys();
    void themeSwitchChangesPaletteAndCharts();
    void systemSchemeReadsDesktopSettings();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<ThemeController> m_theme;
    std::unique_ptr<FleetSession> m_session;
    std::unique_ptr<MainWindow> m_window;
};

void TestKeyboardTheme::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestKeyboardTheme::init()
{
    m_settings = std::make_unique<QSettings>(m_dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    m_theme = std::make_unique<ThemeController>(m_settings.get(), false);
    m_session = std::make_unique<FleetSession>();
    const Database::OpenResult opened = m_session->open(m_dir.filePath(u"cache.sqlite"_s));
    QVERIFY2(opened.ok(), qPrintable(opened.message));
    MainWindow::Services services;
    services.session = m_session.get();
    services.theme = m_theme.get();
    m_window = std::make_unique<MainWindow>(services);
    QList<Device> devices;
    for (int i = 1; i <= 6; ++i)
        devices.append(device(i));
    m_window->inventoryModel()->resetDevices(devices);
    m_window->resize(1200, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestKeyboardTheme::cleanup()
{
    m_window.reset();
    if (m_theme)
        m_theme->setTheme(ThemeController::Theme::System);
    m_theme.reset();
    m_session.reset();
    m_settings.reset();
}

void TestKeyboardTheme::shortcutDialogListsEveryShortcutAction()
{
    const QList<QAction *> actions = m_window->findChildren<QAction *>();
    QStringList expected;
    for (const QAction *action : actions)
        if (!action->shortcut().isEmpty())
            expected.append(plainText(action));
    QVERIFY2(expected.size() >= 8, qPrintable(expected.join(u", ")));

    ShortcutsDialog *dialog = m_window->showKeyboardShortcuts();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    const QStringList listed = dialog->visibleActions();
    for (const QString &name : std::as_const(expected))
        QVERIFY2(listed.contains(name), qPrintable(u"not listed: "_s + name));
    QVERIFY(listed.contains(u"Keyboard Shortcuts"_s));
    QVERIFY(listed.contains(u"Zoom in"_s));  // keys the chart handles itself

    // Searchable: by name and by key.
    QTest::keyClicks(dialog->searchField(), u"telemetry"_s);
    QVERIFY(dialog->visibleCount() < listed.size());
    QVERIFY(dialog->visibleActions().contains(u"Telemetry"_s));
    dialog->searchField()->clear();
    QTest::keyClicks(dialog->searchField(), u"Ctrl+1"_s);
    QCOMPARE(dialog->visibleActions(), QStringList{u"Overview"_s});
    // The triage keys are listed, where they act.
    dialog->searchField()->clear();
    QTest::keyClicks(dialog->searchField(), u"Acknowledge"_s);
    QCOMPARE(dialog->visibleActions(), QStringList{u"Acknowledge"_s});
    // One dialog at a time.
    QCOMPARE(m_window->showKeyboardShortcuts(), dialog);
}

void TestKeyboardTheme::everyShortcutIsShownInAMenu()
{
    for (QAction *action : ShortcutsDialog::shortcutActions(m_window.get())) {
        bool inMenu = false;
        for (QObject *object : action->associatedObjects())
            inMenu = inMenu || qobject_cast<QMenu *>(object);
        QVERIFY2(inMenu, qPrintable(u"no menu shows "_s + plainText(action)));
    }
    QAction *delete_ = m_window->deleteDevicesAction();
    QCOMPARE(delete_->shortcut(), QKeySequence(QKeySequence::Delete));
}

void TestKeyboardTheme::noTwoActionsShareAShortcut()
{
    QHash<QKeySequence, QString> owners;
    for (const QAction *action : m_window->findChildren<QAction *>()) {
        for (const QKeySequence &keys : action->shortcuts()) {
            const QString previous = owners.value(keys);
            QVERIFY2(previous.isEmpty(), qPrintable(u"%1 is both %2 and %3"_s.arg(keys.toString(), previous,
                                                                                   plainText(action))));
            owners.insert(keys, plainText(action));
        }
    }
    QVERIFY(owners.size() >= 8);
    // And the page keys really go somewhere (not an ambiguous shortcut that does nothing):
    // Ctrl+1 Overview, Ctrl+2 Alerts, Ctrl+3 Inventory, Ctrl+4 Diagnostics, Ctrl+5 Telemetry.
    const std::pair<Qt::Key, int> pages[] = {
        {Qt::Key_4, MainWindow::DiagnosticsPageIndex}, {Qt::Key_3, MainWindow::InventoryPageIndex},
        {Qt::Key_2, MainWindow::AlertsPageIndex},      {Qt::Key_5, MainWindow::TelemetryPageIndex},
        {Qt::Key_1, MainWindow::OverviewPageIndex},
    };
    for (const auto &[key, page] : pages) {
        QTest::keyClick(m_window.get(), key, Qt::ControlModifier);
        QCOMPARE(m_window->findChild<PageSidebar *>()->currentPage(), page);
    }
}

void TestKeyboardTheme::tabLeavesTheTable()
{
    m_window->showPage(MainWindow::InventoryPageIndex);
    QTableView *table = m_window->inventoryPage()->table();
    table->setFocus(Qt::TabFocusReason);
    QTRY_VERIFY(table->hasFocus());
    QVERIFY(!table->tabKeyNavigation());
    QTest::keyClick(table, Qt::Key_Tab);
    QWidget *focus = QApplication::focusWidget();
    QVERIFY(focus);
    QVERIFY2(focus != table, "Tab stayed in the table");
    QVERIFY2(m_window->inventoryPage()->detailPanel()->isAncestorOf(focus),
             qPrintable(u"Tab went to "_s + QString::fromLatin1(focus->metaObject()->className())));
    // Backtab comes back to the table; once more to the view choice and the filters.
    QTest::keyClick(focus, Qt::Key_Backtab);
    QCOMPARE(QApplication::focusWidget(), table);
}

void TestKeyboardTheme::downFromSearchSelectsTheFirstRow()
{
    InventoryPage *page = m_window->inventoryPage();
    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);  // View > Find Device
    QLineEdit *search = page->filterBar()->searchField();
    QTRY_VERIFY(search->hasFocus());
    page->filterBar()->setDebounceMs(0);
    QTest::keyClicks(search, u"dock"_s);
    QTRY_COMPARE(page->table()->model()->rowCount(), 3);
    page->table()->clearSelection();
    QTest::keyClick(search, Qt::Key_Down);
    QVERIFY(page->table()->hasFocus());
    const QModelIndex current = page->table()->currentIndex();
    QCOMPARE(current.row(), 0);
    QCOMPARE(page->table()->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(page->selectedDevices().size(), 1);
    QVERIFY(page->selectedDevices().constFirst().path.startsWith(u"dev-"_s));
}

void TestKeyboardTheme::sidebarTellsThePageKeys()
{
    auto *sidebar = m_window->findChild<PageSidebar *>();
    QVERIFY(sidebar);
    const QString ctrl1 = QKeySequence(Qt::CTRL | Qt::Key_1).toString(QKeySequence::NativeText);
    QVERIFY2(sidebar->pageToolTip(0).startsWith(u"Overview (%1)"_s.arg(ctrl1)), qPrintable(sidebar->pageToolTip(0)));
    QVERIFY(sidebar->pageToolTip(2).contains(QKeySequence(Qt::CTRL | Qt::Key_3).toString(QKeySequence::NativeText)));
    QVERIFY(!sidebar->accessibleName().isEmpty());
    auto *go = m_window->findChild<QAction *>(u"goToPage3"_s);
    QVERIFY(go);
    QCOMPARE(go->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_3));
}

void TestKeyboardTheme::themeSwitchChangesPaletteAndCharts()
{
    TelemetryPage *telemetry = m_window->telemetryPage();
    QVERIFY(telemetry->openChart({device(1).key()}, u"temperature"_s) >= 0);
    TelemetryChart *chart = telemetry->chart(0);
    QVERIFY(chart);
    QVERIFY(!chart->isDarkTheme());
    QVERIFY(!SystemColorScheme::isDark(QApplication::palette()));

    auto *dark = m_window->findChild<QAction *>(u"theme-dark"_s);
    QVERIFY(dark);
    QVERIFY(dark->isCheckable());
    dark->trigger();
    QVERIFY(dark->isChecked());
    QVERIFY(m_theme->isDark());
    QVERIFY(SystemColorScheme::isDark(QApplication::palette()));
    QCOMPARE(QApplication::style()->name().toLower(), u"fusion"_s);
    QTRY_VERIFY(chart->isDarkTheme());
    QVERIFY(SystemColorScheme::isDark(m_window->inventoryPage()->table()->palette()));
    QCOMPARE(m_settings->value(QLatin1String(ThemeController::kSettingsKey)).toString(), u"dark"_s);

    // Remembered: the next start applies it.
    {
        ThemeController next(m_settings.get(), false);
        next.applyInitialTheme();
        QCOMPARE(next.theme(), ThemeController::Theme::Dark);
        QVERIFY(SystemColorScheme::isDark(QApplication::palette()));
    }

    m_window->findChild<QAction *>(u"theme-light"_s)->trigger();
    QVERIFY(!SystemColorScheme::isDark(QApplication::palette()));
    QTRY_VERIFY(!chart->isDarkTheme());
    QCOMPARE(m_settings->value(QLatin1String(ThemeController::kSettingsKey)).toString(), u"light"_s);

    // System follows the desktop's preference.
    ThemeController darkDesktop(nullptr, true);
    darkDesktop.setTheme(ThemeController::Theme::System);
    QVERIFY(darkDesktop.isDark());
    QVERIFY(SystemColorScheme::isDark(QApplication::palette()));
    QTRY_VERIFY(chart->isDarkTheme());
}

void TestKeyboardTheme::systemSchemeReadsDesktopSettings()
{
    QVERIFY(!SystemColorScheme(ThemeController::lightPalette(), m_dir.filePath(u"none"_s)).prefersDark());
    QVERIFY(SystemColorScheme(ThemeController::darkPalette(), m_dir.filePath(u"none"_s)).prefersDark());
    QDir(m_dir.path()).mkpath(u"cfg/gtk-3.0"_s);
    QFile ini(m_dir.filePath(u"cfg/gtk-3.0/settings.ini"_s));
    QVERIFY(ini.open(QIODevice::WriteOnly));
    ini.write("[Settings]\ngtk-application-prefer-dark-theme=1\n");
    ini.close();
    QVERIFY(SystemColorScheme(ThemeController::lightPalette(), m_dir.filePath(u"cfg"_s)).prefersDark());
    QCOMPARE(ThemeController::themeFromKey(u" Dark "_s), ThemeController::Theme::Dark);
    QCOMPARE(ThemeController::themeFromKey(u"bogus"_s, ThemeController::Theme::Light), ThemeController::Theme::Light);
}

QTEST_MAIN(TestKeyboardTheme)
#include "test_keyboard_theme.moc"
