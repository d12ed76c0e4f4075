// RolloutTargetFilter: filter keys (AND across keys, OR within one), compatibility with an
// artifact (model, version newer unless rollback, Sparkplug excluded), deterministic order.
#include "core/ota/rollout_builder.h"
#include "core/ota/rollout_target_filter.h"

#include <QJsonArray>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

class TestOtaRolloutTargetFilter : public QObject
{
    Q_OBJECT
private slots:
    void filters_data();
    void filters();
    void compatibility();
    void badExpressions();
    void json();
    void builder();
};

static Device device(const QString &source, const QString &path, const QString &site, const QString &model,
                     const QString &fw, bool online, const QStringList &tags = {})
{
    Device d;
    d.source = source;
    d.path = path;
    d.id = path.section(u'/', -1);
    d.site = site;
    d.model = model;
    d.fwVersion = fw;
    d.online = online;
    d.tags = tags;
    return d;
}

static QList<Device> inventory()
{
    return {
        device(u"b"_s, u"dev-3"_s, u"lyon"_s, u"TH-100"_s, u"2.3.0"_s, true, {u"pilot"_s}),
        device(u"a"_s, u"dev-2"_s, u"paris"_s, u"TH-100"_s, u"2.3.0"_s, false),
        device(u"a"_s, u"dev-1"_s, u"paris"_s, u"TH-100"_s, u"2.3.1"_s, true, {u"pilot"_s, u"roof"_s}),
        device(u"a"_s, u"dev-4"_s, u"lyon"_s, u"TH-200"_s, u"2.3.0"_s, true),
        device(u"a"_s, u"dev-5"_s, u"lyon"_s, u"TH-100"_s, u"2.4.0"_s, true),
        device(u"a"_s, u"dev-6"_s, u"paris"_s, u"TH-100"_s, u"2.5.0"_s, true),
        device(u"a"_s, u"grp/node"_s, u"paris"_s, u"TH-100"_s, u"2.3.0"_s, true),
    };
}

static bool f_add(RolloutTargetFilter &f, const QString &e)
{
    QString error;
    return f.add(e, &error);
}

static QStringList keysOf(const QList<Device> &devices)
{
    QStringList out;
    for (const Device &d : devices)
        out.append(d.source + u':' + d.path);
    return out;
}

void TestOtaRolloutTargetFilter::filters_data()
{
    QTest::addColumn<QStringList>("expressions");
    QTest::addColumn<QStringList>("targets");
    // Compatible with 2.4.0 for TH-100: a:dev-1, a:dev-2, b:dev-3 (ordered by source, path).
    QTest::newRow("none") << QStringList{} << QStringList{u"a:dev-1"_s, u"a:dev-2"_s, u"b:dev-3"_s};
    QTest::newRow("site") << QStringList{u"site=paris"_s} << QStringList{u"a:dev-1"_s, u"a:dev-2"_s};
    QTest::newRow("site OR site") << QStringList{u"site=paris"_s, u"site=lyon"_s}
                                  << QStringList{u"a:dev-1"_s, u"a:dev-2"_s, u"b:dev-3"_s};
    QTest::newRow("site AND online") << QStringList{u"site=paris"_s, u"online=true"_s} << QStringList{u"a:dev-1"_s};
    QTest::newRow("offline") << QStringList{u"online=false"_s} << QStringList{u"a:dev-2"_s};
    QTest::newRow("tag") << QStringList{u"tag=pilot"_s} << QStringList{u"a:dev-1"_s, u"b:dev-3"_s};
    QTest::newRow("tag AND source") << QStringList{u"tag=pilot"_s, u"source=b"_s} << QStringList{u"b:dev-3"_s};
    QTest::newRow("firmware") << QStringList{u"firmware=2.3.0"_s} << QStringList{u"a:dev-2"_s, u"b:dev-3"_s};
    QTest::newRow("model") << QStringList{u"model=TH-100"_s, u"site=lyon"_s} << QStringList{u"b:dev-3"_s};
    QTest::newRow("nothing") << QStringList{u"site=berlin"_s} << QStringList{};
}

void TestOtaRolloutTargetFilter::filters()
{
    QFETCH(QStringList, expressions);
    QFETCH(QStringList, targets);
    RolloutTargetFilter f;
    QString error;
    for (const QString &e : expressions)
        QVERIFY2(f.add(e, &error), qPrintable(error));
    const auto result = f.select(inventory(), u"2.4.0"_s, {u"TH-100"_s}, false);
    QCOMPARE(keysOf(result.targets), targets);
}

void TestOtaRolloutTargetFilter::compatibility()
{
    RolloutTargetFilter f;
    auto result = f.select(inventory(), u"2.4.0"_s, {u"TH-100"_s}, false);
    QHash<QString, QString> reasons;
    for (const auto &x : result.excluded)
        reasons.insert(x.device.path, x.reason);
    QCOMPARE(reasons.size(), 4);
    QCOMPARE(reasons.value(u"dev-4"_s), u"model TH-200 is not compatible"_s);
    QCOMPARE(reasons.value(u"dev-5"_s), u"already on 2.4.0"_s);
    QCOMPARE(reasons.value(u"dev-6"_s), u"runs 2.5.0, newer than 2.4.0 (not a rollback rollout)"_s);
    QCOMPARE(reasons.value(u"grp/node"_s), u"Sparkplug devices are not updated over FleetDeck OTA yet"_s);

    // A rollback rollout takes the newer device; the same version is still excluded.
    result = f.select(inventory(), u"2.4.0"_s, {u"TH-100"_s}, true);
    QCOMPARE(keysOf(result.targets), (QStringList{u"a:dev-1"_s, u"a:dev-2"_s, u"a:dev-6"_s, u"b:dev-3"_s}));
    // Pre-releases sort lower: 2.4.0-rc1 is older than 2.4.0.
    QCOMPARE(RolloutTargetFilter::incompatibility(device(u"a"_s, u"x"_s, {}, u"TH-100"_s, u"2.4.0"_s, true),
                                                  u"2.4.0-rc1"_s, {u"TH-100"_s}, false),
             u"runs 2.4.0, newer than 2.4.0-rc1 (not a rollback rollout)"_s);
    QVERIFY(RolloutTargetFilter::incompatibility(device(u"a"_s, u"x"_s, {}, u"TH-100"_s, u"2.4.0-rc1"_s, true),
                                                 u"2.4.0"_s, {u"TH-100"_s}, false)
                .isEmpty());
    // A Sparkplug device known by its session, whatever its path.
    Device sp = device(u"a"_s, u"plain"_s, {}, u"TH-100"_s, u"1.0"_s, true);
    sp.sparkplug.births = 1;
    QVERIFY(RolloutTargetFilter::isSparkplug(sp));
}

void TestOtaRolloutTargetFilter::badExpressions()
{
    RolloutTargetFilter f;
    QString error;
    QVERIFY(!f.add(u"colour=red"_s, &error));
    QVERIFY(error.contains(u"unknown key"_s));
    QVERIFY(!f.add(u"site"_s, &error));
    QVERIFY(!f.add(u"site="_s, &error));
    QVERIFY(!f.add(u"online=yes"_s, &error));
    QVERIFY(!f.add(QString(u"site="_s + QString(300, u'x')), &error));
    QVERIFY(f.isEmpty());
}

void TestOtaRolloutTargetFilter::json()
{
    RolloutTargetFilter f;
    QString error;
    QVERIFY(f.add(u"site=paris"_s, &error));
    QVERIFY(f.add(u"site=lyon"_s, &error));
    QVERIFY(f.add(u"site=lyon"_s, &error));  // duplicates once
    QVERIFY(f.add(u"model=TH-100"_s, &error));
    const QJsonObject o = f.toJson();
    QCOMPARE(o.value(u"site"_s).toArray().size(), 2);
    QCOMPARE(o.value(u"model"_s).toArray().first().toString(), u"TH-100"_s);
}

// RolloutBuilder: the targets in order, split canary first into the plan's waves.
void TestOtaRolloutTargetFilter::builder()
{
    FirmwareArtifact artifact;
    artifact.id = u"0123456789abcdef"_s;
    artifact.version = u"2.4.0"_s;
    artifact.models = {u"TH-100"_s};
    RolloutPlan plan;
    plan.canary = 1;
    QString error;
    plan.waves = *RolloutPlan::parseWaves(u"50%,100%"_s, &error);
    RolloutTargetFilter filter;
    RolloutBuilder::Result built;
    QVERIFY2(RolloutBuilder::build(artifact, inventory(), filter, plan, QString(), u"alice"_s, &built, &error),
             qPrintable(error));
    QCOMPARE(built.rollout.name, u"2.4.0 to 3 devices"_s);
    QCOMPARE(built.rollout.state, RolloutState::Scheduled);
    QCOMPARE(built.rollout.artifactId, artifact.id);
    QCOMPARE(built.rollout.createdBy, u"alice"_s);
    QCOMPARE(built.rollout.currentWave, 0);
    QCOMPARE(built.waveSizes, (QList<int>{1, 1, 1}));
    QCOMPARE(built.excluded.size(), 4);
    QCOMPARE(built.devices.size(), 3);
    QCOMPARE(built.devices[0].key, DeviceKey(u"a"_s, u"dev-1"_s));
    QCOMPARE(built.devices[0].wave, 0);
    QCOMPARE(built.devices[0].fromVersion, u"2.3.1"_s);
    QCOMPARE(built.devices[1].wave, 1);
    QCOMPARE(built.devices[2].key, DeviceKey(u"b"_s, u"dev-3"_s));
    QCOMPARE(built.devices[2].wave, 2);
    QCOMPARE(built.devices[2].position, 2);
    QCOMPARE(built.devices[2].state, OtaDeviceState::Pending);

    // Refusals keep what is known for the operator.
    QVERIFY(filter.isEmpty());
    QVERIFY(f_add(filter, u"model=TH-200"_s));
    QVERIFY(!RolloutBuilder::build(artifact, inventory(), filter, plan, u"x"_s, u"alice"_s, &built, &error));
    QCOMPARE(error, u"no target left (1 matching devices excluded)"_s);
    QCOMPARE(built.excluded.size(), 1);
    RolloutTargetFilter all;
    plan.waves = *RolloutPlan::parseWaves(u"10%,100%"_s, &error);
    QVERIFY(!RolloutBuilder::build(artifact, inventory(), all, plan, u"x"_s, u"alice"_s, &built, &error));
    QCOMPARE(error, u"wave 1 (10%) would get 0 of 2 devices"_s);
    QVERIFY(!built.summary.isEmpty());
}

QTEST_GUILESS_MAIN(TestOtaRolloutTargetFilter)
#include "test_ota_rollout_target_filter.moc"
