// Settings > Cache and Retention: RetentionDialog round trip (values load, the coarser-
// never-before-finer rule refuses OK with the reason, row counts read off the GUI thread),
// RetentionSettings in a temporary settings file, and the main window applying a shorter
// limit: saved to QSettings and pruned at once in a real temp SQLite cache.
#include "core/ingest/fleet_session.h"
#include "core/settings/retention_settings.h"
#include "core/settings/settings_keys.h"
#include "core/storage/cache_statistics.h"
#include "ui/fleet_status_bar.h"
#include "ui/main_window.h"
#include "ui/retention_dialog.h"

#include "tests/support/aged_telemetry.h"

#include <QAction>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {

// The spin box / "Keep forever" check box of a level, by the label text.
QSpinBox *daysBox(QWidget *dialog, const QString &label)
{
    for (QLabel *l : dialog->findChildren<QLabel *>()) {
        if (l->text().remove(u'&') == label)
            return qobject_cast<QSpinBox *>(l->buddy());
    }
    return nullptr;
}

QCheckBox *foreverBox(QWidget *dialog, const QString &label)
{
    QSpinBox *days = daysBox(dialog, label);
    return days ? days->parentWidget()->findChild<QCheckBox *>() : nullptr;
}

QPushButton *okButton(QWidget *dialog)
{
    return dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
}

QString labelText(QWidget *dialog, const QString &objectName)
{
    auto *label = dialog->findChild<QLabel *>(objectName);
    return label ? label->text() : QString();
}

} // namespace

class TestRetentionDialog : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void loadsValuesAndStatistics();
    void refusesCoarserBeforeFiner();
    void restoreDefaults();
    void settingsRoundTrip();
    void mainWindowSavesAndPrunes();

private:
    void fill(const QList<double> &agesInDays);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_db;
};

void TestRetentionDialog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = m_dir->filePath(u"cache.sqlite"_s);
}

void TestRetentionDialog::fill(const QList<double> &agesInDays)
{
    QString error;
    QVERIFY2(testsupport::writeAgedTelemetry(m_db, agesInDays, {{u"humidity"_s, 50.0}, {u"temperature"_s, 20.0}}, &error), qPrintable(error));
}

void TestRetentionDialog::loadsValuesAndStatistics()
{
    fill({0.5, 3, 10});
    RetentionDialog dialog(RetentionPolicy{14, 0, 0}, m_db);
    QCOMPARE(daysBox(&dialog, u"Raw samples:"_s)->value(), 14);
    QVERIFY(!foreverBox(&dialog, u"Raw samples:"_s)->isChecked());
    QVERIFY(foreverBox(&dialog, u"Per-minute rollups:"_s)->isChecked());
    QVERIFY(!daysBox(&dialog, u"Per-minute rollups:"_s)->isEnabled());
    QVERIFY(foreverBox(&dialog, u"Per-hour rollups:"_s)->isChecked());
    QCOMPARE(dialog.policy(), (RetentionPolicy{14, 0, 0}));
    QVERIFY(dialog.isValid());
    QVERIFY(okButton(&dialog)->isEnabled());
    QVERIFY(labelText(&dialog, u"cachePath"_s).endsWith(u"cache.sqlite"_s));
    QVERIFY(!labelText(&dialog, u"cacheSize"_s).isEmpty());

    // Counted on a worker thread: the dialog is usable before they arrive.
    if (!dialog.statisticsReady()) {
        QSignalSpy loaded(&dialog, &RetentionDialog::statisticsLoaded);
        QVERIFY(loaded.wait(10000));
    }
    QCOMPARE(dialog.statistics().rawRows, 6);  // 3 samples x 2 metrics
    QCOMPARE(dialog.statistics().minuteRows, 6);
    QCOMPARE(labelText(&dialog, u"rawRows"_s), QLocale().toString(6));
    QVERIFY(dialog.statistics().fileBytes > 0);
}

void TestRetentionDialog::refusesCoarserBeforeFiner()
{
    RetentionDialog dialog(RetentionPolicy{}, m_db);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSpinBox *raw = daysBox(&dialog, u"Raw samples:"_s);
    QSpinBox *minute = daysBox(&dialog, u"Per-minute rollups:"_s);
    QVERIFY(raw && minute);

    raw->setValue(120);  // longer than the 90 days of per-minute rollups
    QVERIFY(!dialog.isValid());
    QVERIFY2(dialog.problemText().contains(u"at least as long as raw telemetry"_s), qPrintable(dialog.problemText()));
    QVERIFY(!okButton(&dialog)->isEnabled());
    dialog.accept();  // e.g. Enter in a spin box: refused
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));

    minute->setValue(120);
    QVERIFY(dialog.isValid());
    QVERIFY(dialog.problemText().isEmpty());
    QVERIFY(okButton(&dialog)->isEnabled());

    // Raw forever needs the rollups forever too.
    foreverBox(&dialog, u"Raw samples:"_s)->setChecked(true);
    QVERIFY(!dialog.isValid());
    QVERIFY(dialog.problemText().contains(u"forever"_s));
    foreverBox(&dialog, u"Per-minute rollups:"_s)->setChecked(true);
    foreverBox(&dialog, u"Per-hour rollups:"_s)->setChecked(true);
    QVERIFY(dialog.isValid());
    QCOMPARE(dialog.policy(), (RetentionPolicy{0, 0, 0}));

    // A shorter limit is announced before OK.
    dialog.setPolicy(RetentionPolicy{3, 90, 730});
    QVERIFY(dialog.findChild<QLabel *>(u"retentionShortenNote"_s)->isVisible());
    dialog.setPolicy(RetentionPolicy{7, 90, 730});
    QVERIFY(!dialog.findChild<QLabel *>(u"retentionShortenNote"_s)->isVisible());
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void TestRetentionDialog::restoreDefaults()
{
    RetentionDialog dialog(RetentionPolicy{1, 2, 3}, m_db);
    dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::RestoreDefaults)->click();
    QCOMPARE(dialog.policy(), RetentionPolicy{});
}

void TestRetentionDialog::settingsRoundTrip()
{
    const QString ini = m_dir->filePath(u"settings.ini"_s);
    {
        QSettings settings(ini, QSettings::IniFormat);
        QCOMPARE(RetentionSettings(settings).load(), RetentionPolicy{});  // nothing saved: defaults
        RetentionSettings(settings).save(RetentionPolicy{30, 0, 5});              // saved normalized
    }
    QSettings settings(ini, QSettings::IniFormat);
    QCOMPARE(settings.value(SettingsKeys::kRetentionRawDays).toInt(), 30);
    QCOMPARE(settings.value(SettingsKeys::kRetentionMinuteDays).toInt(), 0);
    QCOMPARE(settings.value(SettingsKeys::kRetentionHourDays).toInt(), 0);
    QCOMPARE(RetentionSettings(settings).load(), (RetentionPolicy{30, 0, 0}));
    // Edited by hand: garbage falls back to the default, the rule is applied.
    settings.setValue(SettingsKeys::kRetentionRawDays, u"lots"_s);
    settings.setValue(SettingsKeys::kRetentionMinuteDays, 3);
    settings.setValue(SettingsKeys::kRetentionHourDays, 400);
    QCOMPARE(RetentionSettings(settings).load(), (RetentionPolicy{7, 7, 400}));
}

void TestRetentionDialog::mainWindowSavesAndPrunes()
{
    fill({0.5, 3, 10, 100});
    QSettings settings(m_dir->filePath(u"settings.ini"_s), QSettings::IniFormat);
    RetentionSettings(settings).save(RetentionPolicy{0, 0, 0});
    FleetSession session;
    session.setRetention(RetentionSettings(settings).load());  // as FleetDeckGui does at start
    QVERIFY(session.open(m_db).ok());
    MainWindow window(MainWindow::Services{&session, nullptr, nullptr, &settings});
    window.resize(1000, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QAction *action = nullptr;
    for (QAction *menu : window.menuBar()->actions()) {
        if (menu->text().remove(u'&') != u"Settings"_s || !menu->menu())
            continue;
        for (QAction *a : menu->menu()->actions()) {
            if (a->text().remove(u'&').startsWith(u"Cache and Retention"_s))
                action = a;
        }
    }
    QVERIFY2(action, "Settings > Cache and Retention… is missing");

    QSignalSpy pruned(&session, &FleetSession::pruned);
    bool sawDialog = false;
    QTimer::singleShot(0, &window, [&] {
        auto *dialog = window.findChild<RetentionDialog *>();
        if (!dialog)
            return;
        sawDialog = true;
        QCOMPARE(dialog->policy(), (RetentionPolicy{0, 0, 0}));
        dialog->setPolicy(RetentionPolicy{7, 30, 365});
        QVERIFY(dialog->findChild<QLabel *>(u"retentionShortenNote"_s)->isVisible());
        okButton(dialog)->click();
    });
    action->trigger();  // modal: returns once the timer above pressed OK
    QVERIFY(sawDialog);

    QCOMPARE(RetentionSettings(settings).load(), (RetentionPolicy{7, 30, 365}));
    QCOMPARE(session.retention(), (RetentionPolicy{7, 30, 365}));
    QVERIFY(pruned.wait(5000));
    QCOMPARE(pruned.constFirst().constFirst().toLongLong(), 4);  // 10 and 100 days, 2 metrics each
    const CacheStatistics s = CacheStatistics::read(m_db);
    QCOMPARE(s.rawRows, 4);
    QCOMPARE(s.minuteRows, 6);  // 10 days kept
    QCOMPARE(s.hourRows, 8);    // 365 days: everything
    QTRY_VERIFY(window.fleetStatusBar()->currentMessage().contains(u"deleted"_s));
}

QTEST_MAIN(TestRetentionDialog)
#include "test_retention_dialog.moc"
