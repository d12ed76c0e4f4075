// A look at Sparkplug B in the real window before the decoder is merged (not a test; build
// target sparkplug_ui_preview, run under Xvfb with /work/shared/tools/gui.sh): a private
// mosquitto as source "lyon", the main window on a temporary cache, and a fabricated fleet
// fed through FleetSession::devicesUpdated and the live telemetry buffers: two groups, three
// edge nodes with devices, three protocol v1 devices. Every second the values move; after
// --death-after seconds edge node plant-a/gw-2 dies (NDEATH: it and its devices go offline,
// STALE from then on), after --rebirth-after seconds it is born again.
//   sparkplug_ui_preview [--page inventory|telemetry] [--death-after S] [--rebirth-after S]
#include "core/ingest/fleet_session.h"
#include "core/operations/operations_store.h"
#include "core/telemetry/live_telemetry.h"
#include "models/device_inventory_model.h"
#include "tests/models/device_factory.h"
#include "tests/support/broker_fixture.h"
#include "ui/inventory_page.h"
#include "ui/main_window.h"
#include "ui/telemetry_page.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTimer>

#include <cmath>

using namespace fd;
using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption page(u"page"_s, u"inventory or telemetry"_s, u"page"_s, u"inventory"_s);
    const QCommandLineOption deathAfter(u"death-after"_s, u"seconds until plant-a/gw-2 dies"_s, u"s"_s, u"20"_s);
    const QCommandLineOption rebirthAfter(u"rebirth-after"_s, u"seconds until it is born again (0: never)"_s, u"s"_s,
                                          u"0"_s);
    parser.addOptions({page, deathAfter, rebirthAfter});
    parser.process(app);

    QTemporaryDir dir;
    test::BrokerFixture broker;
    QString error;
    if (!broker.start(&error)) {
        qCritical().noquote() << "mosquitto:" << error;
        return 1;
    }
    FleetSession::Options options;
    options.liveTelemetry = true;
    FleetSession session(options);
    if (!session.open(dir.filePath(u"cache.sqlite"_s)).ok())
        return 1;
    OperationsStore store;
    store.open(OperationsStore::pathForCache(dir.filePath(u"cache.sqlite"_s)));

    MainWindow::Services services;
    services.session = &session;
    services.operations = &store;
    MainWindow window(services);
    window.setGeometry(0, 0, 1400, 860);
    window.show();
    ConnectionProfile profile = broker.profile();
    profile.name = u"lyon"_s;
    session.connectSource(profile);

    const qint64 start = QDateTime::currentMSecsSinceEpoch();
    QList<Device> fleet;
    for (int i = 1; i <= 3; ++i) {
        Device d = test::makeDevice(i, start);
        d.source = u"lyon"_s;
        d.path = d.id;
        d.lastTelemetryMs = start;
        fleet.append(d);
    }
    for (const QString &path : {u"plant-a/gw-1"_s, u"plant-a/gw-1/pump"_s, u"plant-a/gw-1/valve"_s, u"plant-a/gw-1/mixer"_s,
                                u"plant-a/gw-2"_s, u"plant-a/gw-2/fan"_s, u"plant-a/gw-2/heater"_s, u"plant-b/gw-7"_s,
                                u"plant-b/gw-7/press"_s, u"plant-b/gw-7/conveyor"_s}) {
        Device d = test::makeSparkplugDevice(u"lyon"_s, path, start);
        d.sparkplug.bdSeq = path.startsWith(u"plant-b"_s) ? 12 : 3;
        d.sparkplug.births = path.startsWith(u"plant-a/gw-2"_s) ? 2 : 1;
        if (path.startsWith(u"plant-a/gw-2"_s)) {
            d.sparkplug.deaths = 1;
            d.sparkplug.lastDeathMs = start - 3600'000;
            d.sparkplug.lastRebirthCause = u"seq gap (expected 17, got 19)"_s;
            d.sparkplug.lastRebirthMs = start - 3500'000;
        }
        fleet.append(d);
    }
    const qint64 deathMs = start + parser.value(deathAfter).toLongLong() * 1000;
    const qint64 rebirthSeconds = parser.value(rebirthAfter).toLongLong();
    const qint64 rebirthMs = rebirthSeconds > 0 ? start + rebirthSeconds * 1000 : 0;
    bool dead = false;

    // Some history, so that charts have a line before the death.
    {
        QList<TelemetrySample> samples;
        for (qint64 t = start - 120'000; t < start; t += 1000)
            for (const Device &d : std::as_const(fleet)) {
                TelemetrySample s;
                s.source = d.source;
                s.path = d.path;
                s.deviceId = d.id;
                s.timestampMs = t;
                setMetric(s.metrics, u"temperature"_s, 21.5 + 2 * std::sin(double(t) / 20000.0 + d.path.size()));
                samples.append(s);
            }
        session.liveTelemetry()->append(samples);
        session.liveTelemetry()->publishChanges();
    }

    auto tick = [&] {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const bool dies = !dead && now >= deathMs && (rebirthMs == 0 || now < rebirthMs);
        const bool reborn = dead && rebirthMs > 0 && now >= rebirthMs;
        QList<Device> changed;
        QList<TelemetrySample> samples;
        for (Device &d : fleet) {
            const bool gw2 = d.path.startsWith(u"plant-a/gw-2"_s);
            if (gw2 && dies) {
                d = test::died(d, now);
                changed.append(d);
                continue;
            }
            if (gw2 && reborn) {
                d.online = true;
                d.staleSinceMs = 0;
                d.sparkplug.births += 1;
                d.sparkplug.bdSeq += 1;
                d.sparkplug.lastBirthMs = now;
            }
            if (gw2 && dead && !reborn)
                continue;
            const double temperature = 21.5 + 2 * std::sin(double(now) / 20000.0 + d.path.size())
                                       + QRandomGenerator::global()->bounded(0.3);
            setMetric(d.metrics, u"temperature"_s, temperature);
            d.lastSeenMs = now;
            d.lastTelemetryMs = now;
            d.messageCount += 1;
            changed.append(d);
            TelemetrySample s;
            s.source = d.source;
            s.path = d.path;
            s.deviceId = d.id;
            s.timestampMs = now;
            setMetric(s.metrics, u"temperature"_s, temperature);
            samples.append(s);
        }
        if (dies)
            dead = true;
        if (reborn)
            dead = false;
        session.liveTelemetry()->append(samples);
        session.liveTelemetry()->publishChanges();
        emit session.devicesUpdated(changed);
    };
    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, &app, tick);
    timer.start(1000);
    tick();

    window.inventoryPage()->setViewMode(InventoryPage::ViewMode::Tree);
    window.showPage(MainWindow::InventoryPageIndex);
    if (parser.value(page) == u"telemetry"_s) {
        QTimer::singleShot(1500, &window, [&] {
            window.chartDevices({DeviceKey(u"lyon"_s, u"plant-a/gw-1/pump"_s), DeviceKey(u"lyon"_s, u"plant-a/gw-2/fan"_s),
                                 DeviceKey(u"lyon"_s, u"plant-a/gw-2/heater"_s)},
                                u"temperature"_s);
            window.telemetryPage()->setWindowMs(2 * 60 * 1000);
        });
    }
    const int rc = app.exec();
    timer.stop();
    store.shutdown();
    session.shutdown();
    broker.stop();
    return rc;
}
