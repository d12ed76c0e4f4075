// RolloutPlan: wave parsing and sizes (the cumulative-percentage rule, the last wave taking
// the rest, 0-device waves refused), validation reasons, strict JSON, windows and rates.
#include "core/ota/rollout_plan.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

class TestOtaRolloutPlan : public QObject
{
    Q_OBJECT
private slots:
    void waveSizes_data();
    void waveSizes();
    void waveParsing_data();
    void waveParsing();
    void validationReasons_data();
    void validationReasons();
    void jsonRoundTrip();
    void strictJson_data();
    void strictJson();
    void window();
    void rateIncrease();
};

static RolloutPlan planOf(const QString &waves, int canary = 0, bool canaryPercent = false)
{
    RolloutPlan p;
    QString error;
    p.waves = *RolloutPlan::parseWaves(waves, &error);
    p.canary = canary;
    p.canaryPercent = canaryPercent;
    return p;
}

void TestOtaRolloutPlan::waveSizes_data()
{
    QTest::addColumn<QString>("waves");
    QTest::addColumn<int>("canary");
    QTest::addColumn<bool>("canaryPercent");
    QTest::addColumn<int>("targets");
    QTest::addColumn<QList<int>>("sizes");  // [0] canary, then waves; empty = refused
    QTest::addColumn<QString>("error");

    QTest::newRow("default one wave") << u"100%"_s << 0 << false << 7 << QList<int>{0, 7} << QString();
    QTest::newRow("cumulative 10/50/100 of 100") << u"10%,50%,100%"_s << 0 << false << 100 << QList<int>{0, 10, 40, 50}
                                                 << QString();
    // floor of the cumulative count: 10% of 55 = 5, 50% of 55 = 27, rest 28.
    QTest::newRow("floor of cumulative") << u"10%,50%,100%"_s << 0 << false << 55 << QList<int>{0, 5, 22, 28}
                                         << QString();
    QTest::newRow("canary count then waves") << u"50%,100%"_s << 2 << false << 12 << QList<int>{2, 5, 5} << QString();
    // A canary percentage rounds up: 1% of 50 is one device.
    QTest::newRow("canary percent rounds up") << u"100%"_s << 1 << true << 50 << QList<int>{1, 49} << QString();
    QTest::newRow("count waves") << u"3,4"_s << 0 << false << 20 << QList<int>{0, 3, 17} << QString();
    // The last wave takes the rest whatever it says.
    QTest::newRow("last wave takes the rest (percent)") << u"20%,60%"_s << 0 << false << 10 << QList<int>{0, 2, 8}
                                                        << QString();
    QTest::newRow("last wave takes the rest (count)") << u"2,3"_s << 0 << false << 10 << QList<int>{0, 2, 8}
                                                      << QString();
    QTest::newRow("mixed count and percent") << u"1,50%,100%"_s << 0 << false << 10 << QList<int>{0, 1, 4, 5}
                                             << QString();
    QTest::newRow("wave of 0 refused") << u"20%,32%,100%"_s << 0 << false << 5 << QList<int>{}
                                       << u"wave 2 (32%) would get 0 of 5 devices"_s;
    QTest::newRow("first wave of 0 refused") << u"10%,100%"_s << 0 << false << 5 << QList<int>{}
                                             << u"wave 1 (10%) would get 0 of 5 devices"_s;
    QTest::newRow("last wave of 0 refused") << u"3,100%"_s << 0 << false << 3 << QList<int>{}
                                            << u"wave 2 (100%) would get 0 of 3 devices"_s;
    QTest::newRow("count wave too big") << u"8,100%"_s << 0 << false << 5 << QList<int>{}
                                        << u"wave 1 (8 devices) needs more than the 5 of 5 devices left"_s;
    QTest::newRow("canary takes all") << u"100%"_s << 5 << false << 5 << QList<int>{}
                                      << u"the canary (5) would take 5 of 5 devices and leave none for the waves"_s;
    QTest::newRow("no targets") << u"100%"_s << 0 << false << 0 << QList<int>{} << u"no target devices"_s;
}

void TestOtaRolloutPlan::waveSizes()
{
    QFETCH(QString, waves);
    QFETCH(int, canary);
    QFETCH(bool, canaryPercent);
    QFETCH(int, targets);
    QFETCH(QList<int>, sizes);
    QFETCH(QString, error);
    QString why;
    const QList<int> got = planOf(waves, canary, canaryPercent).waveSizes(targets, &why);
    QCOMPARE(got, sizes);
    QCOMPARE(why, error);
    if (!got.isEmpty()) {
        int sum = 0;
        for (int s : got)
            sum += s;
        QCOMPARE(sum, targets);  // every target in exactly one wave
    }
}

void TestOtaRolloutPlan::waveParsing_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("normalized");  // empty = refused
    QTest::newRow("percent list") << u"10%,50%,100%"_s << u"10%,50%,100%"_s;
    QTest::newRow("spaces") << u" 10% , 100% "_s << u"10%,100%"_s;
    QTest::newRow("counts") << u"5,20"_s << u"5,20"_s;
    QTest::newRow("zero percent") << u"0%,100%"_s << QString();
    QTest::newRow("over 100") << u"150%"_s << QString();
    QTest::newRow("negative") << u"-5"_s << QString();
    QTest::newRow("garbage") << u"ten"_s << QString();
    QTest::newRow("empty item") << u"10%,,100%"_s << QString();
    QTest::newRow("fraction") << u"12.5%"_s << QString();
}

void TestOtaRolloutPlan::waveParsing()
{
    QFETCH(QString, text);
    QFETCH(QString, normalized);
    QString error;
    const auto waves = RolloutPlan::parseWaves(text, &error);
    if (normalized.isEmpty()) {
        QVERIFY(!waves);
        QVERIFY(!error.isEmpty());
        return;
    }
    QVERIFY2(waves, qPrintable(error));
    RolloutPlan p;
    p.waves = *waves;
    QCOMPARE(p.wavesString(), normalized);
}

void TestOtaRolloutPlan::validationReasons_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("reasonStart");
    QTest::newRow("percentages must increase") << u"waves"_s << u"wave 2 (30%): percentages must increase"_s;
    QTest::newRow("rate") << u"rate"_s << u"rate: 1 to 1000"_s;
    QTest::newRow("factor") << u"factor"_s << u"rate increase: the factor must be 1.1 to 5"_s;
    QTest::newRow("factor without count") << u"every"_s << u"rate increase: needs the number of devices"_s;
    QTest::newRow("timeout") << u"timeout"_s << u"timeout: 60 to 604800"_s;
    QTest::newRow("retries") << u"retries"_s << u"retries: 0 to 10"_s;
    QTest::newRow("abort threshold") << u"abort"_s << u"abort (failed): the threshold must be 1% to 100%"_s;
    QTest::newRow("canary percent") << u"canary"_s << u"canary: a percentage must be 1% to 50%"_s;
}

void TestOtaRolloutPlan::validationReasons()
{
    QFETCH(QString, field);
    QFETCH(QString, reasonStart);
    RolloutPlan p;
    QVERIFY(p.validate().isEmpty());
    if (field == u"waves")
        p = planOf(u"50%,30%,100%"_s);
    else if (field == u"rate")
        p.ratePerMinute = 1001;
    else if (field == u"factor") {
        p.ratePerMinute = 10;
        p.rateIncreaseFactor = 6;
        p.rateIncreaseEvery = 5;
    } else if (field == u"every") {
        p.ratePerMinute = 10;
        p.rateIncreaseFactor = 2;
    } else if (field == u"timeout")
        p.deviceTimeoutS = 59;
    else if (field == u"retries")
        p.retries = 11;
    else if (field == u"abort")
        p.abortCriteria = {{RolloutAbortCriterion::Kind::Failed, 0, 10}};
    else if (field == u"canary") {
        p.canary = 60;
        p.canaryPercent = true;
    }
    const QString reason = p.validate();
    QVERIFY2(reason.startsWith(reasonStart), qPrintable(reason));
    QString error;
    QVERIFY(p.waveSizes(100, &error).isEmpty());
    QCOMPARE(error, reason);
}

void TestOtaRolloutPlan::jsonRoundTrip()
{
    RolloutPlan p = planOf(u"10%,25,100%"_s, 5, true);
    p.ratePerMinute = 20;
    p.rateIncreaseFactor = 1.5;
    p.rateIncreaseEvery = 10;
    p.successThresholdPct = 90;
    p.afterWave = RolloutPlan::AfterWave::PauseForApproval;
    p.abortCriteria = {{RolloutAbortCriterion::Kind::TimedOut, 5, 10}, {RolloutAbortCriterion::Kind::All, 20, 3}};
    p.deviceTimeoutS = 600;
    p.retries = 2;
    p.startAtMs = 1764500000000;
    p.window = MaintenanceWindow{22 * 60, 4 * 60};
    p.rollback = true;
    p.confirmAboveDevices = 10;
    QString error;
    const auto back = RolloutPlan::fromJsonBytes(p.toJsonBytes(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, p);
    // Defaults survive too, and an empty object is the default plan.
    QCOMPARE(*RolloutPlan::fromJsonBytes(RolloutPlan().toJsonBytes(), &error), RolloutPlan());
    QCOMPARE(*RolloutPlan::fromJsonBytes("{}", &error), RolloutPlan());
}

void TestOtaRolloutPlan::strictJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("not an object") << QByteArray("[1]");
    QTest::newRow("broken") << QByteArray("{\"waves\":");
    QTest::newRow("unknown key") << QByteArray("{\"wavez\":[\"100%\"]}");
    QTest::newRow("wave as number") << QByteArray("{\"waves\":[100]}");
    QTest::newRow("empty waves") << QByteArray("{\"waves\":[]}");
    QTest::newRow("too many waves") << QByteArray("{\"waves\":[" + QByteArray("\"1\",").repeated(30) + "\"100%\"]}");
    QTest::newRow("retries as string") << QByteArray("{\"retries\":\"2\"}");
    QTest::newRow("retries fraction") << QByteArray("{\"retries\":1.5}");
    QTest::newRow("timeout out of range") << QByteArray("{\"device_timeout_s\":10}");
    QTest::newRow("bad after_wave") << QByteArray("{\"after_wave\":\"stop\"}");
    QTest::newRow("bad abort kind") << QByteArray("{\"abort\":[{\"kind\":\"x\",\"threshold_pct\":5,\"min_executed\":1}]}");
    QTest::newRow("abort extra key") << QByteArray(
        "{\"abort\":[{\"kind\":\"all\",\"threshold_pct\":5,\"min_executed\":1,\"x\":1}]}");
    QTest::newRow("bad window") << QByteArray("{\"window\":\"25:00-02:00\"}");
    QTest::newRow("huge") << QByteArray("{\"name\":\"" + QByteArray(20000, 'x') + "\"}");
    QTest::newRow("negative start") << QByteArray("{\"start_at_ms\":-1}");
}

void TestOtaRolloutPlan::strictJson()
{
    QFETCH(QByteArray, json);
    QString error;
    QVERIFY(!RolloutPlan::fromJsonBytes(json, &error));
    QVERIFY(!error.isEmpty());
}

void TestOtaRolloutPlan::window()
{
    const auto at = [](const char *iso) {
        return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toMSecsSinceEpoch();
    };
    QString error;
    const auto night = MaintenanceWindow::parse(u"22:00-02:00"_s, &error);
    QVERIFY2(night, qPrintable(error));
    QVERIFY(night->contains(at("2026-11-30T23:00:00Z")));
    QVERIFY(night->contains(at("2026-12-01T01:59:00Z")));
    QVERIFY(!night->contains(at("2026-12-01T02:00:00Z")));
    QVERIFY(!night->contains(at("2026-12-01T12:00:00Z")));
    QCOMPARE(night->nextOpeningMs(at("2026-12-01T12:00:00Z")), at("2026-12-01T22:00:00Z"));
    QCOMPARE(night->nextOpeningMs(at("2026-12-01T23:30:00Z")), at("2026-12-01T23:30:00Z"));
    const auto day = MaintenanceWindow::parse(u"02:00-04:00"_s, &error);
    QVERIFY(day);
    QCOMPARE(day->nextOpeningMs(at("2026-12-01T05:00:00Z")), at("2026-12-02T02:00:00Z"));
    QCOMPARE(day->toString(), u"02:00-04:00"_s);
    QVERIFY(!MaintenanceWindow::parse(u"02:00-02:00"_s, &error));
    QVERIFY(!MaintenanceWindow::parse(u"2-4"_s, &error));
    QVERIFY(!MaintenanceWindow::parse(u"02:60-04:00"_s, &error));
}

void TestOtaRolloutPlan::rateIncrease()
{
    RolloutPlan p;
    QCOMPARE(p.currentRatePerMinute(100), 0);  // unlimited
    p.ratePerMinute = 10;
    QCOMPARE(p.currentRatePerMinute(100), 10);
    p.rateIncreaseFactor = 2;
    p.rateIncreaseEvery = 5;
    QCOMPARE(p.currentRatePerMinute(0), 10);
    QCOMPARE(p.currentRatePerMinute(4), 10);
    QCOMPARE(p.currentRatePerMinute(5), 20);
    QCOMPARE(p.currentRatePerMinute(12), 40);
    QCOMPARE(p.currentRatePerMinute(1000000), 1000);  // capped
}

QTEST_GUILESS_MAIN(TestOtaRolloutPlan)
#include "test_ota_rollout_plan.moc"
