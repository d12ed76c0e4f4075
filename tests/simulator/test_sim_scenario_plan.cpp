// ScenarioPlanner (which devices, reproducible from the seed, no overlaps) and
// ScenarioEffects (what a scenario does to a device's telemetry and connectivity over time).
#include "simulator/fleet_generator.h"
#include "simulator/scenario_effects.h"
#include "simulator/scenario_planner.h"
#include "simulator/scenario_spec_parser.h"
#include "simulator/simulated_device.h"

#include <QSet>

#include <algorithm>
#include <cmath>
#include <QTest>

using namespace fd;
using namespace fd::sim;
using namespace Qt::StringLiterals;

namespace fd::sim {
inline size_t qHash(ScenarioKind kind, size_t seed = 0) noexcept
{
    return ::qHash(int(kind), seed);
}
} // namespace fd::sim

namespace {

template<typename Pred>
qsizetype countIf(const QList<ScenarioAssignment> &list, Pred pred)
{
    return std::count_if(list.cbegin(), list.cend(), pred);
}

QList<ScenarioSpec> specs(const QString &text)
{
    QList<ScenarioSpec> out;
    QString error;
    if (!ScenarioSpecParser::parse(text, &out, &error))
        qFatal("bad spec in the test: %s", qPrintable(error));
    return out;
}

ScenarioPlan plan(const QString &text, quint64 seed, int count, int first = 0)
{
    ScenarioPlan p;
    QString error;
    if (!ScenarioPlanner::plan(specs(text), seed, first, count, &p, &error))
        qWarning().noquote() << error;
    return p;
}

// device id -> kinds
QMultiHash<QString, ScenarioKind> kinds(const ScenarioPlan &p)
{
    QMultiHash<QString, ScenarioKind> out;
    for (const ScenarioAssignment &a : p.assignments())
        out.insert(a.deviceId, a.spec.kind);
    return out;
}

QHash<QString, int> siteSizes(quint64 seed, int count)
{
    QHash<QString, int> sizes;
    for (const DeviceIdentity &d : FleetGenerator::generate(count, seed))
        ++sizes[d.site];
    return sizes;
}

MetricValues sampleAt(SimulatedDevice &device, ScenarioEffects &effects, qint64 ms)
{
    effects.beforeSample(device, ms);
    TelemetrySample s = device.nextSample(1000 + ms);
    effects.shape(s.metrics, ms);
    return s.metrics;
}

double metric(const MetricValues &values, const QString &name)
{
    const double *v = findMetric(values, name);
    return v ? *v : qQNaN();
}

// A TH-100 device of the fleet (has humidity and a battery).
DeviceIdentity batteryDevice(quint64 seed)
{
    for (const DeviceIdentity &d : FleetGenerator::generate(200, seed)) {
        if (d.model == u"TH-100" && !d.name.startsWith(u"Cold Room") && !d.name.startsWith(u"Reefer"))
            return d;
    }
    qFatal("no TH-100 in the fleet");
}

ScenarioEffects effectsFor(const DeviceIdentity &d, const QString &text)
{
    ScenarioAssignment a{d.index, d.id, d.site, 0, specs(text).first()};
    return ScenarioEffects({a}, 7);
}

} // namespace

class TestSimScenarioPlan : public QObject
{
    Q_OBJECT
private slots:
    void reproducibleFromTheSeed();
    void randomPicksNeverOverlap();
    void namedDevicesMayOverlap();
    void picksDevicesThatFit();
    void siteDownTakesASmallSiteWhole();
    void notEnoughDevices();
    void shardsPlanTheSameFleet();
    void demoSetOnFiftyDevices();
    void demoSetOnATinyFleet();
    void overheatingClimbsHoldsAndCools();
    void batteryDrainsThenIsSwapped();
    void stuckSensorRepeatsOneValue();
    void silentAndConnectivity();
    void untouchedMetricsStayAsWithoutScenarios();
};

void TestSimScenarioPlan::reproducibleFromTheSeed()
{
    const QString text = u"overheating:devices=3,silent:devices=2,stuck_sensor,site_down"_s;
    const ScenarioPlan a = plan(text, 42, 60);
    const ScenarioPlan b = plan(text, 42, 60);
    QCOMPARE(a.assignments(), b.assignments());
    QVERIFY(!a.isEmpty());
    const ScenarioPlan c = plan(text, 43, 60);
    QVERIFY(a.assignments() != c.assignments());  // another fleet, other picks
    // Sorted by device, then scenario.
    for (qsizetype i = 1; i < a.assignments().size(); ++i) {
        const ScenarioAssignment &p = a.assignments().at(i - 1);
        const ScenarioAssignment &n = a.assignments().at(i);
        QVERIFY(p.deviceIndex < n.deviceIndex || (p.deviceIndex == n.deviceIndex && p.scenario < n.scenario));
    }
    QCOMPARE(a.forDevice(a.assignments().first().deviceIndex).first(), a.assignments().first());
    QVERIFY(a.forDevice(-1).isEmpty());
}

void TestSimScenarioPlan::randomPicksNeverOverlap()
{
    for (quint64 seed : {1ull, 7ull, 42ull, 1234ull}) {
        const ScenarioPlan p = plan(u"overheating:devices=5,battery_drain:devices=5,silent:devices=5,flapping:devices=5,"
                                    u"stuck_sensor:devices=5,site_down"_s,
                                    seed, 40);
        const QMultiHash<QString, ScenarioKind> k = kinds(p);
        for (const QString &id : k.uniqueKeys())
            QVERIFY2(k.count(id) == 1, qPrintable(id));
        QCOMPARE(QSet<ScenarioKind>(k.cbegin(), k.cend()).size(), 6);
        QCOMPARE(k.size(), 25 + countIf(p.assignments(), [](const ScenarioAssignment &a) {
                               return a.spec.kind == ScenarioKind::SiteDown;
                           }));
    }
}

void TestSimScenarioPlan::namedDevicesMayOverlap()
{
    const ScenarioPlan p = plan(u"overheating:device=dev-00003,silent:device=dev-00003,flapping:devices=19"_s, 5, 20);
    const QMultiHash<QString, ScenarioKind> k = kinds(p);
    QCOMPARE(k.count(u"dev-00003"_s), 2);  // asked by id: both
    QCOMPARE(k.size(), 21);                // the 19 others flap
    QCOMPARE(p.forDevice(2).size(), 2);
    QCOMPARE(p.forDevice(2).at(0).spec.kind, ScenarioKind::Overheating);  // scenario order
    // A device outside the fleet is an error, naming it and the fleet.
    ScenarioPlan none;
    QString error;
    QVERIFY(!ScenarioPlanner::plan(specs(u"silent:device=dev-00021"_s), 5, 0, 20, &none, &error));
    QVERIFY2(error.contains(u"dev-00021 is not in the fleet (dev-00001 .. dev-00020)"_s), qPrintable(error));
    QVERIFY2(error.contains(u"scenario 1 (silent:device=dev-00021;start=0)"_s), qPrintable(error));
}

void TestSimScenarioPlan::picksDevicesThatFit()
{
    const QList<DeviceIdentity> fleet = FleetGenerator::generate(100, 3);
    auto model = [&](const QString &id) { return fleet.at(id.mid(4).toInt() - 1).model; };
    auto site = [&](const QString &id) { return fleet.at(id.mid(4).toInt() - 1).site; };
    const ScenarioPlan p = plan(u"battery_drain:devices=40,stuck_sensor:devices=3;metric=cpu_load,silent:devices=4;site=Lyon-Nord"_s,
                                3, 100);
    for (const ScenarioAssignment &a : p.assignments()) {
        if (a.spec.kind == ScenarioKind::BatteryDrain)
            QVERIFY2(model(a.deviceId) != u"GW-5", qPrintable(a.deviceId));
        if (a.spec.kind == ScenarioKind::StuckSensor)
            QCOMPARE(model(a.deviceId), u"GW-5"_s);
        if (a.spec.kind == ScenarioKind::Silent)
            QCOMPARE(site(a.deviceId), u"Lyon-Nord"_s);
    }
    QCOMPARE(p.assignments().size(), 47);
    // Named: a gateway has no battery.
    QString gateway;
    for (const DeviceIdentity &d : fleet) {
        if (d.model == u"GW-5") {
            gateway = d.id;
            break;
        }
    }
    ScenarioPlan none;
    QString error;
    QVERIFY(!ScenarioPlanner::plan(specs(u"battery_drain:device="_s + gateway), 3, 0, 100, &none, &error));
    QVERIFY2(error.contains(gateway + u" (model GW-5) does not report battery"_s), qPrintable(error));
}

void TestSimScenarioPlan::siteDownTakesASmallSiteWhole()
{
    const int count = 50;
    const QHash<QString, int> sizes = siteSizes(42, count);
    const ScenarioPlan p = plan(u"site_down:start=60;duration=60"_s, 42, count);
    QVERIFY(!p.isEmpty());
    const QString site = p.assignments().first().site;
    QCOMPARE(p.assignments().size(), sizes.value(site));  // the whole site
    QVERIFY(sizes.value(site) >= ScenarioPlanner::kMinSiteDownDevices);
    for (auto it = sizes.cbegin(); it != sizes.cend(); ++it) {  // the smallest with 3 or more
        if (it.value() >= ScenarioPlanner::kMinSiteDownDevices)
            QVERIFY2(it.value() >= sizes.value(site), qPrintable(it.key()));
    }
    for (const ScenarioAssignment &a : p.assignments()) {
        QCOMPARE(a.site, site);
        QCOMPARE(a.toJson().value(u"site"_s).toString(), site);
        QCOMPARE(a.toJson().value(u"start_s"_s).toDouble(), 60.0);
        QCOMPARE(a.toJson().value(u"end_s"_s).toDouble(), 120.0);
    }
    // Random picks keep off the dropped site; two site_down scenarios take two sites.
    const ScenarioPlan q = plan(u"silent:devices=40,site_down,site_down"_s, 42, count);
    QSet<QString> downSites;
    for (const ScenarioAssignment &a : q.assignments()) {
        if (a.spec.kind == ScenarioKind::SiteDown)
            downSites.insert(a.site);
    }
    QCOMPARE(downSites.size(), 2);
    for (const ScenarioAssignment &a : q.assignments()) {
        if (a.spec.kind == ScenarioKind::Silent)
            QVERIFY(!downSites.contains(a.site));
    }
    // A named site is taken whatever its size; a site without devices is an error.
    const ScenarioPlan named = plan(u"site_down:site=Rotterdam-Port"_s, 42, count);
    QCOMPARE(named.assignments().size(), sizes.value(u"Rotterdam-Port"_s));
}

void TestSimScenarioPlan::notEnoughDevices()
{
    ScenarioPlan p;
    QString error;
    QVERIFY(!ScenarioPlanner::plan(specs(u"overheating:devices=4,silent:devices=3"_s), 1, 0, 5, &p, &error));
    QVERIFY2(error.contains(u"scenario 2 (silent:devices=3;start=0): needs 3 device(s) that no other scenario has; "
                            u"the fleet of 5 has 1"_s),
             qPrintable(error));
    // optional: what fits, and a note.
    QVERIFY(ScenarioPlanner::plan(specs(u"overheating:devices=4,silent:devices=3;optional=1"_s), 1, 0, 5, &p, &error));
    QCOMPARE(p.assignments().size(), 5);
    QCOMPARE(p.notes().size(), 1);
    QVERIFY2(p.notes().first().contains(u"the fleet of 5 has 1"_s), qPrintable(p.notes().first()));
    // site_down on a fleet without a site of 3.
    QVERIFY(!ScenarioPlanner::plan(specs(u"site_down"_s), 1, 0, 2, &p, &error));
    QVERIFY2(error.contains(u"no site of the fleet has 3 or more devices"_s), qPrintable(error));
    QVERIFY(ScenarioPlanner::plan(specs(u"site_down:optional=1"_s), 1, 0, 2, &p, &error));
    QVERIFY(p.isEmpty());
    QVERIFY2(p.notes().value(0).contains(u"skipped"_s), qPrintable(p.notes().value(0)));
    const QHash<QString, int> sizes = siteSizes(1, 2);
    QString empty;
    for (const QString &site : FleetGenerator::sites()) {
        if (!sizes.contains(site))
            empty = site;
    }
    QVERIFY(!ScenarioPlanner::plan(specs(u"site_down:site="_s + empty), 1, 0, 2, &p, &error));
    QVERIFY2(error.contains(u"no device of the fleet is at "_s + empty), qPrintable(error));
}

void TestSimScenarioPlan::shardsPlanTheSameFleet()
{
    // A shard plans its parent's whole fleet ([first, first + count)) and keeps its slice:
    // the assignments of any device do not depend on how the fleet is split.
    const QString text = u"overheating:devices=6,flapping:devices=4,site_down"_s;
    const ScenarioPlan whole = plan(text, 9, 90, 10);
    for (const ScenarioAssignment &a : whole.assignments()) {
        QVERIFY(a.deviceIndex >= 10 && a.deviceIndex < 100);
        QCOMPARE(a.deviceId, FleetGenerator::deviceId(a.deviceIndex));
    }
    const ScenarioPlan again = plan(text, 9, 90, 10);
    for (int index = 10; index < 100; ++index)
        QCOMPARE(again.forDevice(index), whole.forDevice(index));
}

void TestSimScenarioPlan::demoSetOnFiftyDevices()
{
    const int count = 50;
    const ScenarioPlan p = plan(u"demo"_s, 42, count);
    QVERIFY2(p.notes().isEmpty(), qPrintable(p.notes().join(u'\n')));
    QHash<ScenarioKind, QStringList> byKind;
    QHash<ScenarioKind, double> start;
    for (const ScenarioAssignment &a : p.assignments()) {
        byKind[a.spec.kind] << a.deviceId;
        start[a.spec.kind] = a.spec.startS;
    }
    QCOMPARE(byKind.value(ScenarioKind::Overheating).size(), 2);
    QCOMPARE(byKind.value(ScenarioKind::BatteryDrain).size(), 2);
    QCOMPARE(byKind.value(ScenarioKind::StuckSensor).size(), 1);
    QCOMPARE(byKind.value(ScenarioKind::Flapping).size(), 1);
    QCOMPARE(byKind.value(ScenarioKind::Silent).size(), 1);
    QVERIFY(byKind.value(ScenarioKind::SiteDown).size() >= 3);
    QCOMPARE(start.value(ScenarioKind::Flapping), 10.0);
    QCOMPARE(start.value(ScenarioKind::StuckSensor), 15.0);
    QCOMPARE(start.value(ScenarioKind::Overheating), 20.0);
    QCOMPARE(start.value(ScenarioKind::Silent), 25.0);
    QCOMPARE(start.value(ScenarioKind::BatteryDrain), 30.0);
    QCOMPARE(start.value(ScenarioKind::SiteDown), 60.0);
    // Everything starts within the first two minutes; one device, one scenario.
    const QMultiHash<QString, ScenarioKind> k = kinds(p);
    for (const QString &id : k.uniqueKeys())
        QCOMPARE(k.count(id), 1);
    // The same for every seed that leaves a site of 3 or more (almost all of them).
    for (quint64 seed = 1; seed <= 20; ++seed) {
        const ScenarioPlan q = plan(u"demo"_s, seed, count);
        QCOMPARE(countIf(q.assignments(), [](const ScenarioAssignment &a) { return a.spec.kind != ScenarioKind::SiteDown; }),
                 7);
    }
}

void TestSimScenarioPlan::demoSetOnATinyFleet()
{
    // Demo mode with a handful of devices: what fits, notes for the rest, never an error.
    ScenarioPlan p;
    QString error;
    QVERIFY2(ScenarioPlanner::plan(ScenarioSpecParser::namedSet(u"demo"_s), 42, 0, 3, &p, &error), qPrintable(error));
    QVERIFY(!p.notes().isEmpty());
    QVERIFY(p.assignments().size() <= 3 + 3);
    QVERIFY2(ScenarioPlanner::plan(ScenarioSpecParser::namedSet(u"demo"_s), 42, 0, 1, &p, &error), qPrintable(error));
}

void TestSimScenarioPlan::overheatingClimbsHoldsAndCools()
{
    const DeviceIdentity d = batteryDevice(11);
    SimulatedDevice device(d, 11);
    ScenarioEffects effects = effectsFor(d, u"overheating:device=%1;start=20;duration=180;peak=55;ramp=30"_s.arg(d.id));
    const ScenarioSpec &spec = effects.assignments().first().spec;
    QCOMPARE(ScenarioEffects::heatWeight(spec, 19999), 0.0);
    QCOMPARE(ScenarioEffects::heatWeight(spec, 35000), 0.5);
    QCOMPARE(ScenarioEffects::heatWeight(spec, 50000), 1.0);
    QCOMPARE(ScenarioEffects::heatWeight(spec, 199999), 1.0);
    QCOMPARE(ScenarioEffects::heatWeight(spec, 215000), 0.5);
    QCOMPARE(ScenarioEffects::heatWeight(spec, 230000), 0.0);
    double before = 0;
    double previous = -100;
    for (qint64 ms = 0; ms <= 260000; ms += 1000) {
        const double t = metric(sampleAt(device, effects, ms), u"temperature"_s);
        if (ms < 20000) {
            QVERIFY2(t < 35, qPrintable(QString::number(t)));
            before = t;
        } else if (ms <= 50000) {
            QVERIFY2(t >= previous - 1.5, qPrintable(u"%1 ms: %2 after %3"_s.arg(ms).arg(t).arg(previous)));  // climbs
        }
        if (ms >= 50000 && ms < 200000)
            QVERIFY2(t >= 54 && t <= 56, qPrintable(u"%1 ms: %2"_s.arg(ms).arg(t)));  // holds at the peak
        if (ms >= 48000 && ms < 200000)
            QVERIFY2(t > 50, qPrintable(u"%1 ms: %2"_s.arg(ms).arg(t)));
        if (ms >= 230000)
            QVERIFY2(t < 35 && std::abs(t - before) < 10, qPrintable(u"%1 ms: %2"_s.arg(ms).arg(t)));  // cooled down
        previous = t;
    }
    // The rounding of the model stays: one decimal.
    const double t = metric(sampleAt(device, effects, 100000), u"temperature"_s);
    QCOMPARE(std::round(t * 10) / 10, t);
}

void TestSimScenarioPlan::batteryDrainsThenIsSwapped()
{
    const DeviceIdentity d = batteryDevice(12);
    SimulatedDevice device(d, 12);
    ScenarioEffects effects = effectsFor(d, u"battery_drain:device=%1;start=30;duration=240;level=5;ramp=30"_s.arg(d.id));
    const double initial = metric(sampleAt(device, effects, 0), u"battery"_s);
    QVERIFY(initial > 50);
    for (qint64 ms = 1000; ms < 330000; ms += 1000) {
        const double b = metric(sampleAt(device, effects, ms), u"battery"_s);
        if (ms < 30000)
            QVERIFY(b > 50);
        if (ms >= 59000 && ms < 270000)
            QVERIFY2(b < 10, qPrintable(u"%1 ms: %2"_s.arg(ms).arg(b)));  // below 10 % within 29 s
        if (ms >= 60000 && ms < 270000)
            QVERIFY2(b >= 4.5 - 1e-9 && b <= 5.5 + 1e-9, qPrintable(u"%1 ms: %2"_s.arg(ms).arg(b)));  // at the level
        if (ms >= 270000)
            QVERIFY2(b > 94 && b <= 95, qPrintable(u"%1 ms: %2"_s.arg(ms).arg(b)));  // swapped, drains on slowly
    }
}

void TestSimScenarioPlan::stuckSensorRepeatsOneValue()
{
    const DeviceIdentity d = batteryDevice(13);
    SimulatedDevice device(d, 13);
    ScenarioEffects effects = effectsFor(d, u"stuck_sensor:device=%1;start=5;duration=60"_s.arg(d.id));
    QSet<double> during;
    QSet<double> temperatures;
    QSet<double> after;
    for (qint64 ms = 0; ms < 100000; ms += 500) {
        const MetricValues m = sampleAt(device, effects, ms);
        if (ms >= 5000 && ms < 65000) {
            during.insert(metric(m, u"humidity"_s));
            temperatures.insert(metric(m, u"temperature"_s));
        } else if (ms >= 65000) {
            after.insert(metric(m, u"humidity"_s));
        }
    }
    QCOMPARE(during.size(), 1);            // exactly one value for the whole minute
    QVERIFY(temperatures.size() > 5);      // the other metrics move on
    QVERIFY(after.size() > 5);             // and the sensor recovers
}

void TestSimScenarioPlan::silentAndConnectivity()
{
    const DeviceIdentity d = batteryDevice(14);
    ScenarioEffects silent = effectsFor(d, u"silent:device=%1;start=25;duration=120"_s.arg(d.id));
    QVERIFY(!silent.affectsConnectivity());
    QVERIFY(!silent.isSilent(24999));
    QVERIFY(silent.isSilent(25000));
    QVERIFY(silent.isSilent(144999));
    QVERIFY(!silent.isSilent(145000));
    QVERIFY(silent.wantsOnline(100000));  // connected all along

    ScenarioEffects flapping = effectsFor(d, u"flapping:device=%1;start=10;duration=60;period=15;down=5"_s.arg(d.id));
    QVERIFY(flapping.affectsConnectivity());
    QVERIFY(flapping.wantsOnline(9999));
    QVERIFY(!flapping.wantsOnline(10000));
    QVERIFY(!flapping.wantsOnline(14999));
    QVERIFY(flapping.wantsOnline(15000));
    QVERIFY(!flapping.wantsOnline(25000));
    QVERIFY(flapping.wantsOnline(30000));
    QVERIFY(!flapping.wantsOnline(55000));
    QVERIFY(flapping.wantsOnline(70000));  // over: online for good
    QVERIFY(!flapping.isSilent(12000));

    ScenarioEffects late = effectsFor(d, u"silent:device=%1;start=60;duration=60"_s.arg(d.id));
    ScenarioAssignment site{d.index, d.id, d.site, 1, specs(u"site_down:start=60;duration=60"_s).first()};
    ScenarioEffects siteDown({site}, 1);
    QVERIFY(siteDown.wantsOnline(59999));
    QVERIFY(!siteDown.wantsOnline(60000));
    QVERIFY(!siteDown.wantsOnline(119999));
    QVERIFY(siteDown.wantsOnline(120000));

    // What started and ended, once each; the manifest lists what started.
    QCOMPARE(siteDown.advance(1000).size(), 0);
    QList<ScenarioEffects::Change> c = siteDown.advance(60500);
    QCOMPARE(c.size(), 1);
    QVERIFY(c.first().started);
    QCOMPARE(siteDown.advance(61000).size(), 0);
    c = siteDown.advance(130000);
    QCOMPARE(c.size(), 1);
    QVERIFY(!c.first().started);
    QCOMPARE(siteDown.startedBy(59000).size(), 0);
    QCOMPARE(siteDown.startedBy(60000).size(), 1);
    // Skipping both at once reports both.
    QCOMPARE(late.advance(200000).size(), 2);
}

void TestSimScenarioPlan::untouchedMetricsStayAsWithoutScenarios()
{
    // Scenarios draw their noise elsewhere: everything they do not touch is the same value,
    // sample for sample, as without them (so --seed keeps its promise for the rest).
    const DeviceIdentity d = batteryDevice(15);
    SimulatedDevice plain(d, 15);
    SimulatedDevice hot(d, 15);
    ScenarioEffects effects = effectsFor(d, u"overheating:device=%1;start=1;ramp=2"_s.arg(d.id));
    for (qint64 ms = 0; ms < 20000; ms += 500) {
        const MetricValues a = plain.nextSample(ms).metrics;
        const MetricValues b = sampleAt(hot, effects, ms);
        QCOMPARE(a.size(), b.size());
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (a.at(i).name != u"temperature")
                QCOMPARE(b.at(i), a.at(i));
        }
    }
}

QTEST_GUILESS_MAIN(TestSimScenarioPlan)
#include "test_sim_scenario_plan.moc"
