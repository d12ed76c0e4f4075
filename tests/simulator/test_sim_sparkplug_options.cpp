// fleetdeck-sim's Sparkplug options (--sparkplug-*) and fault specs (--sparkplug-fault):
// defaults, good input, the canonical form, the named set "demo", and bad input with errors
// that name the bad part; the v1 options stay as they were.
#include "simulator/sim_options.h"
#include "simulator/sparkplug_fault_spec.h"
#include "simulator/sparkplug_node_faults.h"

#include <QTest>

using namespace fd::sim;
using namespace Qt::StringLiterals;

class TestSimSparkplugOptions : public QObject
{
    Q_OBJECT
private slots:
    void withoutSparkplugNothingChanges();
    void parsesEveryOption();
    void nodesAloneRunNoV1Devices();
    void v1DevicesAndNodesTogether();
    void rejectsBadOptions_data();
    void rejectsBadOptions();
    void parsesFaultsWithDefaults();
    void canonicalFormParsesBack();
    void demoSetIsValid();
    void rejectsBadFaults_data();
    void rejectsBadFaults();
    void schedulesTimedFaultsPerNode();

private:
    static bool parse(const QStringList &args, SimOptions *out, int *exitCode = nullptr);
};

bool TestSimSparkplugOptions::parse(const QStringList &args, SimOptions *out, int *exitCode)
{
    int code = -1;
    const bool ok = SimOptions::parse(QStringList{u"fleetdeck-sim"_s, u"--broker"_s, u"mqtt://127.0.0.1:1883"_s} + args,
                                      out, &code);
    if (exitCode)
        *exitCode = code;
    return ok;
}

void TestSimSparkplugOptions::withoutSparkplugNothingChanges()
{
    SimOptions o;
    QVERIFY(parse({}, &o));
    QCOMPARE(o.devices, 10);
    QVERIFY(!o.sparkplug.enabled());
    QCOMPARE(o.sparkplug.nodes, 0);
    QCOMPARE(o.sparkplug.devicesPerNode, 4);
    QCOMPARE(o.sparkplug.group, u"Plant-1"_s);
    QCOMPARE(o.sparkplug.intervalMs, 1000);
    QVERIFY(o.sparkplug.primaryHost.isEmpty());
    QVERIFY(o.sparkplug.faults.isEmpty());
    int code = -1;
    QVERIFY(!parse({u"--devices"_s, u"0"_s}, &o, &code));  // v1 alone still needs a device
    QCOMPARE(code, 2);
    // Shard processes never get Sparkplug options: the parent runs the nodes.
    SimOptions sp;
    QVERIFY(parse({u"--devices"_s, u"5000"_s, u"--sparkplug-nodes"_s, u"2"_s}, &sp));
    QVERIFY(!sp.shardArguments(0, 2000, QString(), u"1/3"_s).join(u' ').contains(u"sparkplug"_s));
}

void TestSimSparkplugOptions::parsesEveryOption()
{
    SimOptions o;
    QVERIFY(parse({u"--sparkplug-nodes"_s, u"3"_s, u"--sparkplug-devices"_s, u"7"_s, u"--sparkplug-group"_s,
                   u"Plant-Nord"_s, u"--sparkplug-interval-ms"_s, u"250"_s, u"--sparkplug-primary-host"_s, u"scada"_s,
                   u"--sparkplug-fault"_s, u"seq_gap:node=2;start=3"_s, u"--sparkplug-fault"_s,
                   u"alias_only:node=3,die_rebirth:node=1;start=20;down=4;period=60"_s},
                  &o));
    QCOMPARE(o.sparkplug.nodes, 3);
    QCOMPARE(o.sparkplug.devicesPerNode, 7);
    QCOMPARE(o.sparkplug.group, u"Plant-Nord"_s);
    QCOMPARE(o.sparkplug.intervalMs, 250);
    QCOMPARE(o.sparkplug.primaryHost, u"scada"_s);
    QCOMPARE(o.sparkplug.faults.size(), 3);
    QCOMPARE(o.sparkplug.faults.at(0).kind, SparkplugFaultKind::SeqGap);
    QCOMPARE(o.sparkplug.faults.at(0).node, 2);
    QCOMPARE(o.sparkplug.faults.at(0).startS, 3.0);
    QCOMPARE(o.sparkplug.faults.at(1).kind, SparkplugFaultKind::AliasOnly);
    QCOMPARE(o.sparkplug.faults.at(2).kind, SparkplugFaultKind::DieRebirth);
    QCOMPARE(o.sparkplug.faults.at(2).downS, 4.0);
    QCOMPARE(o.sparkplug.faults.at(2).periodS, std::optional<double>(60));
}

void TestSimSparkplugOptions::nodesAloneRunNoV1Devices()
{
    SimOptions o;
    QVERIFY(parse({u"--sparkplug-nodes"_s, u"2"_s}, &o));
    QCOMPARE(o.devices, 0);
    QVERIFY(o.sparkplug.enabled());
    QVERIFY(parse({u"--sparkplug-nodes"_s, u"2"_s, u"--devices"_s, u"0"_s}, &o));
    QCOMPARE(o.devices, 0);
}

void TestSimSparkplugOptions::v1DevicesAndNodesTogether()
{
    SimOptions o;
    QVERIFY(parse({u"--devices"_s, u"20"_s, u"--sparkplug-nodes"_s, u"2"_s, u"--sparkplug-devices"_s, u"0"_s}, &o));
    QCOMPARE(o.devices, 20);
    QCOMPARE(o.sparkplug.nodes, 2);
    QCOMPARE(o.sparkplug.devicesPerNode, 0);
}

void TestSimSparkplugOptions::rejectsBadOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("negative nodes") << QStringList{u"--sparkplug-nodes"_s, u"-1"_s};
    QTest::newRow("too many nodes") << QStringList{u"--sparkplug-nodes"_s, u"501"_s};
    QTest::newRow("nodes not a number") << QStringList{u"--sparkplug-nodes"_s, u"two"_s};
    QTest::newRow("too many devices") << QStringList{u"--sparkplug-nodes"_s, u"1"_s, u"--sparkplug-devices"_s, u"101"_s};
    QTest::newRow("group with slash") << QStringList{u"--sparkplug-nodes"_s, u"1"_s, u"--sparkplug-group"_s, u"a/b"_s};
    QTest::newRow("group with wildcard") << QStringList{u"--sparkplug-nodes"_s, u"1"_s, u"--sparkplug-group"_s, u"a+"_s};
    QTest::newRow("empty group") << QStringList{u"--sparkplug-nodes"_s, u"1"_s, u"--sparkplug-group"_s, u""_s};
    QTest::newRow("interval too short") << QStringList{u"--sparkplug-nodes"_s, u"1"_s, u"--sparkplug-interval-ms"_s, u"10"_s};
    QTest::newRow("host with #") << QStringList{u"--sparkplug-nodes"_s, u"1"_s, u"--sparkplug-primary-host"_s, u"h#"_s};
    QTest::newRow("fault on a missing node") << QStringList{u"--sparkplug-nodes"_s, u"2"_s, u"--sparkplug-fault"_s, u"seq_gap:node=3"_s};
    QTest::newRow("alias_only without host") << QStringList{u"--sparkplug-nodes"_s, u"1"_s, u"--sparkplug-fault"_s, u"alias_only"_s};
    QTest::newRow("unknown fault") << QStringList{u"--sparkplug-nodes"_s, u"1"_s, u"--sparkplug-fault"_s, u"meltdown"_s};
}

void TestSimSparkplugOptions::rejectsBadOptions()
{
    QFETCH(QStringList, args);
    SimOptions o;
    int code = -1;
    QVERIFY(!parse(args, &o, &code));
    QCOMPARE(code, 2);
}

void TestSimSparkplugOptions::parsesFaultsWithDefaults()
{
    QList<SparkplugFaultSpec> specs;
    QString error;
    QVERIFY2(SparkplugFaultSpec::parse(u"seq_gap, stale_ndeath:node=2, data_before_birth, alias_only, die_rebirth"_s,
                                       &specs, &error),
             qPrintable(error));
    QCOMPARE(specs.size(), 5);
    QCOMPARE(specs.at(0).node, 1);
    QCOMPARE(specs.at(0).startS, 5.0);  // timed faults: 5 s after the start by default
    QVERIFY(!specs.at(0).periodS);
    QCOMPARE(specs.at(1).node, 2);
    QCOMPARE(specs.at(2).kind, SparkplugFaultKind::DataBeforeBirth);
    QCOMPARE(specs.at(2).durationS, 5.0);
    QCOMPARE(specs.at(3).startS, 0.0);  // alias_only: from the start
    QCOMPARE(specs.at(4).downS, 3.0);
}

void TestSimSparkplugOptions::canonicalFormParsesBack()
{
    QList<SparkplugFaultSpec> specs;
    QVERIFY(SparkplugFaultSpec::parse(u"die_rebirth:node=4;start=12.5;period=30;down=2,"
                                      "data_before_birth:node=2;duration=1.5,seq_gap:start=0"_s,
                                      &specs, nullptr));
    QCOMPARE(specs.at(0).toString(), u"die_rebirth:node=4;start=12.5;period=30;down=2"_s);
    QCOMPARE(specs.at(1).toString(), u"data_before_birth:node=2;duration=1.5"_s);
    for (const SparkplugFaultSpec &s : std::as_const(specs)) {
        QList<SparkplugFaultSpec> again;
        QVERIFY2(SparkplugFaultSpec::parse(s.toString(), &again, nullptr), qPrintable(s.toString()));
        QCOMPARE(again.size(), 1);
        QVERIFY(again.first() == s);
    }
}

void TestSimSparkplugOptions::demoSetIsValid()
{
    QList<SparkplugFaultSpec> specs;
    QString error;
    QVERIFY2(SparkplugFaultSpec::parse(u"demo"_s, &specs, &error), qPrintable(error));
    QCOMPARE(specs.size(), 2);
    QCOMPARE(specs.at(0).kind, SparkplugFaultKind::DieRebirth);
    QCOMPARE(specs.at(0).node, 2);
    QCOMPARE(specs.at(1).kind, SparkplugFaultKind::SeqGap);
    QCOMPARE(specs.at(1).node, 1);
    SimOptions o;  // demo mode runs two gateways: the set fits
    QVERIFY(parse({u"--sparkplug-nodes"_s, u"2"_s, u"--sparkplug-fault"_s, u"demo"_s}, &o));
}

void TestSimSparkplugOptions::rejectsBadFaults_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");  // part of the error
    QTest::newRow("unknown kind") << u"meltdown:node=1"_s << u"unknown fault"_s;
    QTest::newRow("unknown key") << u"seq_gap:nodes=1"_s << u"'nodes' is not a key of seq_gap"_s;
    QTest::newRow("key of another kind") << u"seq_gap:down=3"_s << u"'down' is not a key of seq_gap"_s;
    QTest::newRow("node zero") << u"seq_gap:node=0"_s << u"node must be"_s;
    QTest::newRow("node fraction") << u"seq_gap:node=1.5"_s << u"node must be"_s;
    QTest::newRow("start text") << u"stale_ndeath:start=soon"_s << u"start must be a number"_s;
    QTest::newRow("negative start") << u"stale_ndeath:start=-1"_s << u"start must be between"_s;
    QTest::newRow("down too short") << u"die_rebirth:down=0.1"_s << u"down must be at least"_s;
    QTest::newRow("period below down") << u"die_rebirth:down=5;period=5"_s << u"period must be"_s;
    QTest::newRow("nothing") << u" , "_s << u"no fault given"_s;
}

void TestSimSparkplugOptions::rejectsBadFaults()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QList<SparkplugFaultSpec> specs;
    QString error;
    QVERIFY(!SparkplugFaultSpec::parse(text, &specs, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY(specs.isEmpty());
}

void TestSimSparkplugOptions::schedulesTimedFaultsPerNode()
{
    QList<SparkplugFaultSpec> specs;
    QVERIFY(SparkplugFaultSpec::parse(u"seq_gap:start=1;period=2,stale_ndeath:start=1.5,data_before_birth:duration=3"_s,
                                      &specs, nullptr));
    SparkplugNodeFaults faults(specs);
    QVERIFY(faults.hasTimedFaults());
    QCOMPARE(faults.dataBeforeBirthMs(), std::optional<qint64>(3000));
    QVERIFY(!faults.ignoresHostState(100000));
    QVERIFY(faults.takeDue(999).isEmpty());
    QList<SparkplugNodeFaults::Event> due = faults.takeDue(1000);
    QCOMPARE(due.size(), 1);
    QCOMPARE(due.first().kind, SparkplugFaultKind::SeqGap);
    QVERIFY(faults.takeDue(1400).isEmpty());  // each occurrence once
    due = faults.takeDue(1500);
    QCOMPARE(due.size(), 1);
    QCOMPARE(due.first().kind, SparkplugFaultKind::StaleNdeath);
    QCOMPARE(faults.takeDue(3000).size(), 1);  // seq_gap again after its period
    QVERIFY(faults.takeDue(4000).isEmpty());   // stale_ndeath was once
    QCOMPARE(faults.takeDue(5000).size(), 1);

    QList<SparkplugFaultSpec> aliasOnly;
    QVERIFY(SparkplugFaultSpec::parse(u"alias_only:start=10"_s, &aliasOnly, nullptr));
    const SparkplugNodeFaults later(aliasOnly);
    QVERIFY(!later.hasTimedFaults());
    QVERIFY(!later.ignoresHostState(9999));
    QVERIFY(later.ignoresHostState(10000));
}

QTEST_GUILESS_MAIN(TestSimSparkplugOptions)
#include "test_sim_sparkplug_options.moc"
