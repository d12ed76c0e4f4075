// Settings > Ingest Limits: the dialog, IngestSettings in a temporary settings file, and the
// main window applying lower limits to a live session on a real broker: devices past the
// limit stay out of the inventory and show in Diagnostics as "Device limit" rejects, metrics
// past a device's limit as "Metric limit".
#include "core/ingest/fleet_session.h"
#include "core/protocol/payload_codec.h"
#include "core/protocol/topic_scheme.h"
#include "core/settings/ingest_settings.h"
#include "core/settings/settings_keys.h"
#include "core/transport/mqtt_client.h"
#include "models/device_inventory_model.h"
#include "models/rejection_model.h"
#include "ui/diagnostics_page.h"
#include "ui/ingest_limits_dialog.h"
#include "ui/main_window.h"

#include "tests/support/broker_fixture.h"

#include <QAction>
#include <QDateTime>
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

QAction *settingsAction(QMainWindow &window, const QString &text)
{
    for (QAction *menu : window.menuBar()->actions()) {
        if (menu->text().remove(u'&') != u"Settings"_s || !menu->menu())
            continue;
        for (QAction *a : menu->menu()->actions()) {
            if (a->text().remove(u'&').startsWith(text))
                return a;
        }
    }
    return nullptr;
}

} // namespace

class TestIngestLimits : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void dialogRoundTrip();
    void settingsRoundTrip();
    void mainWindowAppliesLimitsToLiveIngest();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestIngestLimits::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestIngestLimits::dialogRoundTrip()
{
    IngestLimits limits;
    limits.maxDevicesPerSource = 2500;
    limits.maxMetricsPerDevice = 40;
    IngestLimitsDialog dialog(limits);
    auto *devices = dialog.findChild<QSpinBox *>(u"maxDevicesPerSource"_s);
    auto *metrics = dialog.findChild<QSpinBox *>(u"maxMetricsPerDevice"_s);
    QVERIFY(devices && metrics);
    QCOMPARE(devices->value(), 2500);
    QCOMPARE(metrics->value(), 40);
    QCOMPARE(dialog.limits(), limits);
    QCOMPARE(metrics->maximum(), IngestLimits::kMaxMetricsPerDeviceBound);
    QCOMPARE(devices->minimum(), 1);
    metrics->setValue(7);
    QCOMPARE(dialog.limits().maxMetricsPerDevice, 7);
    dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::RestoreDefaults)->click();
    QCOMPARE(dialog.limits(), IngestLimits{});
    QCOMPARE(dialog.limits().maxDevicesPerSource, 1'000'000);
    QCOMPARE(dialog.limits().maxMetricsPerDevice, 1'000);
}

void TestIngestLimits::settingsRoundTrip()
{
    const QString ini = m_dir->filePath(u"settings.ini"_s);
    {
        QSettings settings(ini, QSettings::IniFormat);
        QCOMPARE(IngestSettings(settings).load(), IngestLimits{});  // nothing saved: defaults
        IngestLimits limits;
        limits.maxDevicesPerSource = 50;
        limits.maxMetricsPerDevice = 10;
        IngestSettings(settings).save(limits);
    }
    QSettings settings(ini, QSettings::IniFormat);
    QCOMPARE(settings.value(SettingsKeys::kIngestMaxDevicesPerSource).toInt(), 50);
    QCOMPARE(IngestSettings(settings).load().maxMetricsPerDevice, 10);
    // Edited by hand: garbage and values out of range fall back to the defaults.
    settings.setValue(SettingsKeys::kIngestMaxDevicesPerSource, u"lots"_s);
    settings.setValue(SettingsKeys::kIngestMaxMetricsPerDevice, 70000);
    QCOMPARE(IngestSettings(settings).load(), IngestLimits{});
    IngestLimits invalid;
    invalid.maxMetricsPerDevice = 0;
    IngestSettings(settings).save(invalid);  // not saved
    QCOMPARE(settings.value(SettingsKeys::kIngestMaxMetricsPerDevice).toInt(), 70000);
}

void TestIngestLimits::mainWindowAppliesLimitsToLiveIngest()
{
    test::BrokerFixture broker;
    QString error;
    QVERIFY2(broker.start(&error), qPrintable(error));
    QSettings settings(m_dir->filePath(u"settings.ini"_s), QSettings::IniFormat);
    FleetSession session;
    session.setLimits(IngestSettings(settings).load());  // as FleetDeckGui does at start
    QVERIFY(session.open(m_dir->filePath(u"cache.sqlite"_s)).ok());
    MainWindow window(MainWindow::Services{&session, nullptr, nullptr, &settings});
    window.resize(1200, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QAction *action = settingsAction(window, u"Ingest Limits"_s);
    QVERIFY2(action, "Settings > Ingest Limits… is missing");
    bool sawDialog = false;
    QTimer::singleShot(0, &window, [&] {
        auto *dialog = window.findChild<IngestLimitsDialog *>();
        if (!dialog)
            return;
        sawDialog = true;
        dialog->findChild<QSpinBox *>(u"maxDevicesPerSource"_s)->setValue(2);
        dialog->findChild<QSpinBox *>(u"maxMetricsPerDevice"_s)->setValue(2);
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
    });
    action->trigger();  // modal: returns once the timer above pressed OK
    QVERIFY(sawDialog);
    QCOMPARE(session.limits().maxDevicesPerSource, 2);
    QCOMPARE(IngestSettings(settings).load().maxMetricsPerDevice, 2);
    QVERIFY(window.diagnosticsPage()->findChild<QLabel *>(u"ingestLimits"_s)->text().contains(u"2 devices per connection"_s));

    session.connectSource(broker.profile());
    QTRY_COMPARE_WITH_TIMEOUT(session.connectionState(), ConnectionState::Connected, 10000);
    MqttClient publisher;
    ConnectionProfile profile = broker.profile();
    profile.clientId = u"test-ingest-limits-publisher"_s;
    publisher.connectToBroker(profile);
    QTRY_COMPARE_WITH_TIMEOUT(publisher.state(), ConnectionState::Connected, 10000);
    const TopicScheme topics;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int d = 0; d < 4; ++d) {
        TelemetrySample sample;
        sample.deviceId = u"dev-%1"_s.arg(d);
        sample.timestampMs = now;
        sample.seq = 1;
        sample.metrics = {{u"a"_s, 1.0}, {u"b"_s, 2.0}, {u"c"_s, 3.0}};  // one more than allowed
        QVERIFY(publisher.publish(topics.telemetryTopic(sample.deviceId), PayloadCodec::encodeTelemetry(sample), 1));
    }
    publisher.disconnectFromBroker(5000);

    // Two devices, each with two metrics; two devices refused. Diagnostics says why.
    RejectionModel *rejections = window.rejectionModel();
    QTRY_COMPARE_WITH_TIMEOUT(window.inventoryModel()->rowCount(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(rejections->totals()[size_t(RejectReason::DeviceLimit)], 2u, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(rejections->totals()[size_t(RejectReason::MetricLimit)], 2u, 10000);
    for (int row = 0; row < 2; ++row)
        QCOMPARE(window.inventoryModel()->device(row).metrics.size(), 2);
    QStringList notInInventory;
    for (int row = 0; row < rejections->rowCount(); ++row) {
        if (!rejections->index(row, 0).data(RejectionModel::InInventoryRole).toBool())
            notInInventory.append(rejections->index(row, 0).data().toString());
    }
    notInInventory.sort();
    QCOMPARE(notInInventory, (QStringList{u"dev-2 (not in the inventory)"_s, u"dev-3 (not in the inventory)"_s}));
    const int deviceLimitColumn = RejectionModel::FirstReasonColumn + int(RejectReason::DeviceLimit);
    QCOMPARE(rejections->headerData(deviceLimitColumn, Qt::Horizontal).toString(), u"Device limit"_s);
    session.shutdown();
}

QTEST_MAIN(TestIngestLimits)
#include "test_ingest_limits.moc"
