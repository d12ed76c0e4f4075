// fleetdeck-inventorybench: the inventory at scale (default 100,000 devices; the runner
// also runs 1,000,000). Builds a cache with that many devices (not timed), then measures
// what the GUI does with it: cold load (cache -> InventoryStore -> DeviceInventoryModel ->
// sorted proxy; store_ms and model_ms split it), sort by every column, filter keystrokes,
// memory per device, the longest model update (tick) when --burst N new devices arrive at
// once, and the longest tick while --changes-per-second devices change (10 ticks a second,
// sorted by "last seen" so every changed row moves, with a text filter on: max_tick_ms).
// Prints one JSON object.
#include "core/domain/device_filter.h"
#include "core/storage/database.h"
#include "core/storage/inventory_store.h"
#include "core/storage/storage_writer.h"
#include "models/device_filter_proxy_model.h"
#include "models/device_inventory_model.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <malloc.h>

namespace {

qint64 rssKb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').constFirst().toLongLong();
    }
    return -1;
}

fd::Device makeDevice(int i, qint64 nowMs)
{
    static const char *const kSites[] = {"Lyon-Nord", "Lyon-Sud", "Paris-Est", "Nantes", "Lille", "Bordeaux",
                                         "Marseille", "Toulouse"};
    static const char *const kModels[] = {"TH-100", "TH-200", "GW-5", "AQ-3"};
    fd::Device d;
    d.id = QStringLiteral("dev-%1").arg(i + 1);
    d.name = QStringLiteral("Sensor %1").arg(i + 1);
    d.site = QString::fromLatin1(kSites[i % 8]);
    d.model = QString::fromLatin1(kModels[i % 4]);
    d.fwVersion = QStringLiteral("2.%1.%2").arg(i % 5).arg(i % 11);
    d.online = i % 3 != 0;
    d.lastSeenMs = nowMs - (i % 3600) * 1000;
    d.lastTelemetryMs = d.lastSeenMs;
    d.lastSeq = quint64(i % 10000);
    d.messageCount = quint64(i % 50000);
    d.metrics = {fd::MetricValue::ofDouble(QStringLiteral("temperature"), 15 + (i % 200) / 10.0),
                 fd::MetricValue::ofDouble(QStringLiteral("humidity"), 40 + (i % 300) / 10.0),
                 fd::MetricValue::ofDouble(QStringLiteral("battery"), double(i % 100)),
                 fd::MetricValue::ofDouble(QStringLiteral("rssi"), -40.0 - i % 50)};
    if (i % 97 == 0)
        d.rejects[0] = quint32(i % 7 + 1);
    return d;
}

double msSince(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Inventory benchmark: load, sort, filter, memory at scale."));
    p.addHelpOption();
    const QCommandLineOption dbOpt(QStringLiteral("db"), QStringLiteral("Cache file (created if missing)."),
                                   QStringLiteral("FILE"));
    const QCommandLineOption devicesOpt(QStringLiteral("devices"), QStringLiteral("Devices."), QStringLiteral("N"),
                                        QStringLiteral("100000"));
    const QCommandLineOption createOnlyOpt(QStringLiteral("create-only"),
                                           QStringLiteral("Only create the cache (for the startup benchmark)."));
    const QCommandLineOption burstOpt(QStringLiteral("burst"),
                                      QStringLiteral("New devices arriving in one update (GUI stall test)."),
                                      QStringLiteral("N"), QStringLiteral("10000"));
    const QCommandLineOption maxInsertsOpt(QStringLiteral("max-inserts-per-tick"),
                                           QStringLiteral("DeviceInventoryModel::setMaxInsertsPerTick (0: no limit)."),
                                           QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption maxChangesOpt(QStringLiteral("max-changes-per-tick"),
                                           QStringLiteral("DeviceInventoryModel::setMaxChangesPerTick (0: no limit)."),
                                           QStringLiteral("N"), QString::number(fd::DeviceInventoryModel().maxChangesPerTick()));
    const QCommandLineOption burstNewOnlyOpt(QStringLiteral("burst-new-only"),
                                             QStringLiteral("The burst has no changed devices, only new ones."));
    const QCommandLineOption changesOpt(QStringLiteral("changes-per-second"),
                                        QStringLiteral("Devices changing per second in the steady phase (10 ticks/s)."),
                                        QStringLiteral("N"), QStringLiteral("10000"));
    const QCommandLineOption changeSecondsOpt(QStringLiteral("change-seconds"),
                                              QStringLiteral("Length of the steady phase, in simulated seconds."),
                                              QStringLiteral("S"), QStringLiteral("3"));
    p.addOptions({dbOpt, devicesOpt, createOnlyOpt, burstOpt, maxInsertsOpt, maxChangesOpt, burstNewOnlyOpt, changesOpt,
                  changeSecondsOpt});
    p.process(app);
    QTextStream err(stderr);
    const QString path = p.value(dbOpt);
    const int devices = std::max(1, p.value(devicesOpt).toInt());
    if (path.isEmpty()) {
        err << "fleetdeck-inventorybench: --db FILE is required\n";
        return 2;
    }

    // --- setup (not timed): a cache holding `devices` devices ---
    QElapsedTimer setup;
    setup.start();
    {
        fd::Database probe;
        const bool exists = QFile::exists(path) && probe.open(path, true).ok()
                            && fd::InventoryStore(probe).loadDevices().size() == devices;
        probe.close();
        if (!exists) {
            for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
                QFile::remove(path + suffix);
            fd::StorageWriter writer;
            QString error;
            if (!writer.start(path, &error)) {
                err << "fleetdeck-inventorybench: " << error << '\n';
                return 3;
            }
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            fd::StorageBatch batch;
            batch.devices.reserve(devices);
            for (int i = 0; i < devices; ++i)
                batch.devices.append(makeDevice(i, now));
            writer.submit(std::move(batch));
            if (!writer.flush(600000)) {
                err << "fleetdeck-inventorybench: the cache was not written in time\n";
                return 3;
            }
            writer.stop();
        }
    }
    const double setupMs = msSince(setup);
    if (p.isSet(createOnlyOpt)) {
        QTextStream(stdout) << "{\"setup_ms\":" << setupMs << "}\n";
        return 0;
    }

    fd::DeviceInventoryModel model;
    fd::DeviceFilterProxyModel proxy;
    proxy.setInventoryModel(&model);
    malloc_trim(0);
    const qint64 rssBefore = rssKb();

    // --- cold load: open the cache, read every device, show it sorted by id ---
    QElapsedTimer t;
    t.start();
    double storeMs = 0;
    double modelMs = 0;
    {
        fd::Database db;
        const fd::Database::OpenResult opened = db.open(path, true);
        if (!opened.ok()) {
            err << "fleetdeck-inventorybench: " << opened.message << '\n';
            return 3;
        }
        QString error;
        const QList<fd::Device> loaded = fd::InventoryStore(db).loadDevices(&error);
        if (!error.isEmpty() || loaded.size() != devices) {
            err << "fleetdeck-inventorybench: loaded " << loaded.size() << " devices: " << error << '\n';
            return 3;
        }
        storeMs = msSince(t);
        model.resetDevices(loaded);
        modelMs = msSince(t) - storeMs;
        proxy.sort(fd::DeviceInventoryModel::IdColumn, Qt::AscendingOrder);
    }
    const double loadMs = msSince(t);
    malloc_trim(0);
    const qint64 rssAfter = rssKb();

    // --- sort by every column (both orders for the first, as a user clicking twice) ---
    QJsonObject sortMs;
    double sortMax = 0;
    for (int column = 0; column < fd::DeviceInventoryModel::ColumnCount; ++column) {
        t.restart();
        proxy.sort(column, Qt::DescendingOrder);
        const double ms = msSince(t);
        sortMs.insert(model.headerData(column, Qt::Horizontal).toString(), ms);
        sortMax = std::max(sortMax, ms);
    }

    // --- filter keystrokes: typing "dev-12" then erasing it ---
    const QString typed = QStringLiteral("sensor 12");
    QJsonArray filterMs;
    double filterMax = 0;
    QList<QString> steps;
    for (qsizetype n = 1; n <= typed.size(); ++n)
        steps.append(typed.left(n));
    for (qsizetype n = typed.size() - 1; n >= 0; --n)
        steps.append(typed.left(n));
    int lastRows = 0;
    for (const QString &text : std::as_const(steps)) {
        fd::DeviceFilter filter;
        filter.text = text;
        t.restart();
        proxy.setFilter(filter);
        lastRows = proxy.rowCount();
        const double ms = msSince(t);
        filterMs.append(ms);
        filterMax = std::max(filterMax, ms);
    }

    malloc_trim(0);
    const qint64 rssWithSearch = rssKb();  // + the proxy's search text (built by the first keystroke)

    // --- a burst of new devices in one update (plus as many changed ones), sorted by id as
    // the GUI starts: each tick is what the GUI thread does in one go ---
    const int burst = std::max(0, p.value(burstOpt).toInt());
    model.setMaxInsertsPerTick(p.value(maxInsertsOpt).toInt());
    model.setMaxChangesPerTick(p.value(maxChangesOpt).toInt());
    proxy.setFilter(fd::DeviceFilter());
    proxy.sort(fd::DeviceInventoryModel::IdColumn, Qt::AscendingOrder);
    QJsonArray tickMs;
    double tickMax = 0;
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QList<fd::Device> update;
        update.reserve(2 * burst);
        for (int i = 0; i < burst; ++i) {
            update.append(makeDevice(devices + i, now));
            if (p.isSet(burstNewOnlyOpt))
                continue;
            fd::Device changed = makeDevice(int((qint64(i) * 7919) % devices), now);
            changed.messageCount += 1;
            update.append(changed);
        }
        model.applyUpdates(update);
        while (model.hasPendingUpdates()) {
            t.restart();
            model.flushPendingUpdates();  // what one 100 ms tick does
            const double ms = msSince(t);
            tickMs.append(ms);
            tickMax = std::max(tickMax, ms);
        }
    }

    // --- steady change: N devices per second change (new values, "last seen" now), 10
    // ticks a second; sorted by last seen (every changed row moves), text filter on ---
    const int perTick = std::max(1, p.value(changesOpt).toInt() / 10);
    const int changeTicks = std::max(1, p.value(changeSecondsOpt).toInt() * 10);
    proxy.sort(fd::DeviceInventoryModel::LastSeenColumn, Qt::DescendingOrder);
    {
        fd::DeviceFilter filter;
        filter.text = QStringLiteral("1");
        proxy.setFilter(filter);
    }
    QJsonArray changeTickMs;
    double changeTickMax = 0;
    {
        qint64 now = QDateTime::currentMSecsSinceEpoch() + 60000;
        const int total = model.rowCount();
        for (int tick = 0; tick < changeTicks; ++tick) {
            QList<fd::Device> update;
            update.reserve(perTick);
            for (int i = 0; i < perTick; ++i) {
                const int row = int((qint64(tick) * perTick + i) * 7919 % total);
                fd::Device d = model.device(row);
                d.lastSeenMs = now + i;
                d.messageCount += 1;
                fd::setMetric(d.metrics, QStringLiteral("temperature"), 10 + (tick * 31 + i) % 300 / 10.0);
                update.append(std::move(d));
            }
            now += 100;
            t.restart();
            model.applyUpdates(update);
            model.flushPendingUpdates();  // what one 100 ms tick does
            const double ms = msSince(t);
            changeTickMs.append(ms);
            changeTickMax = std::max(changeTickMax, ms);
        }
    }

    QJsonObject o;
    o.insert(QStringLiteral("devices"), devices);
    o.insert(QStringLiteral("store_ms"), storeMs);
    o.insert(QStringLiteral("model_ms"), modelMs);
    o.insert(QStringLiteral("changes_per_second"), perTick * 10);
    o.insert(QStringLiteral("max_tick_ms"), changeTickMax);
    o.insert(QStringLiteral("change_tick_ms_by_tick"), changeTickMs);
    o.insert(QStringLiteral("bytes_per_device_with_search"), double(rssWithSearch - rssBefore) * 1024.0 / devices);
    o.insert(QStringLiteral("burst_devices"), burst);
    o.insert(QStringLiteral("burst_tick_ms"), tickMax);
    o.insert(QStringLiteral("burst_tick_ms_by_tick"), tickMs);
    o.insert(QStringLiteral("rss_after_burst_kb"), double(rssKb()));
    o.insert(QStringLiteral("setup_ms"), setupMs);
    o.insert(QStringLiteral("load_ms"), loadMs);
    o.insert(QStringLiteral("sort_ms"), sortMax);
    o.insert(QStringLiteral("sort_ms_by_column"), sortMs);
    o.insert(QStringLiteral("filter_ms"), filterMax);
    o.insert(QStringLiteral("filter_ms_by_keystroke"), filterMs);
    o.insert(QStringLiteral("rows_after_filter"), lastRows);
    o.insert(QStringLiteral("rss_before_kb"), double(rssBefore));
    o.insert(QStringLiteral("rss_after_kb"), double(rssAfter));
    o.insert(QStringLiteral("bytes_per_device"), double(rssAfter - rssBefore) * 1024.0 / devices);
    o.insert(QStringLiteral("sizeof_device"), int(sizeof(fd::Device)));
    QTextStream(stdout) << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
    return 0;
}
