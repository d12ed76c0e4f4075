#pragma once

// A fleet for alert tests without a broker: a FleetState fed by hand and an AlertEngine
// consuming its batches on the test thread, publishing at once (flush()).

#include "core/alerts/alert_engine.h"
#include "core/domain/device_status.h"
#include "core/ingest/fleet_state.h"
#include "core/ingest/ingest_batch.h"

namespace fd::alerttest {

inline const QString kSource = QStringLiteral("plant");

class TestFleet
{
public:
    FleetState state;
    AlertEngine engine;
    qint64 nowMs = 1'764'000'000'000;

    TestFleet()
    {
        engine.attach(state);
        engine.setClock([this] { return nowMs; });
    }

    void status(const QString &id, bool online, const QString &site = QString(), const QString &model = QString(),
                const std::optional<QStringList> &tags = std::nullopt)
    {
        DeviceStatus s;
        s.deviceId = id;
        s.online = online;
        if (!site.isEmpty())
            s.site = site;
        if (!model.isEmpty())
            s.model = model;
        s.tags = tags;
        state.applyStatus(DeviceKey(kSource, id), s, nowMs);
    }

    // One telemetry sample of one metric, stamped tsMs (received now), through the engine.
    void sample(const QString &id, qint64 tsMs, const QString &metric, double value)
    {
        TelemetrySample s;
        s.source = kSource;
        s.path = id;
        s.deviceId = id;
        s.timestampMs = tsMs;
        s.metrics = {MetricValue(metric, value)};
        state.applyTelemetry(s, nowMs);
        IngestBatch batch;
        batch.source = kSource;
        batch.samples = {s};
        batch.state = &state;
        batch.receivedMs = nowMs;
        engine.consume(batch);
        engine.flush();
    }

    void tick()
    {
        engine.tickNow();
        engine.flush();
    }
};

} // namespace fd::alerttest
