// fleetdeck-alertbench: the cost of alert rule evaluation per telemetry sample on the ingest
// thread (docs/performance.md, "alerts"): AlertEvaluator, as AlertEngine runs it, over a fleet
// of --devices devices on 50 sites and 10 models with --rules rules of mixed scopes (all
// devices, a source, a site, a model, one device) and kinds (above, below, outside,
// occurrences, rate, stuck, no data, offline), fed 4-metric samples at 1 Hz per device with
// simulator-like values, some of which trip the rules; ticks, transitions and rule states are
// taken at the engine's intervals of sample time. Prints one JSON object.
#include "core/alerts/alert_evaluator.h"
#include "core/domain/device_status.h"
#include "core/ingest/fleet_state.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cmath>
#include <random>

using namespace fd;

namespace {

const QString kSource = QStringLiteral("bench");

QList<AlertRule> makeRules(int count, int devices, std::mt19937_64 &rng)
{
    QList<AlertRule> rules;
    for (int i = 0; i < count; ++i) {
        AlertRule r;
        r.id = i + 1;
        r.name = QStringLiteral("rule-%1").arg(i + 1);
        r.severity = kAllAlertSeverities[size_t(i % 5)];
        // Scopes of an operator's rule set: a few for the whole fleet or a source, most for a
        // site, a model or one device (2 % all, 1 % a source, 30 % a site, 20 % a model,
        // 47 % one device).
        const int s = i % 100;
        if (s < 2)
            r.scope = AlertScope::all();
        else if (s < 3)
            r.scope = AlertScope::of(AlertScope::Kind::Source, kSource);
        else if (s < 33)
            r.scope = AlertScope::of(AlertScope::Kind::Site, QStringLiteral("site-%1").arg(rng() % 50));
        else if (s < 53)
            r.scope = AlertScope::of(AlertScope::Kind::Model, QStringLiteral("model-%1").arg(rng() % 10));
        else
            r.scope = AlertScope::of(AlertScope::Kind::Device, QStringLiteral("dev-%1").arg(rng() % devices));
        // Kinds on the metrics they suit, thresholds near the edge of the values' range.
        switch (i % 10) {
        case 0: r.metric = u"temperature"_qs; r.kind = AlertRuleKind::Above; r.threshold = 26; r.clearThreshold = 24; r.forMs = 5000; break;
        case 1: r.metric = u"temperature"_qs; r.kind = AlertRuleKind::Outside; r.low = 12; r.high = 27; r.forMs = 3000; break;
        case 2: r.metric = u"temperature"_qs; r.kind = AlertRuleKind::Rate; r.threshold = 1.2; break;
        case 3: r.metric = u"temperature"_qs; r.kind = AlertRuleKind::Occurrences; r.threshold = 25.5; r.count = 3; r.windowMs = 60000; break;
        case 4: r.metric = u"humidity"_qs; r.kind = AlertRuleKind::Stuck; r.forMs = 30000; break;
        case 5: r.metric = u"humidity"_qs; r.kind = AlertRuleKind::Below; r.threshold = 20; r.forMs = 10000; break;
        case 6: r.metric = u"battery"_qs; r.kind = AlertRuleKind::Below; r.threshold = 15; r.clearThreshold = 20; r.forMs = 10000; break;
        case 7: r.metric = u"rssi"_qs; r.kind = AlertRuleKind::Below; r.threshold = -95; r.forMs = 30000; break;
        case 8: r.metric = u"temperature"_qs; r.kind = AlertRuleKind::NoData; r.forMs = 60000; break;
        case 9: r.kind = AlertRuleKind::Offline; r.forMs = 60000; break;
        }
        Q_ASSERT(r.validate().isEmpty());
        rules.append(r);
    }
    return rules;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption devicesOption(QStringLiteral("devices"), QStringLiteral("Devices."), QStringLiteral("N"),
                                           QStringLiteral("10000"));
    const QCommandLineOption rulesOption(QStringLiteral("rules"), QStringLiteral("Rules."), QStringLiteral("N"),
                                         QStringLiteral("1000"));
    const QCommandLineOption samplesOption(QStringLiteral("samples"), QStringLiteral("Samples to evaluate."),
                                           QStringLiteral("N"), QStringLiteral("2000000"));
    parser.addOptions({devicesOption, rulesOption, samplesOption});
    parser.process(app);
    const int devices = qMax(1, parser.value(devicesOption).toInt());
    const int ruleCount = qMax(0, parser.value(rulesOption).toInt());
    const qint64 samples = qMax<qint64>(1, parser.value(samplesOption).toLongLong());

    std::mt19937_64 rng(42);
    FleetState state;
    const qint64 t0 = 1'764'000'000'000;
    for (int d = 0; d < devices; ++d) {
        DeviceStatus st;
        st.deviceId = QStringLiteral("dev-%1").arg(d);
        st.online = true;
        st.site = QStringLiteral("site-%1").arg(d % 50);
        st.model = QStringLiteral("model-%1").arg(d % 10);
        state.applyStatus(DeviceKey(kSource, st.deviceId), st, t0);
    }
    AlertEvaluator evaluator;
    evaluator.setRules(makeRules(ruleCount, devices, rng));
    evaluator.setSourceState(kSource, true, t0);

    // Samples as the decoder makes them: interned metric names, the device's id string.
    const QStringList names{u"temperature"_qs, u"humidity"_qs, u"battery"_qs, u"rssi"_qs};
    std::vector<double> temperature(size_t(devices), 20.0);
    std::normal_distribution<double> noise(0.0, 0.4);
    const int batch = 1000;
    QList<TelemetrySample> pending;
    QList<int> indices;
    pending.reserve(batch);
    qint64 transitions = 0;
    qint64 evaluated = 0;
    qint64 elapsedNs = 0;
    QElapsedTimer timer;
    qint64 nextTick = t0 + 1000;
    qint64 nextStates = t0 + 2000;
    for (qint64 n = 0; n < samples; n += batch) {
        pending.clear();
        indices.clear();
        for (int i = 0; i < batch && n + i < samples; ++i) {
            const qint64 k = n + i;
            const int d = int(k % devices);
            const qint64 ts = t0 + (k / devices) * 1000;
            double &t = temperature[size_t(d)];
            t = std::clamp(t + 0.05 * (20.0 - t) + noise(rng), 10.0, 30.0);
            TelemetrySample s;
            s.source = kSource;
            s.deviceId = state.devices().at(d).id;
            s.path = state.devices().at(d).path;
            s.timestampMs = ts;
            s.metrics = {MetricValue(names[0], std::round(t * 10) / 10), MetricValue(names[1], 45.0 + double(k % 7) / 10.0),
                         MetricValue(names[2], 80.0 - double(k % 1000) / 100.0), MetricValue(names[3], -67.0 - double(k % 5))};
            pending.append(std::move(s));
            indices.append(d);  // as IngestBatch::deviceIndices
        }
        timer.start();
        for (qsizetype i = 0; i < pending.size(); ++i)
            evaluator.evaluate(pending.at(i), state, pending.at(i).timestampMs, indices.at(i));
        const qint64 nowMs = pending.last().timestampMs;
        if (nowMs >= nextTick) {  // the engine's once-a-second tick
            evaluator.tick(state, nowMs);
            nextTick = nowMs + 1000;
        }
        transitions += evaluator.takeTransitions().size();  // AlertEngine: every 200 ms
        if (nowMs >= nextStates) {  // AlertEngine: changed rule states every 2 s
            evaluator.takeDirtyStates();
            nextStates = nowMs + 2000;
        }
        elapsedNs += timer.nsecsElapsed();
        evaluated += pending.size();
    }
    QJsonObject o;
    o.insert(QStringLiteral("eval_ns_per_sample"), std::round(double(elapsedNs) / double(evaluated) * 10) / 10);
    o.insert(QStringLiteral("eval_ns_per_value"), std::round(double(elapsedNs) / double(evaluated * 4) * 10) / 10);
    o.insert(QStringLiteral("rules"), ruleCount);
    o.insert(QStringLiteral("devices"), devices);
    o.insert(QStringLiteral("samples"), double(evaluated));
    o.insert(QStringLiteral("transitions"), double(transitions));
    o.insert(QStringLiteral("device_slots"), evaluator.deviceSlots());
    QTextStream(stdout) << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
    return 0;
}
