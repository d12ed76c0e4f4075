// --scenario and --scenario-file parsing (ScenarioSpecParser, ScenarioFile, ScenarioSpec):
// good input, the canonical form shard processes get, and bad input with errors that name
// the bad part.
#include "simulator/scenario_file.h"
#include "simulator/scenario_spec_parser.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace fd::sim;
using namespace Qt::StringLiterals;

class TestSimScenarioParsing : public QObject
{
    Q_OBJECT
private slots:
    void parsesOneSpecWithEveryKey();
    void defaultsPerKind();
    void parsesListsAndRepeatedDevices();
    void canonicalFormParsesBack();
    void demoSetIsValidAndOptional();
    void rejectsBadSpecs_data();
    void rejectsBadSpecs();
    void boundsTheNumberOfScenarios();
    void parsesAScenarioFile();
    void rejectsBadScenarioFiles_data();
    void rejectsBadScenarioFiles();
    void boundsScenarioFiles();

private:
    static QList<ScenarioSpec> parse(const QString &text, QString *error = nullptr);
};

QList<ScenarioSpec> TestSimScenarioParsing::parse(const QString &text, QString *error)
{
    QList<ScenarioSpec> specs;
    QString why;
    if (!ScenarioSpecParser::parse(text, &specs, &why)) {
        if (error)
            *error = why;
        else
            qWarning().noquote() << why;
    }
    return specs;
}

void TestSimScenarioParsing::parsesOneSpecWithEveryKey()
{
    const QList<ScenarioSpec> specs = parse(u"overheating:devices=3;site=Lyon-Nord;start=12.5;duration=90;peak=60;ramp=10;optional=1"_s);
    QCOMPARE(specs.size(), 1);
    const ScenarioSpec &s = specs.first();
    QCOMPARE(s.kind, ScenarioKind::Overheating);
    QCOMPARE(s.devices, 3);
    QVERIFY(s.devicesGiven);
    QCOMPARE(s.site, u"Lyon-Nord"_s);
    QCOMPARE(s.startS, 12.5);
    QCOMPARE(s.durationS, std::optional<double>(90));
    QCOMPARE(s.startMs(), 12500);
    QCOMPARE(s.endMs(), std::optional<qint64>(102500));
    QCOMPARE(s.peakC, 60.0);
    QCOMPARE(s.rampS, 10.0);
    QVERIFY(s.optional);

    const ScenarioSpec flap = parse(u" flapping : period=12 ; down=3 "_s).value(0);
    QCOMPARE(flap.kind, ScenarioKind::Flapping);
    QCOMPARE(flap.periodS, 12.0);
    QCOMPARE(flap.downS, 3.0);
    const ScenarioSpec stuck = parse(u"stuck_sensor:metric=rssi;device=dev-00003"_s).value(0);
    QCOMPARE(stuck.metric, u"rssi"_s);
    QCOMPARE(stuck.deviceIds, QStringList{u"dev-00003"_s});
    const ScenarioSpec drain = parse(u"battery_drain:level=8;ramp=0"_s).value(0);
    QCOMPARE(drain.levelPct, 8.0);
    QCOMPARE(drain.rampS, 0.0);
    const ScenarioSpec site = parse(u"site_down:site=Osaka-Bay;start=60;duration=60"_s).value(0);
    QCOMPARE(site.kind, ScenarioKind::SiteDown);
    QCOMPARE(site.site, u"Osaka-Bay"_s);
}

void TestSimScenarioParsing::defaultsPerKind()
{
    const ScenarioSpec s = parse(u"silent"_s).value(0);
    QCOMPARE(s.kind, ScenarioKind::Silent);
    QCOMPARE(s.devices, 1);
    QVERIFY(!s.devicesGiven);
    QCOMPARE(s.startS, 0.0);
    QVERIFY(!s.durationS);  // until exit
    QVERIFY(!s.endMs());
    QVERIFY(!s.optional);
    QCOMPARE(parse(u"stuck_sensor"_s).value(0).metric, u"humidity"_s);
    QCOMPARE(parse(u"overheating"_s).value(0).peakC, 55.0);
    QCOMPARE(parse(u"battery_drain"_s).value(0).levelPct, 5.0);
    QCOMPARE(parse(u"flapping"_s).value(0).periodS, 15.0);
    QCOMPARE(parse(u"flapping"_s).value(0).downS, 5.0);
    QVERIFY(parse(u"site_down"_s).value(0).site.isEmpty());  // picked by the planner
}

void TestSimScenarioParsing::parsesListsAndRepeatedDevices()
{
    QList<ScenarioSpec> specs = parse(u"silent:device=dev-00002;device=dev-00009,overheating:devices=2 , flapping"_s);
    QCOMPARE(specs.size(), 3);
    QCOMPARE(specs.at(0).deviceIds, (QStringList{u"dev-00002"_s, u"dev-00009"_s}));
    QCOMPARE(specs.at(1).kind, ScenarioKind::Overheating);
    QCOMPARE(specs.at(2).kind, ScenarioKind::Flapping);
    // Several --scenario values add up, in order.
    QString error;
    QVERIFY(ScenarioSpecParser::parse(u"demo"_s, &specs, &error));
    QCOMPARE(specs.size(), 3 + 6);
    QCOMPARE(specs.last().kind, ScenarioKind::SiteDown);
    // A trailing ';' and spaces are fine; a flag without a value is true.
    const ScenarioSpec s = parse(u"silent:optional;start=1;"_s).value(0);
    QVERIFY(s.optional);
    QCOMPARE(s.startS, 1.0);
    QVERIFY(!parse(u"silent:optional=no"_s).value(0).optional);
}

void TestSimScenarioParsing::canonicalFormParsesBack()
{
    const QStringList inputs = {
        u"overheating:devices=2;start=20;duration=180;peak=55.5;ramp=30"_s,
        u"battery_drain:site=Austin-DC2;level=7;ramp=0.1"_s,
        u"stuck_sensor:device=dev-00004;device=dev-00001;metric=cpu_load;start=0.25"_s,
        u"flapping:period=2.5;down=1;optional=1"_s,
        u"silent:start=3;duration=0.1"_s,
        u"site_down:start=60;duration=60"_s,
        u"site_down:site=Lyon-Nord"_s,
    };
    for (const QString &input : inputs) {
        const QList<ScenarioSpec> specs = parse(input);
        QCOMPARE(specs.size(), 1);
        const QString canonical = specs.first().toString();
        const QList<ScenarioSpec> again = parse(canonical);
        QCOMPARE(again.size(), 1);
        QVERIFY2(again.first() == specs.first(), qPrintable(input + u" -> "_s + canonical));
        QCOMPARE(again.first().toString(), canonical);
    }
    QCOMPARE(parse(u"overheating:devices=2;start=20;duration=180"_s).value(0).toString(),
             u"overheating:devices=2;start=20;duration=180;peak=55;ramp=30"_s);
    QCOMPARE(parse(u"stuck_sensor:device=dev-00004"_s).value(0).toString(),
             u"stuck_sensor:device=dev-00004;start=0;metric=humidity"_s);
}

void TestSimScenarioParsing::demoSetIsValidAndOptional()
{
    const QList<ScenarioSpec> demo = ScenarioSpecParser::namedSet(u"demo"_s);
    QCOMPARE(demo.size(), 6);
    QHash<ScenarioKind, ScenarioSpec> byKind;
    for (const ScenarioSpec &s : demo) {
        QVERIFY(s.optional);  // a small fleet skips what does not fit
        QVERIFY(s.durationS.has_value());
        byKind.insert(s.kind, s);
    }
    QCOMPARE(byKind.size(), 6);
    QCOMPARE(byKind.value(ScenarioKind::Flapping).startS, 10.0);
    QCOMPARE(byKind.value(ScenarioKind::StuckSensor).startS, 15.0);
    QCOMPARE(byKind.value(ScenarioKind::Overheating).startS, 20.0);
    QCOMPARE(byKind.value(ScenarioKind::Overheating).devices, 2);
    QCOMPARE(byKind.value(ScenarioKind::Silent).startS, 25.0);
    QCOMPARE(byKind.value(ScenarioKind::BatteryDrain).startS, 30.0);
    QCOMPARE(byKind.value(ScenarioKind::SiteDown).startS, 60.0);
    QCOMPARE(byKind.value(ScenarioKind::SiteDown).durationS, std::optional<double>(60));
    QVERIFY(ScenarioSpecParser::namedSet(u"nope"_s).isEmpty());
    // "demo" can be combined with other scenarios.
    QCOMPARE(parse(u"demo,silent:device=dev-00001"_s).size(), 7);
}

void TestSimScenarioParsing::rejectsBadSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("expected");  // part of the error
    QTest::newRow("unknown kind") << u"overheat:devices=2"_s << u"unknown scenario kind 'overheat'"_s;
    QTest::newRow("empty kind") << u":devices=2"_s << u"unknown scenario kind ''"_s;
    QTest::newRow("unknown key") << u"overheating:dev=2"_s << u"'dev' is not a parameter of overheating"_s;
    QTest::newRow("key of another kind") << u"silent:peak=60"_s << u"'peak' is not a parameter of silent"_s;
    QTest::newRow("devices on site_down") << u"site_down:devices=3"_s << u"'devices' is not a parameter of site_down"_s;
    QTest::newRow("not a number") << u"overheating:devices=abc"_s << u"devices must be a number (got 'abc')"_s;
    QTest::newRow("fraction of a device") << u"overheating:devices=1.5"_s << u"devices must be a whole number"_s;
    QTest::newRow("no devices") << u"overheating:devices=0"_s << u"devices must be a whole number from 1 to 99999"_s;
    QTest::newRow("infinite") << u"silent:start=inf"_s << u"start must be a finite number"_s;
    QTest::newRow("negative start") << u"silent:start=-1"_s << u"start must be from 0"_s;
    QTest::newRow("zero duration") << u"silent:duration=0"_s << u"duration must be more than 0"_s;
    QTest::newRow("no value") << u"silent:start"_s << u"start needs a value"_s;
    QTest::newRow("empty value") << u"silent:start="_s << u"start needs a value"_s;
    QTest::newRow("twice") << u"silent:start=1;start=2"_s << u"start is given twice"_s;
    QTest::newRow("both devices and device") << u"silent:devices=2;device=dev-00001"_s
                                             << u"give either devices or device, not both"_s;
    QTest::newRow("site and device") << u"silent:site=Lyon-Nord;device=dev-00001"_s << u"site picks devices of a site"_s;
    QTest::newRow("bad device id") << u"silent:device=sensor-7"_s << u"device 'sensor-7' is not a simulated device id"_s;
    QTest::newRow("device zero") << u"silent:device=dev-00000"_s << u"device 'dev-00000' is not a simulated device id"_s;
    QTest::newRow("device twice") << u"silent:device=dev-00001;device=dev-00001"_s << u"dev-00001 is named twice"_s;
    QTest::newRow("unknown site") << u"site_down:site=Atlantis"_s << u"site 'Atlantis' is not a site of the simulated fleet"_s;
    QTest::newRow("unknown metric") << u"stuck_sensor:metric=pressure"_s << u"metric 'pressure' is not a simulated metric"_s;
    QTest::newRow("down not shorter") << u"flapping:period=5;down=5"_s << u"down must be at least 0.5 seconds"_s;
    QTest::newRow("period too short") << u"flapping:period=0.5;down=0.2"_s << u"period must be from 1 to 3600"_s;
    QTest::newRow("level above 100") << u"battery_drain:level=120"_s << u"level must be from 0 to 100"_s;
    QTest::newRow("ramp negative") << u"overheating:ramp=-3"_s << u"ramp must be from 0 to 3600"_s;
    QTest::newRow("peak absurd") << u"overheating:peak=1000"_s << u"peak must be from -50 to 150"_s;
    QTest::newRow("bad flag") << u"silent:optional=maybe"_s << u"optional must be 1 or 0 (got 'maybe')"_s;
    QTest::newRow("empty item") << u"silent,,flapping"_s << u"empty scenario"_s;
    QTest::newRow("trailing comma") << u"silent,"_s << u"empty scenario"_s;
    QTest::newRow("colon and nothing") << u"silent:"_s << u"nothing after ':'"_s;
}

void TestSimScenarioParsing::rejectsBadSpecs()
{
    QFETCH(QString, spec);
    QFETCH(QString, expected);
    QList<ScenarioSpec> specs{ScenarioSpec()};
    QString error;
    QVERIFY(!ScenarioSpecParser::parse(spec, &specs, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QCOMPARE(specs.size(), 1);  // unchanged on error
    // The error quotes the scenario it is about (the first bad one of a list).
    if (!spec.contains(u",,"_s) && !spec.endsWith(u',') && !spec.isEmpty())
        QVERIFY2(error.startsWith(u"'"_s + spec.section(u',', 0, 0).trimmed() + u"'"_s), qPrintable(error));
}

void TestSimScenarioParsing::boundsTheNumberOfScenarios()
{
    QStringList many;
    for (int i = 0; i < ScenarioSpec::kMaxScenarios; ++i)
        many << u"silent:device=dev-00001"_s;
    QList<ScenarioSpec> specs;
    QString error;
    QVERIFY(ScenarioSpecParser::parse(many.join(u','), &specs, &error));
    QCOMPARE(specs.size(), ScenarioSpec::kMaxScenarios);
    QVERIFY(!ScenarioSpecParser::parse(u"silent"_s, &specs, &error));
    QVERIFY2(error.contains(u"more than 100 scenarios"_s), qPrintable(error));
    specs.clear();
    QVERIFY(!ScenarioSpecParser::parse(QString(ScenarioSpecParser::kMaxTextChars + 1, u'x'), &specs, &error));
    QVERIFY2(error.contains(u"longer than"_s), qPrintable(error));
    // A huge comma list stops at the limit rather than building it all.
    QVERIFY(!ScenarioSpecParser::parse(QStringList(5000, u"silent"_s).join(u','), &specs, &error));
    QVERIFY2(error.contains(u"more than 100 scenarios"_s), qPrintable(error));
}

void TestSimScenarioParsing::parsesAScenarioFile()
{
    const QByteArray json = R"({
      "comment": "alert rule tests",
      "scenarios": [
        {"kind": "overheating", "devices": 2, "start_s": 10, "duration_s": 120, "peak_c": 60, "ramp_s": 20},
        {"kind": "stuck_sensor", "device": "dev-00003", "metric": "rssi", "comment": "one named device"},
        {"kind": "silent", "device": ["dev-00004", "dev-00005"], "duration_s": null},
        {"kind": "flapping", "period_s": 12, "down_s": 4, "optional": true},
        {"kind": "battery_drain", "site": "Lyon-Nord", "level_pct": 8},
        {"kind": "site_down", "site": "Osaka-Bay", "start_s": 60, "duration_s": 60}
      ]})";
    QString error;
    const std::optional<QList<ScenarioSpec>> specs = ScenarioFile::parse(json, &error);
    QVERIFY2(specs, qPrintable(error));
    QCOMPARE(specs->size(), 6);
    // The same scenarios on the command line read the same.
    const QList<ScenarioSpec> cli = parse(
        u"overheating:devices=2;start=10;duration=120;peak=60;ramp=20,stuck_sensor:device=dev-00003;metric=rssi,"
        u"silent:device=dev-00004;device=dev-00005,flapping:period=12;down=4;optional=1,"
        u"battery_drain:site=Lyon-Nord;level=8,site_down:site=Osaka-Bay;start=60;duration=60"_s);
    QCOMPARE(cli.size(), 6);
    for (int i = 0; i < 6; ++i)
        QVERIFY2(specs->at(i) == cli.at(i), qPrintable(specs->at(i).toString() + u" vs "_s + cli.at(i).toString()));

    QTemporaryDir dir;
    QFile file(dir.filePath(u"s.json"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(json);
    file.close();
    const std::optional<QList<ScenarioSpec>> loaded = ScenarioFile::load(file.fileName(), &error);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(*loaded, *specs);
    // No scenarios at all is a valid (empty) file.
    QCOMPARE(ScenarioFile::parse(R"({"scenarios": []})", &error)->size(), 0);
}

void TestSimScenarioParsing::rejectsBadScenarioFiles_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << QByteArray("scenarios: overheating") << u"not valid JSON"_s;
    QTest::newRow("truncated") << QByteArray(R"({"scenarios": [{"kind": "silent"})") << u"not valid JSON"_s;
    QTest::newRow("array root") << QByteArray(R"([{"kind": "silent"}])") << u"expected a JSON object"_s;
    QTest::newRow("no scenarios") << QByteArray(R"({})") << u"\"scenarios\" must be an array, not nothing"_s;
    QTest::newRow("scenarios object") << QByteArray(R"({"scenarios": {}})") << u"\"scenarios\" must be an array, not an object"_s;
    QTest::newRow("unknown root key") << QByteArray(R"({"scenarios": [], "senarios": []})") << u"unknown key \"senarios\""_s;
    QTest::newRow("entry not object") << QByteArray(R"({"scenarios": ["silent"]})") << u"scenarios[0] must be an object, not a string"_s;
    QTest::newRow("no kind") << QByteArray(R"({"scenarios": [{"devices": 1}]})") << u"scenarios[0]: \"kind\" must be a string"_s;
    QTest::newRow("unknown kind") << QByteArray(R"({"scenarios": [{"kind": "fire"}]})") << u"scenarios[0]: unknown kind \"fire\""_s;
    QTest::newRow("typo key") << QByteArray(R"({"scenarios": [{"kind": "silent"}, {"kind": "silent", "duraton_s": 5}]})")
                              << u"scenarios[1]: \"duraton_s\" is not a key of silent"_s;
    QTest::newRow("command-line key") << QByteArray(R"({"scenarios": [{"kind": "silent", "start": 5}]})")
                                      << u"\"start\" is not a key of silent"_s;
    QTest::newRow("string number") << QByteArray(R"({"scenarios": [{"kind": "silent", "start_s": "5"}]})")
                                   << u"\"start_s\" must be a number, not a string"_s;
    QTest::newRow("fraction devices") << QByteArray(R"({"scenarios": [{"kind": "silent", "devices": 2.5}]})")
                                      << u"devices must be a whole number"_s;
    QTest::newRow("huge devices") << QByteArray(R"({"scenarios": [{"kind": "silent", "devices": 1e300}]})")
                                  << u"devices must be a whole number from 1 to 99999"_s;
    QTest::newRow("negative start") << QByteArray(R"({"scenarios": [{"kind": "silent", "start_s": -5}]})")
                                    << u"start_s must be from 0"_s;
    QTest::newRow("flag as number") << QByteArray(R"({"scenarios": [{"kind": "silent", "optional": 1}]})")
                                    << u"\"optional\" must be true or false, not a number"_s;
    QTest::newRow("device number") << QByteArray(R"({"scenarios": [{"kind": "silent", "device": 3}]})")
                                   << u"\"device\" must be a string or an array of strings, not a number"_s;
    QTest::newRow("device array of numbers") << QByteArray(R"({"scenarios": [{"kind": "silent", "device": ["dev-00001", 2]}]})")
                                             << u"\"device\"[1] must be a string, not a number"_s;
    QTest::newRow("empty device array") << QByteArray(R"({"scenarios": [{"kind": "silent", "device": []}]})")
                                        << u"\"device\" is an empty array"_s;
    QTest::newRow("bad device id") << QByteArray(R"({"scenarios": [{"kind": "silent", "device": "dev-1"}]})")
                                   << u"device 'dev-1' is not a simulated device id"_s;
    QTest::newRow("site object") << QByteArray(R"({"scenarios": [{"kind": "site_down", "site": {"name": "x"}}]})")
                                 << u"\"site\" must be a string, not an object"_s;
    QTest::newRow("down too long") << QByteArray(R"({"scenarios": [{"kind": "flapping", "period_s": 4, "down_s": 4}]})")
                                   << u"down_s must be at least 0.5 seconds and at least 0.5 seconds shorter than period_s"_s;
    QTest::newRow("deep nesting") << QByteArray(R"({"scenarios": )") + QByteArray(5000, '[') + QByteArray(5000, ']') + "}"
                                  << u"not valid JSON"_s;
}

void TestSimScenarioParsing::rejectsBadScenarioFiles()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!ScenarioFile::parse(json, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

void TestSimScenarioParsing::boundsScenarioFiles()
{
    QString error;
    // Too many entries.
    QByteArray many = R"({"scenarios": [)";
    for (int i = 0; i <= ScenarioSpec::kMaxScenarios; ++i)
        many += QByteArray(i ? "," : "") + R"({"kind": "silent"})";
    many += "]}";
    QVERIFY(!ScenarioFile::parse(many, &error));
    QVERIFY2(error.contains(u"more than 100 scenarios (101)"_s), qPrintable(error));
    // Too many device ids in one entry.
    QByteArray ids = R"({"scenarios": [{"kind": "silent", "device": [)";
    for (int i = 1; i <= ScenarioSpec::kMaxDeviceIds + 1; ++i)
        ids += (i > 1 ? "," : "") + QByteArray("\"dev-") + QByteArray::number(i).rightJustified(5, '0') + '"';
    ids += "]}]}";
    QVERIFY(!ScenarioFile::parse(ids, &error));
    QVERIFY2(error.contains(u"more than 1000 devices"_s), qPrintable(error));

    QTemporaryDir dir;
    // Too big: refused before it is parsed (and the same for the bytes in memory).
    QFile big(dir.filePath(u"big.json"_s));
    QVERIFY(big.open(QIODevice::WriteOnly));
    big.write(R"({"scenarios": [], "comment": ")");
    big.write(QByteArray(ScenarioFile::kMaxBytes, 'x'));
    big.write("\"}");
    big.close();
    QVERIFY(!ScenarioFile::load(big.fileName(), &error));
    QVERIFY2(error.contains(u"larger than 1048576 bytes"_s) && error.contains(big.fileName()), qPrintable(error));
    QVERIFY(!ScenarioFile::parse(QByteArray(ScenarioFile::kMaxBytes + 1, ' '), &error));
    QVERIFY2(error.contains(u"larger than"_s), qPrintable(error));
    // Missing, a directory, a device.
    QVERIFY(!ScenarioFile::load(dir.filePath(u"missing.json"_s), &error));
    QVERIFY2(error.contains(u"no such file"_s), qPrintable(error));
    QVERIFY(!ScenarioFile::load(dir.path(), &error));
    QVERIFY2(error.contains(u"not a regular file"_s), qPrintable(error));
    QVERIFY(!ScenarioFile::load(u"/dev/zero"_s, &error));
    QVERIFY2(error.contains(u"not a regular file"_s), qPrintable(error));
    // The error names the file and the entry.
    QFile bad(dir.filePath(u"bad.json"_s));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write(R"({"scenarios": [{"kind": "silent"}, {"kind": "overheating", "devices": 0}]})");
    bad.close();
    QVERIFY(!ScenarioFile::load(bad.fileName(), &error));
    QVERIFY2(error.startsWith(bad.fileName() + u": scenarios[1]: devices must be"_s), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestSimScenarioParsing)
#include "test_sim_scenario_parsing.moc"
