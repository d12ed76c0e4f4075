// First run and diagnostics samples, in the main window on a real FleetSession (temp cache,
// temp settings): the welcome with its two buttons, hidden once devices appear or a source
// connects; a one-off connection saves no profile; malformed messages published to a real
// mosquitto show up as samples with a safe preview; Reset Counters asks first, then clears.
#include "core/ingest/fleet_session.h"
#include "core/settings/profile_store.h"
#include "models/device_inventory_model.h"
#include "models/reject_sample_model.h"
#include "models/rejection_model.h"
#include "tests/support/broker_fixture.h"
#include "tests/support/fake_secret_store.h"
#include "tests/ui/fake_plaintext_prompt.h"
#include "ui/connection_dialog.h"
#include "ui/connections_dialog.h"
#include "ui/diagnostics_page.h"
#include "ui/first_run_page.h"
#include "ui/main_window.h"
#include "ui/theme_controller.h"
#include "ui/page_sidebar.h"
#include "ui/reject_samples_dialog.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QTest>

using namespace fd;

namespace {

QLineEdit *field(QWidget *dialog, const QString &labelText)
{
    for (QLabel *label : dialog->findChildren<QLabel *>()) {
        if (label->text().remove(QLatin1Char('&')) == labelText)
            return qobject_cast<QLineEdit *>(label->buddy());
    }
    return nullptr;
}

QStringList menuTexts(QMainWindow *window, const QString &menu)
{
    QStringList out;
    for (QAction *top : window->menuBar()->actions()) {
        if (top->text().remove(QLatin1Char('&')) != menu || !top->menu())
            continue;
        for (QAction *a : top->menu()->actions())
            out << a->text().remove(QLatin1Char('&'));
    }
    return out;
}

const QByteArray kMarkup("<b>x</b>\x00\xff", 10);

// Publishes payload with mosquitto_pub (bytes from stdin, so NUL and 0xff pass as they are).
bool publish(const test::BrokerFixture &broker, const QByteArray &topic, const QByteArray &payload)
{
    QProcess pub;
    pub.start(QStringLiteral("mosquitto_pub"),
              {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(broker.port()),
               QStringLiteral("-q"), QStringLiteral("1"), QStringLiteral("-t"), QString::fromUtf8(topic),
               QStringLiteral("-s")});
    if (!pub.waitForStarted(5000))
        return false;
    pub.write(payload);
    pub.closeWriteChannel();
    return pub.waitForFinished(10000) && pub.exitCode() == 0;
}

} // namespace

class TestFirstRun : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void welcomeUntilDevicesAppear();
    void welcomeGoesWhenASourceConnects();
    void oneOffConnectionSavesNoProfile();
    void menusNameWhatTheReadmeSays();
    void failingConnectionShowsItsWholeError();
    void diagnosticsSamplesFromARealBroker();
    void badgeFitsThreeDigits();
    void sampleModelIsAValidModel();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<ProfileStore> m_profiles;
    test::FakeSecretStore m_secrets;
    test::FakePlaintextPrompt m_prompt;
    std::unique_ptr<FleetSession> m_session;
    std::unique_ptr<ThemeController> m_theme;  // View > Theme exists, as in the application
    std::unique_ptr<MainWindow> m_window;

    void openWindow()
    {
        m_session = std::make_unique<FleetSession>();
        const Database::OpenResult opened = m_session->open(m_dir->filePath(QStringLiteral("cache.sqlite")));
        QVERIFY2(opened.ok(), qPrintable(opened.message));
        MainWindow::Services services;
        services.session = m_session.get();
        services.profiles = m_profiles.get();
        services.secrets = &m_secrets;
        services.settings = m_settings.get();
        services.plaintextPrompt = &m_prompt;
        m_theme = std::make_unique<ThemeController>(m_settings.get(), false);
        services.theme = m_theme.get();
        m_window = std::make_unique<MainWindow>(services);
        m_window->resize(1280, 720);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }
};

void TestFirstRun::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<QSettings>(m_dir->filePath(QStringLiteral("fresh.ini")), QSettings::IniFormat);
    m_profiles = std::make_unique<ProfileStore>(*m_settings);
    openWindow();
}

void TestFirstRun::cleanup()
{
    m_window.reset();
    if (m_session)
        m_session->shutdown();
    m_session.reset();
    m_profiles.reset();
    m_settings.reset();
    m_dir.reset();
}

void TestFirstRun::welcomeUntilDevicesAppear()
{
    FirstRunPage *page = m_window->firstRunPage();
    QVERIFY(page->isWelcomeShown());
    QVERIFY(page->welcome()->isVisible());
    QVERIFY(page->connectButton()->isVisible());
    QVERIFY(page->demoButton()->isVisible());
    QCOMPARE(page->connectButton()->text().remove(QLatin1Char('&')), QStringLiteral("Connect to a Broker…"));
    QCOMPARE(page->demoButton()->text().remove(QLatin1Char('&')), QStringLiteral("Try the Demo Fleet"));
    QDir().mkpath(QStringLiteral(FLEETDECK_BIN_DIR "/../screenshots"));
    QVERIFY(m_window->grab().save(QStringLiteral(FLEETDECK_BIN_DIR "/../screenshots/ui-first-run.png")));

    // "Try the Demo Fleet" asks the composition root (which starts mosquitto + the simulator).
    QSignalSpy demo(m_window.get(), &MainWindow::demoRequested);
    page->demoButton()->click();
    QCOMPARE(demo.size(), 1);
    m_window->tryDemoAction()->trigger();
    QCOMPARE(demo.size(), 2);
    m_window->setDemoState(true, false);
    QVERIFY(!page->demoButton()->isEnabled());
    QVERIFY(!m_window->tryDemoAction()->isEnabled());
    m_window->setDemoState(false, false);
    QVERIFY(page->demoButton()->isEnabled());

    // "Connect to a Broker…" opens the connection dialog.
    page->connectButton()->click();
    auto *dialog = m_window->findChild<ConnectionDialog *>(QStringLiteral("ConnectDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    dialog->reject();

    // A device appears (the inventory's own update path): the inventory is shown.
    Device d;
    d.source = QStringLiteral("plant-a");
    d.id = d.path = QStringLiteral("dev-1");
    d.online = true;
    m_window->inventoryModel()->applyUpdates({d});
    QTRY_VERIFY(!page->isWelcomeShown());
    QVERIFY(!page->welcome()->isVisible());
}

void TestFirstRun::welcomeGoesWhenASourceConnects()
{
    FirstRunPage *page = m_window->firstRunPage();
    QVERIFY(page->isWelcomeShown());
    ConnectionProfile nowhere;
    nowhere.broker = *BrokerUrl::parse(QStringLiteral("mqtt://127.0.0.1:1"));  // refused: keeps retrying
    m_window->connectWithSecrets(nowhere, {});
    QTRY_VERIFY(!page->isWelcomeShown());
    // Given up and still no device: the welcome again.
    m_window->disconnectSource(FleetSession::sourceNameFor(nowhere));
    QTRY_VERIFY_WITH_TIMEOUT(page->isWelcomeShown(), 10000);
}

void TestFirstRun::oneOffConnectionSavesNoProfile()
{
    test::BrokerFixture broker;
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    QString error;
    QVERIFY2(broker.start(&error), qPrintable(error));

    QDialog *dialog = m_window->showConnectDialog();
    QVERIFY(dialog);
    QLineEdit *name = field(dialog, QStringLiteral("Name"));
    QVERIFY(name);
    QVERIFY(name->text().isEmpty());
    QVERIFY(name->placeholderText().startsWith(QStringLiteral("Optional")));
    field(dialog, QStringLiteral("Broker URL"))->setText(broker.url());
    auto *connect = dialog->findChild<QPushButton *>(QStringLiteral("connect"));
    QVERIFY(connect);
    connect->click();
    QTRY_VERIFY(!dialog->isVisible());

    const QString source = QStringLiteral("127.0.0.1:%1").arg(broker.port());
    QTRY_COMPARE_WITH_TIMEOUT(m_session->sourceState(source), ConnectionState::Connected, 10000);
    QVERIFY(m_profiles->names().isEmpty());           // nothing saved
    QVERIFY(m_window->rememberedConnections().isEmpty());  // nor reconnected next time
    QVERIFY(!m_settings->allKeys().join(QLatin1Char(' ')).contains(QStringLiteral("profiles/")));
    QVERIFY(m_secrets.values.isEmpty());
    QVERIFY(!m_window->firstRunPage()->isWelcomeShown());

    // With a name it is saved as a profile.
    dialog = m_window->showConnectDialog();
    field(dialog, QStringLiteral("Name"))->setText(QStringLiteral("Lab"));
    field(dialog, QStringLiteral("Broker URL"))->setText(broker.url());
    dialog->findChild<QPushButton *>(QStringLiteral("connect"))->click();
    QTRY_VERIFY(!dialog->isVisible());
    QCOMPARE(m_profiles->names(), QStringList{QStringLiteral("Lab")});
    QTRY_COMPARE_WITH_TIMEOUT(m_session->sourceState(QStringLiteral("Lab")), ConnectionState::Connected, 10000);
}

void TestFirstRun::menusNameWhatTheReadmeSays()
{
    const QStringList file = menuTexts(m_window.get(), QStringLiteral("File"));
    for (const QString &item : {QStringLiteral("Connect to Broker…"), QStringLiteral("Connections…"),
                                QStringLiteral("Try Demo Fleet")})
        QVERIFY2(file.contains(item), qPrintable(file.join(QStringLiteral(" | "))));
    // README.md uses these names (a renamed menu item must be renamed there too).
    QFile readme(QStringLiteral(FLEETDECK_SOURCE_DIR "/README.md"));
    if (!readme.open(QIODevice::ReadOnly))
        QSKIP("README.md is not beside the sources");
    const QString text = QString::fromUtf8(readme.readAll());
    for (const QString &item : {QStringLiteral("File > Connect to Broker…"), QStringLiteral("File > Connections…"),
                                QStringLiteral("File > Try Demo Fleet"), QStringLiteral("Show Samples…"),
                                QStringLiteral("Reset Counters…")})
        QVERIFY2(text.contains(item), qPrintable(item));
    // Every "Menu > Item" the README names is an item of that menu, spelled as the menu
    // spells it (ellipsis included).
    QString flat = text;
    flat.replace(QRegularExpression(QStringLiteral("\\n\\s*")), QStringLiteral(" "));
    const QRegularExpression mention(QStringLiteral("\\b(File|View|Device|Settings|Help) > "));
    int checked = 0;
    for (auto it = mention.globalMatch(flat); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        const QString rest = flat.mid(m.capturedEnd(), 60);
        const QStringList items = menuTexts(m_window.get(), m.captured(1));
        const bool named = std::any_of(items.cbegin(), items.cend(), [&rest](const QString &item) {
            return !item.isEmpty() && rest.startsWith(item);
        });
        QVERIFY2(named, qPrintable(m.captured(1) + QStringLiteral(" > ") + rest + QStringLiteral("  (menu: ")
                                   + items.join(QStringLiteral(" | ")) + QLatin1Char(')')));
        ++checked;
    }
    QVERIFY(checked >= 10);
}

void TestFirstRun::failingConnectionShowsItsWholeError()
{
    ConnectionProfile p;
    p.name = QStringLiteral("nowhere");
    p.broker = *BrokerUrl::parse(QStringLiteral("mqtt://127.0.0.1:1"));  // refused: retried with backoff
    QString error;
    QVERIFY2(m_profiles->save(p, &error), qPrintable(error));
    m_window->showConnectionDialog();
    ConnectionsDialog *dialog = m_window->connectionsDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->selectConnection(QStringLiteral("nowhere")));
    QVERIFY(dialog->problemText().isEmpty());
    dialog->connectButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(m_session->sourceState(QStringLiteral("nowhere")), ConnectionState::Reconnecting, 10000);
    // The transport's whole reason, when the next attempt is due, and what can be done.
    QTRY_VERIFY(dialog->problemText().contains(m_session->sourceDetail(QStringLiteral("nowhere"))));
    QVERIFY2(dialog->problemText().contains(QStringLiteral("Next attempt at")), qPrintable(dialog->problemText()));
    QCOMPARE(dialog->connectButton()->text().remove(QLatin1Char('&')), QStringLiteral("Retry Now"));
    QVERIFY(dialog->connectButton()->isEnabled());
    QCOMPARE(dialog->disconnectButton()->text().remove(QLatin1Char('&')), QStringLiteral("Stop Retrying"));
    QVERIFY(dialog->disconnectButton()->isEnabled());
    dialog->disconnectButton()->click();  // Stop Retrying
    QTRY_COMPARE(m_session->sourceState(QStringLiteral("nowhere")), ConnectionState::Disconnected);
    QTRY_COMPARE(dialog->disconnectButton()->text().remove(QLatin1Char('&')), QStringLiteral("Disconnect"));
    QVERIFY(!dialog->problemText().isEmpty());  // the last error stays readable
    dialog->close();
}

void TestFirstRun::diagnosticsSamplesFromARealBroker()
{
    test::BrokerFixture broker;
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    if (QStandardPaths::findExecutable(QStringLiteral("mosquitto_pub")).isEmpty())
        QSKIP("mosquitto_pub is not installed");
    QString error;
    QVERIFY2(broker.start(&error), qPrintable(error));
    ConnectionProfile profile = broker.profile();
    profile.name = QStringLiteral("lab");
    m_window->connectWithSecrets(profile, {});
    QTRY_COMPARE_WITH_TIMEOUT(m_session->sourceState(QStringLiteral("lab")), ConnectionState::Connected, 10000);

    // Seven malformed telemetry messages of one reason, the last one markup and binary.
    for (int i = 0; i < 6; ++i)
        QVERIFY(publish(broker, "fleetdeck/v1/dev-7/telemetry", "garbage " + QByteArray::number(i)));
    QVERIFY(publish(broker, "fleetdeck/v1/dev-7/telemetry", kMarkup));
    RejectionModel *rejections = m_window->rejectionModel();
    QAbstractItemModelTester tester(rejections, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_COMPARE_WITH_TIMEOUT(rejections->totals()[std::size_t(RejectReason::BadJson)], 7u, 10000);
    QTRY_COMPARE(rejections->recentRejects().samples(RejectReason::BadJson).size(), RecentRejects::kPerReason);

    // Double-click the Bad JSON count: the samples of that reason, newest first.
    m_window->showPage(MainWindow::DiagnosticsPageIndex);
    DiagnosticsPage *page = m_window->diagnosticsPage();
    QTableView *table = page->table();
    const int column = RejectionModel::FirstReasonColumn + int(RejectReason::BadJson);
    const QModelIndex cell = table->model()->index(0, column);
    QVERIFY(cell.isValid());
    table->scrollTo(cell);
    const QRect rect = table->visualRect(cell);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());  // a view needs the press first
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    RejectSamplesDialog *dialog = page->samplesDialog();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QAbstractItemModelTester sampleTester(dialog->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(dialog->model()->rowCount(), RecentRejects::kPerReason);
    const QModelIndex newest = dialog->model()->index(0, RejectSampleModel::TopicColumn);
    QCOMPARE(newest.data().toString(), QStringLiteral("fleetdeck/v1/dev-7/telemetry"));
    QCOMPARE(dialog->model()->index(0, RejectSampleModel::DeviceColumn).data().toString(), QStringLiteral("dev-7"));
    QCOMPARE(dialog->model()->index(0, RejectSampleModel::ConnectionColumn).data().toString(), QStringLiteral("lab"));
    QCOMPARE(dialog->model()->index(0, RejectSampleModel::SizeColumn).data().toString(), QStringLiteral("10 bytes"));
    // The markup is shown as the characters it is, the other bytes escaped: plain text only.
    QCOMPARE(dialog->preview()->toPlainText(), QStringLiteral("<b>x</b>\\x00\\xff"));
    QCOMPARE(dialog->model()->index(RecentRejects::kPerReason - 1, 0).data(RejectSampleModel::PreviewRole).toString(),
             QStringLiteral("garbage 2"));  // the two oldest went
    dialog->resize(1000, 600);
    QVERIFY(dialog->grab().save(QStringLiteral(FLEETDECK_BIN_DIR "/../screenshots/ui-reject-samples.png")));

    // Reset Counters asks; Cancel keeps everything.
    QMessageBox *box = page->confirmReset();
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!box->isVisible() || box->result() != 0);
    QCOMPARE(rejections->totals()[std::size_t(RejectReason::BadJson)], 7u);
    // Reset: every counter and sample goes, here and in the session.
    QSignalSpy stats(m_session.get(), &FleetSession::statsUpdated);
    box = page->confirmReset();
    QPushButton *reset = box->findChild<QPushButton *>(QStringLiteral("confirmReset"));
    QVERIFY(reset);
    reset->click();
    QCOMPARE(rejections->rowCount(), 0);
    QCOMPARE(rejections->total(), 0u);
    QVERIFY(rejections->recentRejects().isEmpty());
    QTRY_VERIFY(!stats.isEmpty());
    const IngestStats after = stats.constLast().first().value<IngestStats>();
    QCOMPARE(after.rejected, 0u);
    QVERIFY(after.recentRejects.isEmpty());
    QTRY_COMPARE(dialog->model()->rowCount(), 0);
    QVERIFY(!dialog->emptyText().isEmpty());
    // Counting goes on after the reset.
    QVERIFY(publish(broker, "fleetdeck/v1/dev-7/telemetry", "again"));
    QTRY_COMPARE_WITH_TIMEOUT(rejections->total(), 1u, 10000);
}

void TestFirstRun::badgeFitsThreeDigits()
{
    QCOMPARE(DiagnosticsPage::badgeText(0), QString());
    QCOMPARE(DiagnosticsPage::badgeText(7), QStringLiteral("7"));
    QCOMPARE(DiagnosticsPage::badgeText(999), QStringLiteral("999"));
    QCOMPARE(DiagnosticsPage::badgeText(1000), QStringLiteral("999+"));
    QCOMPARE(DiagnosticsPage::badgeText(123456789), QStringLiteral("999+"));
    // In the sidebar, next to "Diagnostics" (looked at: ui-badge-999.png).
    auto *sidebar = m_window->findChild<PageSidebar *>();
    QVERIFY(sidebar);
    sidebar->setBadge(MainWindow::DiagnosticsPageIndex, DiagnosticsPage::badgeText(5000));
    QVERIFY(sidebar->grab().save(QStringLiteral(FLEETDECK_BIN_DIR "/../screenshots/ui-badge-999.png")));
}

void TestFirstRun::sampleModelIsAValidModel()
{
    RejectSampleModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    RejectSample s;
    s.reason = RejectReason::Oversize;
    s.source = QStringLiteral("plant-a");
    s.topic = "fleetdeck/v1/<h1>big</h1>/telemetry";
    s.payloadBytes = 300000;
    s.preview = QByteArray(RejectSample::kPreviewBytes, '\x01');
    s.receivedMs = 1700000000000;
    model.setSamples({s, s});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(RejectSampleModel::ColumnCount));
    QCOMPARE(model.index(0, RejectSampleModel::DeviceColumn).data().toString(), QStringLiteral("—"));
    // Device-provided text in a tooltip is escaped, never markup.
    QVERIFY(model.index(0, RejectSampleModel::TopicColumn).data(Qt::ToolTipRole).toString().contains(
        QStringLiteral("&lt;h1&gt;")));
    QVERIFY(model.index(0, 0).data(RejectSampleModel::PreviewRole).toString().startsWith(QStringLiteral("0000  01 01")));
    model.setSamples({});
    QCOMPARE(model.rowCount(), 0);

    // RejectionModel::clear() as a reset.
    RejectionModel rejections;
    QAbstractItemModelTester rejectionTester(&rejections, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Device d;
    d.source = QStringLiteral("plant-a");
    d.id = d.path = QStringLiteral("dev-1");
    d.rejects[std::size_t(RejectReason::BadJson)] = 3;
    rejections.resetDevices({d});
    QCOMPARE(rejections.rowCount(), 1);
    QSignalSpy samplesChanged(&rejections, &RejectionModel::recentRejectsChanged);
    rejections.clear();
    QCOMPARE(rejections.rowCount(), 0);
    QCOMPARE(samplesChanged.size(), 1);
    d.rejects = {};
    rejections.applyDevices({d});  // the reset's zeros bring no row back
    QCOMPARE(rejections.rowCount(), 0);
}

QTEST_MAIN(TestFirstRun)
#include "test_first_run.moc"
