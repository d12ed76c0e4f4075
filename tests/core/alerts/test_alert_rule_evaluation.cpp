// Rule evaluation tables: one rule, one series, samples with their own timestamps; what
// each sample does (fires, updates, clears or nothing).
#include "core/alerts/alert_evaluator.h"
#include "core/alerts/series_rule_evaluator.h"
#include "core/domain/device_status.h"
#include "core/ingest/fleet_state.h"

#include <random>

#include <QTest>

#include <cmath>

using namespace fd;
using Outcome = SeriesRuleEvaluator::Outcome;


namespace {

struct Step
{
    qint64 ts;
    double value;
    Outcome expected;
};

AlertRule above(double threshold, qint64 forMs, double clearBelow = AlertRule::kNone, qint64 clearForMs = 0)
{
    AlertRule r;
    r.id = 1;
    r.name = QStringLiteral("Overheat");
    r.metric = QStringLiteral("temperature");
    r.kind = AlertRuleKind::Above;
    r.threshold = threshold;
    r.forMs = forMs;
    r.clearThreshold = clearBelow;
    r.clearForMs = clearForMs;
    return r;
}

QString name(Outcome o)
{
    switch (o) {
    case Outcome::None: return QStringLiteral("none");
    case Outcome::Raise: return QStringLiteral("raise");
    case Outcome::Update: return QStringLiteral("update");
    case Outcome::Clear: return QStringLiteral("clear");
    }
    return {};
}

} // namespace

class TestAlertRuleEvaluation : public QObject
{
    Q_OBJECT
private slots:
    void table_data();
    void table();
    void noDataAndOffline();
    void stateRoundTrip();
    void validation_data();
    void validation();
    void fleetEvaluatorMatchesOneRuleAtATime();
};

void TestAlertRuleEvaluation::table_data()
{
    QTest::addColumn<AlertRule>("rule");
    QTest::addColumn<QList<qint64>>("ts");
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<QStringList>("expected");
    using L = QList<qint64>;
    using V = QList<double>;
    const auto e = [](std::initializer_list<const char *> names) {
        QStringList out;
        for (const char *n : names)
            out << QString::fromLatin1(n);
        return out;
    };

    QTest::newRow("above fires after for_s, not before")
        << above(40, 10000) << L{0, 5000, 9999, 10000} << V{41, 45, 42, 41} << e({"none", "none", "none", "raise"});
    QTest::newRow("for_s 0 fires at once")
        << above(40, 0) << L{0, 1000} << V{41, 42} << e({"raise", "none"});
    QTest::newRow("a dip restarts the hold")
        << above(40, 10000) << L{0, 5000, 6000, 15000, 16000} << V{41, 39, 41, 41, 41}
        << e({"none", "none", "none", "none", "raise"});
    QTest::newRow("hysteresis: clears below clear_below only")
        << above(40, 0, 35) << L{0, 1000, 2000, 3000} << V{41, 38, 36, 34.9} << e({"raise", "none", "none", "clear"});
    QTest::newRow("no clear_below: clears at the threshold")
        << above(40, 0) << L{0, 1000} << V{41, 40} << e({"raise", "clear"});
    QTest::newRow("clear_for_s holds the clear")
        << above(40, 0, 35, 5000) << L{0, 1000, 3000, 4000, 9000, 10000} << V{41, 30, 36, 30, 30, 30}
        << e({"raise", "none", "none", "none", "clear", "none"});
    QTest::newRow("update at most every 10 s while firing")
        << above(40, 0) << L{0, 5000, 10000, 15000, 20000} << V{41, 42, 43, 44, 45}
        << e({"raise", "none", "update", "none", "update"});
    QTest::newRow("flapping: every crossing counts")
        << above(40, 0) << L{0, 1000, 2000, 3000} << V{41, 39, 41, 39} << e({"raise", "clear", "raise", "clear"});
    QTest::newRow("late sample never clears by itself")
        << above(40, 0) << L{10000, 5000, 11000} << V{41, 20, 41} << e({"raise", "none", "none"});
    QTest::newRow("late sample never opens by itself")
        << above(40, 0) << L{10000, 5000} << V{20, 50} << e({"none", "none"});
    QTest::newRow("equal timestamps evaluate without time passing")
        << above(40, 10000) << L{0, 0, 0} << V{41, 42, 43} << e({"none", "none", "none"});
    QTest::newRow("equal timestamp can clear")
        << above(40, 0) << L{0, 0} << V{41, 30} << e({"raise", "clear"});
    QTest::newRow("clock set back by an hour: series starts over")
        << above(40, 10000) << L{3600000, 3605000, 0, 5000, 10000} << V{41, 41, 41, 41, 41}
        << e({"none", "none", "none", "none", "raise"});
    QTest::newRow("a gap longer than 10 min restarts the hold")
        << above(40, 60000) << L{0, 30000, 30000 + 11 * 60000, 30000 + 12 * 60000} << V{41, 41, 41, 41}
        << e({"none", "none", "none", "raise"});
    QTest::newRow("NaN values are ignored") << above(40, 0) << L{0, 1000} << V{std::nan(""), 41}
                                            << e({"none", "raise"});

    AlertRule below;
    below.id = 2;
    below.name = QStringLiteral("Battery low");
    below.metric = QStringLiteral("battery");
    below.kind = AlertRuleKind::Below;
    below.threshold = 15;
    below.clearThreshold = 20;
    QTest::newRow("below with clear_above") << below << L{0, 1000, 2000, 3000} << V{14, 18, 21, 10}
                                            << e({"raise", "none", "clear", "raise"});

    AlertRule outside;
    outside.id = 3;
    outside.name = QStringLiteral("Humidity");
    outside.metric = QStringLiteral("humidity");
    outside.kind = AlertRuleKind::Outside;
    outside.low = 20;
    outside.high = 80;
    outside.clearLow = 25;
    outside.clearHigh = 75;
    QTest::newRow("outside and back inside the clear range")
        << outside << L{0, 1000, 2000, 3000, 4000} << V{50, 85, 78, 74, 10} << e({"none", "raise", "none", "clear", "raise"});

    AlertRule occ;
    occ.id = 4;
    occ.name = QStringLiteral("Spikes");
    occ.metric = QStringLiteral("temperature");
    occ.kind = AlertRuleKind::Occurrences;
    occ.threshold = 40;
    occ.count = 3;
    occ.windowMs = 60000;
    QTest::newRow("3 occurrences within a minute")
        << occ << L{0, 10000, 20000, 70000, 80000} << V{41, 20, 41, 20, 41} << e({"none", "none", "none", "none", "none"});
    QTest::newRow("3 occurrences fire, a quiet window clears")
        << occ << L{0, 10000, 20000, 25000, 90000} << V{41, 41, 41, 20, 20} << e({"none", "none", "raise", "none", "clear"});

    AlertRule rate;
    rate.id = 5;
    rate.name = QStringLiteral("Fast rise");
    rate.metric = QStringLiteral("temperature");
    rate.kind = AlertRuleKind::Rate;
    rate.threshold = 1.0;  // per second
    rate.direction = AlertRule::Direction::Rise;
    QTest::newRow("rate of rise") << rate << L{0, 1000, 2000, 3000, 4000} << V{20, 20.5, 23, 24.5, 24.5}
                                  << e({"none", "none", "raise", "none", "clear"});
    rate.direction = AlertRule::Direction::Rise;
    QTest::newRow("a fall is not a rise") << rate << L{0, 1000} << V{20, 10} << e({"none", "none"});

    AlertRule stuck;
    stuck.id = 6;
    stuck.name = QStringLiteral("Stuck");
    stuck.metric = QStringLiteral("humidity");
    stuck.kind = AlertRuleKind::Stuck;
    stuck.forMs = 30000;
    QTest::newRow("stuck for 30 s in 5+ samples, then moves")
        << stuck << L{0, 5000, 10000, 15000, 20000, 25000, 30000, 40000, 50000} << V{50, 50, 50, 50, 50, 50, 50, 50, 51}
        << e({"none", "none", "none", "none", "none", "none", "raise", "update", "clear"});
    QTest::newRow("two equal readings a minute apart are not stuck")
        << stuck << L{0, 60000, 120000} << V{50, 50, 51} << e({"none", "none", "none"});
}

void TestAlertRuleEvaluation::table()
{
    QFETCH(AlertRule, rule);
    QFETCH(QList<qint64>, ts);
    QFETCH(QList<double>, values);
    QFETCH(QStringList, expected);
    QVERIFY2(rule.validate().isEmpty(), qPrintable(rule.validate()));
    QCOMPARE(ts.size(), values.size());
    SingleRuleSeries series;
    QStringList got;
    for (qsizetype i = 0; i < ts.size(); ++i)
        got << name(series.feed(rule, ts[i], values[i], ts[i]));
    QCOMPARE(got, expected);
}

void TestAlertRuleEvaluation::noDataAndOffline()
{
    AlertRule noData;
    noData.id = 7;
    noData.name = QStringLiteral("Silent");
    noData.kind = AlertRuleKind::NoData;
    noData.forMs = 60000;
    SingleRuleSeries s;
    // Never heard: nothing to miss.
    QCOMPARE(SeriesRuleEvaluator::noDataTick(noData, s.state, s.track.lastReceiveMs, 1000000), Outcome::None);
    QCOMPARE(s.feed(noData, 0, 1, 1000), Outcome::None);
    QCOMPARE(SeriesRuleEvaluator::noDataTick(noData, s.state, s.track.lastReceiveMs, 60999), Outcome::None);
    QCOMPARE(SeriesRuleEvaluator::noDataTick(noData, s.state, s.track.lastReceiveMs, 61000), Outcome::Raise);
    QCOMPARE(SeriesRuleEvaluator::noDataTick(noData, s.state, s.track.lastReceiveMs, 62000), Outcome::None);
    QCOMPARE(s.feed(noData, 0, 1, 70000), Outcome::Clear);

    AlertRule offline;
    offline.id = 8;
    offline.name = QStringLiteral("Offline");
    offline.kind = AlertRuleKind::Offline;
    offline.forMs = 30000;
    RuleSeriesState o;
    QCOMPARE(SeriesRuleEvaluator::offlineTick(offline, o, false, 0, 1000), Outcome::None);
    QCOMPARE(SeriesRuleEvaluator::offlineTick(offline, o, true, 1000, 2000), Outcome::None);
    QVERIFY(o.isPending());
    QCOMPARE(SeriesRuleEvaluator::offlineTick(offline, o, true, 1000, 31000), Outcome::Raise);
    QCOMPARE(SeriesRuleEvaluator::offlineTick(offline, o, true, 1000, 32000), Outcome::None);
    QCOMPARE(SeriesRuleEvaluator::offlineTick(offline, o, false, 0, 33000), Outcome::Clear);
    // Back before for_s: nothing.
    QCOMPARE(SeriesRuleEvaluator::offlineTick(offline, o, true, 40000, 41000), Outcome::None);
    QCOMPARE(SeriesRuleEvaluator::offlineTick(offline, o, false, 0, 42000), Outcome::None);
}

void TestAlertRuleEvaluation::stateRoundTrip()
{
    RuleSeriesState s;
    s.lastTs = 1764145000123;
    s.condSince = 1764145000000;
    s.reference = -0.5;
    s.occurrences = {1, 2, 3};
    s.firing = true;
    RuleSeriesState back;
    QVERIFY(RuleSeriesState::deserialize(s.serialize(), &back));
    QCOMPARE(back.lastTs, s.lastTs);
    QCOMPARE(back.condSince, s.condSince);
    QCOMPARE(back.clearSince, RuleSeriesState::kNever);
    QCOMPARE(back.reference, -0.5);
    QCOMPARE(back.occurrences, s.occurrences);
    QVERIFY(back.firing);
    for (const char *bad : {"", "{}", "[1]", "{\"v\":1,\"t\":\"x\"}", "{\"v\":1,\"t\":1e300}", "{\"v\":1,\"o\":[0.5]}",
                            "{\"v\":2}", "{\"v\":1,\"f\":1}"}) {
        RuleSeriesState untouched;
        QVERIFY2(!RuleSeriesState::deserialize(QByteArray(bad), &untouched), bad);
    }
}

void TestAlertRuleEvaluation::validation_data()
{
    QTest::addColumn<AlertRule>("rule");
    QTest::addColumn<QString>("problem");  // a word of the reason, empty: valid
    QTest::newRow("valid") << above(40, 10000, 35) << QString();
    AlertRule r = above(40, 0, 45);
    QTest::newRow("clear_below above threshold") << r << QStringLiteral("clear_below");
    r = above(40, 0);
    r.name.clear();
    QTest::newRow("no name") << r << QStringLiteral("name");
    r = above(40, 0);
    r.metric.clear();
    QTest::newRow("no metric") << r << QStringLiteral("metric");
    r = above(AlertRule::kNone, 0);
    QTest::newRow("no threshold") << r << QStringLiteral("threshold");
    r = above(40, -1);
    QTest::newRow("negative for_s") << r << QStringLiteral("for_s");
    r = above(std::numeric_limits<double>::infinity(), 0);
    QTest::newRow("infinite") << r << QStringLiteral("finite");
    AlertRule off;
    off.name = QStringLiteral("Off");
    off.kind = AlertRuleKind::Offline;
    QTest::newRow("offline needs for_s") << off << QStringLiteral("for_s");
    off.forMs = 1000;
    QTest::newRow("offline needs no metric") << off << QString();
    off.scope = AlertScope::of(AlertScope::Kind::Site, QString());
    QTest::newRow("scope without value") << off << QStringLiteral("scope");
}

void TestAlertRuleEvaluation::validation()
{
    QFETCH(AlertRule, rule);
    QFETCH(QString, problem);
    const QString reason = rule.validate();
    if (problem.isEmpty())
        QVERIFY2(reason.isEmpty(), qPrintable(reason));
    else
        QVERIFY2(reason.contains(problem), qPrintable(reason));
}

// The fleet evaluator skips quiet rules (RuleRangePlan masks, series tracks): it must give
// exactly what each rule gives on its own, sample by sample, whatever the values.
void TestAlertRuleEvaluation::fleetEvaluatorMatchesOneRuleAtATime()
{
    QList<AlertRule> rules;
    const auto add = [&rules](AlertRule r) {
        r.id = rules.size() + 1;
        r.name = QStringLiteral("r%1").arg(r.id);
        r.metric = QStringLiteral("v");
        QVERIFY2(r.validate().isEmpty(), qPrintable(r.validate()));
        rules.append(r);
    };
    for (double t : {18.0, 20.0, 22.0}) {
        AlertRule r;
        r.kind = AlertRuleKind::Above;
        r.threshold = t;
        r.clearThreshold = t - 1;
        r.forMs = 3000;
        add(r);
        r.kind = AlertRuleKind::Below;
        r.threshold = t - 4;
        r.clearThreshold = t - 3;
        add(r);
    }
    AlertRule o;
    o.kind = AlertRuleKind::Outside;
    o.low = 15;
    o.high = 23;
    o.clearLow = 16;
    o.clearHigh = 22;
    o.forMs = 2000;
    add(o);
    AlertRule occ;
    occ.kind = AlertRuleKind::Occurrences;
    occ.threshold = 21;
    occ.count = 3;
    occ.windowMs = 10000;
    add(occ);
    occ.conditionAbove = false;
    occ.threshold = 17;
    add(occ);
    AlertRule rate;
    rate.kind = AlertRuleKind::Rate;
    rate.threshold = 1.5;
    add(rate);
    rate.direction = AlertRule::Direction::Fall;
    rate.forMs = 2000;
    add(rate);
    AlertRule stuck;
    stuck.kind = AlertRuleKind::Stuck;
    stuck.forMs = 4000;
    add(stuck);
    stuck.tolerance = 0.5;
    add(stuck);

    FleetState state;
    DeviceStatus st;
    st.deviceId = QStringLiteral("d");
    st.online = true;
    state.applyStatus(DeviceKey(QStringLiteral("s"), QStringLiteral("d")), st, 0);
    AlertEvaluator fleet;
    fleet.setRules(rules);
    std::vector<SingleRuleSeries> single(size_t(rules.size()));

    std::mt19937_64 rng(7);
    std::uniform_int_distribution<int> step(-3, 3);
    std::uniform_int_distribution<int> dt(0, 2500);
    std::uniform_int_distribution<int> late(0, 19);
    double v = 19;
    qint64 ts = 1'000'000;
    qsizetype compared = 0;
    for (int n = 0; n < 20000; ++n) {
        // Values on a coarse grid (repeats happen), now and then late samples and clock jumps.
        v = std::clamp(v + step(rng) * 0.5, 10.0, 30.0);
        qint64 sampleTs = ts += dt(rng);
        const int l = late(rng);
        if (l == 0)
            sampleTs -= 5000;  // late
        else if (n % 5000 == 4999)
            sampleTs = ts -= 3600000;  // the clock goes back an hour
        TelemetrySample s;
        s.source = QStringLiteral("s");
        s.deviceId = s.path = QStringLiteral("d");
        s.timestampMs = sampleTs;
        s.metrics = {MetricValue(QStringLiteral("v"), v)};
        fleet.evaluate(s, state, sampleTs);
        QStringList want;
        for (qsizetype r = 0; r < rules.size(); ++r) {
            const auto outcome = single[size_t(r)].feed(rules[r], sampleTs, v, sampleTs);
            if (outcome == SeriesRuleEvaluator::Outcome::Raise || outcome == SeriesRuleEvaluator::Outcome::Clear)
                want << QStringLiteral("%1 %2").arg(rules[r].id).arg(name(outcome));
        }
        QStringList got;
        for (const AlertTransition &t : fleet.takeTransitions()) {
            if (t.kind != AlertTransition::Kind::Update)
                got << QStringLiteral("%1 %2").arg(t.ruleId).arg(t.kind == AlertTransition::Kind::Raise ? u"raise"_qs
                                                                                                      : u"clear"_qs);
        }
        std::sort(want.begin(), want.end());
        std::sort(got.begin(), got.end());
        compared += want.size();
        if (got != want)
            QFAIL(qPrintable(QStringLiteral("sample %1 (ts %2, v %3): fleet %4, one by one %5")
                                 .arg(n)
                                 .arg(sampleTs)
                                 .arg(v)
                                 .arg(got.join(u", "), want.join(u", "))));
    }
    QVERIFY2(compared > 2000, qPrintable(QString::number(compared)));  // the rules did fire and clear
}

QTEST_GUILESS_MAIN(TestAlertRuleEvaluation)
#include "test_alert_rule_evaluation.moc"
