#include "tests/support/path_handle_sink.h"
#include "core/protocol/decode_sink.h"
#include "core/protocol/sparkplug/sparkplug_decoder.h"
#include "sparkplug_test_messages.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace fd;
using namespace fd::sparkplug_test;

namespace {

// Every event as one line of text, so a table row can say exactly what must happen:
//   status PATH online [name=..] [model=..] [fw=..] [site=..]
//   death PATH @T
//   session PATH bdSeq=B births=N deaths=M [cause=...]
//   metrics PATH @T name=value ...
//   reject PATH|- reason: detail
//   rebirth PATH -> TOPIC: cause
class RecordingSink final : public test::PathHandleSink
{
public:
    void status(int handle, const DeviceStatus &s) override
    {
        QString line = QStringLiteral("status ") + m_paths.at(handle) + (s.online ? u" online" : u" offline");
        if (s.name) line += QStringLiteral(" name=") + *s.name;
        if (s.model) line += QStringLiteral(" model=") + *s.model;
        if (s.fwVersion) line += QStringLiteral(" fw=") + *s.fwVersion;
        if (s.site) line += QStringLiteral(" site=") + *s.site;
        QCOMPARE(s.deviceId, m_ids.at(handle));
        events.append(line);
    }
    void death(int handle, qint64 tsMs) override { events.append(QStringLiteral("death %1 @%2").arg(m_paths.at(handle)).arg(tsMs)); }
    void session(int handle, const SparkplugSession &s) override
    {
        QString line = QStringLiteral("session %1 bdSeq=%2 births=%3 deaths=%4").arg(m_paths.at(handle)).arg(s.bdSeq).arg(s.births).arg(s.deaths);
        if (!s.lastRebirthCause.isEmpty())
            line += QStringLiteral(" cause=") + s.lastRebirthCause;
        events.append(line);
        sessions[m_paths.at(handle)] = s;
    }
    void metrics(int handle, TelemetrySample &&sample) override
    {
        QString line = QStringLiteral("metrics %1 @%2").arg(m_paths.at(handle)).arg(sample.timestampMs);
        for (const MetricValue &m : std::as_const(sample.metrics))
            line += u' ' + m.name + u'=' + m.displayText();
        QCOMPARE(sample.seq, 0u);
        events.append(line);
        samples.append(std::move(sample));
    }
    void reject(int handle, RejectReason reason, const QString &detail) override
    {
        events.append(QStringLiteral("reject %1 %2: %3").arg(handle < 0 ? QStringLiteral("-") : m_paths.at(handle), rejectReasonKey(reason), detail));
    }
    void commandResponse(QByteArrayView, const QByteArray &) override { events.append(QStringLiteral("response")); }
    void sendToDevice(QByteArrayView path, const QString &name, const QString &topic, const QByteArray &payload,
                      const QString &reason) override
    {
        QCOMPARE(name, QStringLiteral("rebirth"));
        events.append(QStringLiteral("rebirth %1 -> %2: %3").arg(QString::fromUtf8(path), topic, reason));
        commands.append(payload);
    }

    QStringList events;
    QList<TelemetrySample> samples;
    QHash<QString, SparkplugSession> sessions;
    QList<QByteArray> commands;

private:
};

struct Step
{
    enum Op { Message, Tick, Lost };
    Op op = Message;
    qint64 at = 0;
    QByteArray topic;
    QByteArray payload;
};

Step msg(qint64 at, const QByteArray &topic, const QByteArray &payload)
{
    return Step{Step::Message, at, topic, payload};
}
Step tick(qint64 at)
{
    return Step{Step::Tick, at, {}, {}};
}
Step lost(qint64 at)
{
    return Step{Step::Lost, at, {}, {}};
}

SparkplugDecoder::Options options()
{
    SparkplugDecoder::Options o;
    o.hostId = QStringLiteral("fleetdeck-test");
    o.reorderTimeoutMs = 2000;
    o.rebirthRetryMs = 10000;
    return o;
}

void run(SparkplugDecoder &decoder, RecordingSink &sink, const QList<Step> &steps)
{
    for (const Step &s : steps) {
        switch (s.op) {
        case Step::Message: {
            MqttMessage m;
            m.topic = s.topic;
            m.payload = s.payload;
            m.receivedMs = s.at;
            decoder.decode(m, sink);
            break;
        }
        case Step::Tick:
            if (decoder.nextDeadlineMs() > 0 && decoder.nextDeadlineMs() <= s.at)
                decoder.tick(s.at, sink);
            break;
        case Step::Lost:
            decoder.connectionChanged(false, s.at, sink);
            break;
        }
    }
}

const QString kBirth = QStringLiteral("status g/n online name=n site=g");

} // namespace

Q_DECLARE_METATYPE(QList<Step>)

class TestSparkplugDecoder : public QObject
{
    Q_OBJECT
private slots:
    void basics();
    void stateMachine_data();
    void stateMachine();
    void rebirthCommand();
    void definitions();
    void deadlines();
    void holdIsBounded();
    void samplesByTimestamp();
    void oversize();
    void decodeCost();
    void writeFuzzSeeds();
};

void TestSparkplugDecoder::basics()
{
    SparkplugDecoder decoder(options());
    QCOMPARE(decoder.protocolName(), QStringLiteral("sparkplug-b"));
    QCOMPARE(decoder.subscriptions(), QStringList{QStringLiteral("spBv1.0/#")});
    QVERIFY(decoder.claims("spBv1.0/g/NDATA/n"));
    QVERIFY(decoder.claims("spBv1.0/STATE/x"));
    QVERIFY(!decoder.claims("spBv1.0"));
    QVERIFY(!decoder.claims("fleetdeck/v1/dev/telemetry"));
    QCOMPARE(decoder.nextDeadlineMs(), 0);
}

void TestSparkplugDecoder::stateMachine_data()
{
    QTest::addColumn<QList<Step>>("steps");
    QTest::addColumn<QStringList>("expected");

    const QString session1 = QStringLiteral("session g/n bdSeq=5 births=1 deaths=0");
    const QString birthValues = QStringLiteral("metrics g/n @1000 temperature=20 count=0");

    QTest::newRow("NBIRTH then NDATA by alias")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5, nodeMetrics())), msg(1100, topic("NDATA"), ndata(1, 21.5))}
        << QStringList{kBirth, session1, birthValues, QStringLiteral("metrics g/n @1100 temperature=21.5")};

    QTest::newRow("NDATA by name, payload timestamp")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5, nodeMetrics())),
                       msg(1100, topic("NDATA"), payload(1, {metric("count", std::nullopt, DT::UInt32, quint64(4))}, 900))}
        << QStringList{kBirth, session1, birthValues, QStringLiteral("metrics g/n @900 count=4")};

    QTest::newRow("seq wraps 255 -> 0")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(254, 5, nodeMetrics())), msg(1100, topic("NDATA"), ndata(255, 1)),
                       msg(1200, topic("NDATA"), ndata(0, 2)), msg(1300, topic("NDATA"), ndata(1, 3))}
        << QStringList{kBirth, session1, birthValues, QStringLiteral("metrics g/n @1100 temperature=1"),
                       QStringLiteral("metrics g/n @1200 temperature=2"), QStringLiteral("metrics g/n @1300 temperature=3")};

    QTest::newRow("a redelivered message is dropped")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5, nodeMetrics())), msg(1100, topic("NDATA"), ndata(1, 21)),
                       msg(1150, topic("NDATA"), ndata(1, 21)), tick(9000), msg(9100, topic("NDATA"), ndata(2, 22))}
        << QStringList{kBirth, session1, birthValues, QStringLiteral("metrics g/n @1100 temperature=21"),
                       QStringLiteral("metrics g/n @9100 temperature=22")};

    QTest::newRow("gap held, then filled in time")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5, nodeMetrics())), msg(1100, topic("NDATA"), ndata(2, 22)),
                       tick(2000), msg(1200, topic("NDATA"), ndata(1, 21)), tick(9000)}
        << QStringList{kBirth, session1, birthValues, QStringLiteral("metrics g/n @1200 temperature=21"),
                       QStringLiteral("metrics g/n @1100 temperature=22")};

    QTest::newRow("gap not filled: held applied at the timeout, then rebirth")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5, nodeMetrics())), msg(1100, topic("NDATA"), ndata(3, 23)),
                       msg(1150, topic("NDATA"), ndata(2, 22)), tick(3099), tick(3100),
                       msg(3200, topic("NDATA"), ndata(4, 24))}
        << QStringList{kBirth, session1, birthValues,
                       QStringLiteral("reject g/n seq_gap: seq gap: expected 1, got 3"),
                       QStringLiteral("metrics g/n @1150 temperature=22"), QStringLiteral("metrics g/n @1100 temperature=23"),
                       QStringLiteral("rebirth g/n -> spBv1.0/g/NCMD/n: seq gap: expected 1, got 3"),
                       QStringLiteral("session g/n bdSeq=5 births=1 deaths=0 cause=seq gap: expected 1, got 3"),
                       QStringLiteral("metrics g/n @3200 temperature=24")};

    QTest::newRow("unknown alias held, then dropped at the timeout with a rebirth")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5, nodeMetrics())),
                       msg(1100, topic("NDATA"), payload(1, {byAlias(1, DT::Double, 5.0), byAlias(42, DT::Int32, qint64(7))})),
                       msg(1200, topic("NDATA"), ndata(2, 6)), tick(3100)}
        << QStringList{kBirth, session1, birthValues,
                       QStringLiteral("metrics g/n @1100 temperature=5"),
                       QStringLiteral("reject g/n unknown_alias: unknown alias 42 in NDATA of n"),
                       QStringLiteral("rebirth g/n -> spBv1.0/g/NCMD/n: unknown alias 42 in NDATA of n"),
                       QStringLiteral("session g/n bdSeq=5 births=1 deaths=0 cause=unknown alias 42 in NDATA of n"),
                       QStringLiteral("metrics g/n @1200 temperature=6")};

    const QString noSession = QStringLiteral("NDATA of n without a session of edge node n (no NBIRTH since FleetDeck connected, or since its death)");
    QTest::newRow("DATA before any BIRTH: reject and rebirth, rate-limited")
        << QList<Step>{msg(1000, topic("NDATA"), ndata(5, 1)), msg(2000, topic("NDATA"), ndata(6, 1)),
                       msg(11000, topic("NDATA"), ndata(7, 1))}
        << QStringList{QStringLiteral("reject g/n no_session: ") + noSession,
                       QStringLiteral("rebirth g/n -> spBv1.0/g/NCMD/n: ") + noSession,
                       QStringLiteral("reject g/n no_session: ") + noSession,
                       QStringLiteral("reject g/n no_session: ") + noSession,
                       QStringLiteral("rebirth g/n -> spBv1.0/g/NCMD/n: ") + noSession};

    const QString dbirthNoSession = QStringLiteral("DBIRTH of d without a session of edge node n (no NBIRTH since FleetDeck connected, or since its death)");
    QTest::newRow("DBIRTH before NBIRTH")
        << QList<Step>{msg(1000, topic("DBIRTH", "n", "d"), payload(3, deviceMetrics()))}
        << QStringList{QStringLiteral("reject g/n/d no_session: ") + dbirthNoSession,
                       QStringLiteral("rebirth g/n -> spBv1.0/g/NCMD/n: ") + dbirthNoSession};

    QTest::newRow("NDEATH of an older bdSeq ignored, of the current one applied")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5, nodeMetrics())), msg(2000, topic("NDEATH"), ndeath(4)),
                       msg(3000, topic("NDEATH"), ndeath(5, 10))}
        << QStringList{kBirth, session1, birthValues, QStringLiteral("death g/n @3000"),
                       QStringLiteral("session g/n bdSeq=5 births=1 deaths=1")};

    QTest::newRow("NDEATH: node and devices dead at its receive time")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5)), msg(1100, topic("DBIRTH", "n", "d1"), payload(1, deviceMetrics())),
                       msg(1200, topic("DBIRTH", "n", "d2"), payload(2, {})), msg(5000, topic("NDEATH"), ndeath(5, 10))}
        << QStringList{kBirth, session1,
                       QStringLiteral("status g/n/d1 online name=d1 site=g"), QStringLiteral("session g/n/d1 bdSeq=5 births=1 deaths=0"),
                       QStringLiteral("metrics g/n/d1 @1100 level=1.5 state=idle"),
                       QStringLiteral("status g/n/d2 online name=d2 site=g"), QStringLiteral("session g/n/d2 bdSeq=5 births=1 deaths=0"),
                       QStringLiteral("death g/n @5000"), QStringLiteral("session g/n bdSeq=5 births=1 deaths=1"),
                       QStringLiteral("death g/n/d1 @5000"), QStringLiteral("session g/n/d1 bdSeq=5 births=1 deaths=1"),
                       QStringLiteral("death g/n/d2 @5000"), QStringLiteral("session g/n/d2 bdSeq=5 births=1 deaths=1")};

    QTest::newRow("connection lost: everything dead, then DATA is not guessed at")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5)), msg(1100, topic("DBIRTH", "n", "d"), payload(1, {})),
                       lost(4000), msg(5000, topic("DDATA", "n", "d"), ddata(2, 3.0f))}
        << QStringList{kBirth, session1, QStringLiteral("status g/n/d online name=d site=g"),
                       QStringLiteral("session g/n/d bdSeq=5 births=1 deaths=0"),
                       QStringLiteral("death g/n @4000"), QStringLiteral("session g/n bdSeq=5 births=1 deaths=1"),
                       QStringLiteral("death g/n/d @4000"), QStringLiteral("session g/n/d bdSeq=5 births=1 deaths=1"),
                       QStringLiteral("reject g/n/d no_session: DDATA of d without a session of edge node n (no NBIRTH since FleetDeck connected, or since its death)"),
                       QStringLiteral("rebirth g/n -> spBv1.0/g/NCMD/n: DDATA of d without a session of edge node n (no NBIRTH since FleetDeck connected, or since its death)"),
                       QStringLiteral("session g/n bdSeq=5 births=1 deaths=1 cause=DDATA of d without a session of edge node n (no NBIRTH since FleetDeck connected, or since its death)")};

    QTest::newRow("rebirth after death")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5)), msg(2000, topic("NDEATH"), ndeath(5)),
                       msg(3000, topic("NBIRTH"), nbirth(0, 6, nodeMetrics())), msg(3100, topic("NDATA"), ndata(1, 30))}
        << QStringList{kBirth, session1, QStringLiteral("death g/n @2000"), QStringLiteral("session g/n bdSeq=5 births=1 deaths=1"),
                       QStringLiteral("status g/n online"), QStringLiteral("session g/n bdSeq=6 births=2 deaths=1"),
                       QStringLiteral("metrics g/n @3000 temperature=20 count=0"), QStringLiteral("metrics g/n @3100 temperature=30")};

    QTest::newRow("DDEATH at its timestamp; DDATA after it is not guessed at")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5)), msg(1100, topic("DBIRTH", "n", "d"), payload(1, deviceMetrics())),
                       msg(1200, topic("DDATA", "n", "d"), ddata(2, 2.5f)), msg(2000, topic("DDEATH", "n", "d"), payload(3, {}, 1500)),
                       msg(2100, topic("DDATA", "n", "d"), ddata(4, 3.5f)), msg(2200, topic("NDATA"), ndata(5, 1))}
        << QStringList{kBirth, session1, QStringLiteral("status g/n/d online name=d site=g"),
                       QStringLiteral("session g/n/d bdSeq=5 births=1 deaths=0"), QStringLiteral("metrics g/n/d @1100 level=1.5 state=idle"),
                       QStringLiteral("metrics g/n/d @1200 level=2.5"),
                       QStringLiteral("death g/n/d @1500"), QStringLiteral("session g/n/d bdSeq=5 births=1 deaths=1"),
                       QStringLiteral("reject g/n/d no_session: DDATA of d before its DBIRTH in the edge node's session"),
                       QStringLiteral("rebirth g/n -> spBv1.0/g/NCMD/n: DDATA of d before its DBIRTH in the edge node's session"),
                       QStringLiteral("session g/n bdSeq=5 births=1 deaths=0 cause=DDATA of d before its DBIRTH in the edge node's session")};

    QTest::newRow("a new NBIRTH invalidates the devices until their DBIRTH")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5)), msg(1100, topic("DBIRTH", "n", "d"), payload(1, {})),
                       msg(2000, topic("NBIRTH"), nbirth(0, 5)), msg(2100, topic("DBIRTH", "n", "d"), payload(1, deviceMetrics())),
                       msg(2200, topic("DDATA", "n", "d"), ddata(2, 4.0f))}
        << QStringList{kBirth, session1, QStringLiteral("status g/n/d online name=d site=g"),
                       QStringLiteral("session g/n/d bdSeq=5 births=1 deaths=0"),
                       QStringLiteral("death g/n/d @2000"),
                       QStringLiteral("status g/n online"), QStringLiteral("session g/n bdSeq=5 births=2 deaths=0"),
                       QStringLiteral("status g/n/d online"), QStringLiteral("session g/n/d bdSeq=5 births=2 deaths=0"),
                       QStringLiteral("metrics g/n/d @2100 level=1.5 state=idle"), QStringLiteral("metrics g/n/d @2200 level=4")};

    QTest::newRow("seq counts over the node's and its devices' messages")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5, nodeMetrics())), msg(1100, topic("DBIRTH", "n", "d"), payload(1, {})),
                       msg(1200, topic("NDATA"), ndata(3, 1)), msg(1300, topic("DDATA", "n", "d"), payload(2, {})), tick(9000)}
        << QStringList{kBirth, session1, birthValues, QStringLiteral("status g/n/d online name=d site=g"),
                       QStringLiteral("session g/n/d bdSeq=5 births=1 deaths=0"), QStringLiteral("metrics g/n @1200 temperature=1")};

    QTest::newRow("STATE, NCMD and DCMD are not device data")
        << QList<Step>{msg(1000, "spBv1.0/STATE/fleetdeck-test", "{\"online\":true,\"timestamp\":1}"),
                       msg(1000, "spBv1.0/STATE/other-host", "garbage"), msg(1000, "spBv1.0/STATE", ""),
                       msg(1000, topic("NCMD"), "garbage"), msg(1000, topic("DCMD", "n", "d"), nbirth(0, 1))}
        << QStringList{};

    QTest::newRow("invalid topics")
        << QList<Step>{msg(1000, "spBv1.0/g/NFOO/n", ndata(0, 1)), msg(1000, "spBv1.0/g/NDATA/n+x", ndata(0, 1)),
                       msg(1000, "spBv1.0/g/DDATA/n", ddata(0, 1)), msg(1000, "spBv1.0/g/NDATA/n/extra", ndata(0, 1)),
                       msg(1000, "spBv1.0/g//NDATA/n", ndata(0, 1)), msg(1000, "spBv1.0/g/NDATA/", ndata(0, 1)),
                       msg(1000, "spBv1.0/g/NDATA/n\x01", ndata(0, 1)), msg(1000, "spBv1.0/g/DDATA/n/\xc2\x85", ddata(0, 1)),
                       msg(1000, "spBv1.0/g/NDATA/\xff", ndata(0, 1)),
                       msg(1000, QByteArray("spBv1.0/g/NDATA/") + QByteArray(129, 'x'), ndata(0, 1))}
        << QStringList{QStringLiteral("reject - unknown_topic: unknown Sparkplug B message type \"NFOO\""),
                       QStringLiteral("reject - bad_device_id: invalid edge node id: 1 to 128 bytes of UTF-8 without '/', '+', '#' or control characters"),
                       QStringLiteral("reject - unknown_topic: DDATA needs 5 topic segments after spBv1.0/, not 4"),
                       QStringLiteral("reject - unknown_topic: NDATA needs 4 topic segments after spBv1.0/, not 5"),
                       QStringLiteral("reject - unknown_topic: unknown Sparkplug B message type \"\""),
                       QStringLiteral("reject - bad_device_id: invalid edge node id: 1 to 128 bytes of UTF-8 without '/', '+', '#' or control characters"),
                       QStringLiteral("reject - bad_device_id: invalid edge node id: 1 to 128 bytes of UTF-8 without '/', '+', '#' or control characters"),
                       QStringLiteral("reject - bad_device_id: invalid device id: 1 to 128 bytes of UTF-8 without '/', '+', '#' or control characters"),
                       QStringLiteral("reject - bad_device_id: invalid edge node id: 1 to 128 bytes of UTF-8 without '/', '+', '#' or control characters"),
                       QStringLiteral("reject - bad_device_id: invalid edge node id: 1 to 128 bytes of UTF-8 without '/', '+', '#' or control characters")};

    QTest::newRow("payloads protobuf cannot parse")
        << QList<Step>{msg(1000, topic("NBIRTH"), "not protobuf at all"), msg(1000, topic("DDATA", "n", "d"), nbirth(0, 5).left(20))}
        << QStringList{QStringLiteral("reject g/n bad_protobuf: not a Sparkplug B payload: protobuf cannot parse these 19 bytes (truncated or not protobuf)"),
                       QStringLiteral("reject g/n/d bad_protobuf: not a Sparkplug B payload: protobuf cannot parse these 20 bytes (truncated or not protobuf)")};

    QTest::newRow("NBIRTH without seq or bdSeq")
        << QList<Step>{msg(1000, topic("NBIRTH"), payload(std::nullopt, {metric("bdSeq", std::nullopt, DT::Int64, qint64(1))})),
                       msg(1000, topic("NBIRTH"), payload(0, nodeMetrics())), msg(1000, topic("NBIRTH"), nbirth(256, 1)),
                       msg(1000, topic("NDEATH"), payload(std::nullopt, {}))}
        << QStringList{QStringLiteral("reject g/n missing_field: NBIRTH without seq"),
                       QStringLiteral("reject g/n missing_field: NBIRTH without an integer bdSeq metric"),
                       QStringLiteral("reject g/n wrong_type: NBIRTH seq 256 is not 0-255"),
                       QStringLiteral("reject g/n missing_field: NDEATH without an integer bdSeq metric")};

    QTest::newRow("DATA without seq")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5)), msg(1100, topic("NDATA"), payload(std::nullopt, {}))}
        << QStringList{kBirth, session1, QStringLiteral("reject g/n missing_field: NDATA without seq")};

    QTest::newRow("unsupported metrics left out, the others applied")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5, nodeMetrics())),
                       msg(1100, topic("NDATA"), payload(1, {byAlias(1, DT::String, QStringLiteral("hot")), byAlias(2, DT::UInt32, quint64(9)),
                                                             metric("odd", std::nullopt, DT(99), qint64(1))}))}
        << QStringList{kBirth, session1, birthValues, QStringLiteral("metrics g/n @1100 count=9"),
                       QStringLiteral("reject g/n unsupported_metric: NDATA of n (2 metrics left out): temperature: Double value in string_value (expected double_value); odd: unknown datatype 99")};

    QTest::newRow("Properties/* give the attributes")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5, {metric("Properties/Name", std::nullopt, DT::String, QStringLiteral("Press 4")),
                                                                metric("Properties/Model", std::nullopt, DT::String, QStringLiteral("GX-1")),
                                                                metric("Properties/Firmware", std::nullopt, DT::Text, QStringLiteral("2.1")),
                                                                metric("Properties/Site", std::nullopt, DT::String, QStringLiteral("Lyon"))}))}
        << QStringList{QStringLiteral("status g/n online name=Press 4 model=GX-1 fw=2.1 site=Lyon"), session1,
                       QStringLiteral("metrics g/n @1000 Properties/Name=Press 4 Properties/Model=GX-1 Properties/Firmware=2.1 Properties/Site=Lyon")};

    QTest::newRow("a gap before a new NBIRTH: the old session's held data applied, no rebirth")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5, nodeMetrics())), msg(1100, topic("NDATA"), ndata(2, 22)),
                       msg(1200, topic("NBIRTH"), nbirth(0, 6, nodeMetrics())), tick(9000)}
        << QStringList{kBirth, session1, birthValues, QStringLiteral("metrics g/n @1100 temperature=22"),
                       QStringLiteral("status g/n online"), QStringLiteral("session g/n bdSeq=6 births=2 deaths=0"),
                       QStringLiteral("metrics g/n @1200 temperature=20 count=0")};

    QTest::newRow("DATA that overtook its NBIRTH waits for it")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5, nodeMetrics())), msg(1100, topic("NDATA"), ndata(1, 21)),
                       msg(1150, topic("NDATA"), ndata(2, 22)), msg(1200, topic("NDATA"), ndata(1, 31)),
                       msg(1300, topic("NBIRTH"), nbirth(0, 6, nodeMetrics())), tick(9000)}
        << QStringList{kBirth, session1, birthValues, QStringLiteral("metrics g/n @1100 temperature=21"),
                       QStringLiteral("metrics g/n @1150 temperature=22"), QStringLiteral("status g/n online"), QStringLiteral("session g/n bdSeq=6 births=2 deaths=0"),
                       QStringLiteral("metrics g/n @1300 temperature=20 count=0"), QStringLiteral("metrics g/n @1200 temperature=31")};

    QTest::newRow("held messages are applied before a connection loss")
        << QList<Step>{msg(1000, topic("NBIRTH"), nbirth(0, 5, nodeMetrics())), msg(1100, topic("NDATA"), ndata(2, 22)), lost(1500)}
        << QStringList{kBirth, session1, birthValues, QStringLiteral("metrics g/n @1100 temperature=22"),
                       QStringLiteral("death g/n @1500"), QStringLiteral("session g/n bdSeq=5 births=1 deaths=1")};
}

void TestSparkplugDecoder::stateMachine()
{
    QFETCH(QList<Step>, steps);
    QFETCH(QStringList, expected);
    SparkplugDecoder decoder(options());
    RecordingSink sink;
    run(decoder, sink, steps);
    if (sink.events != expected) {
        qWarning().noquote() << "got:\n  " << sink.events.join(QStringLiteral("\n  "));
        qWarning().noquote() << "expected:\n  " << expected.join(QStringLiteral("\n  "));
    }
    QCOMPARE(sink.events, expected);
}

void TestSparkplugDecoder::rebirthCommand()
{
    SparkplugDecoder decoder(options());
    RecordingSink sink;
    run(decoder, sink, {msg(1000, topic("NBIRTH"), nbirth(0, 5, nodeMetrics())), msg(1100, topic("NDATA"), ndata(7, 1)), tick(3100)});
    QCOMPARE(sink.commands.size(), 1);
    SparkplugCodec codec;
    DecodeError error;
    const auto ncmd = codec.decode(sink.commands.first(), &error);
    QVERIFY(ncmd);
    QCOMPARE(ncmd->metrics.size(), 1);
    const SparkplugMetric &m = ncmd->metrics.first();
    QCOMPARE(m.name, QStringLiteral("Node Control/Rebirth"));
    QCOMPARE(m.datatype, sparkplugCode(DT::Boolean));
    QVERIFY(sparkplugSameValue(m.value, true));
    QCOMPARE(ncmd->timestamp, std::optional<quint64>(3100));
    const SparkplugSession s = sink.sessions.value(QStringLiteral("g/n"));
    QCOMPARE(s.lastRebirthCause, QStringLiteral("seq gap: expected 1, got 7"));
    QCOMPARE(s.lastRebirthMs, 3100);
}

void TestSparkplugDecoder::definitions()
{
    SparkplugPropertySet readOnly;
    readOnly.keys = {QStringLiteral("readOnly")};
    readOnly.values = {{sparkplugCode(DT::Boolean), false, true}};
    SparkplugMetric locked = metric("locked", 5, DT::Int32, qint64(1));
    locked.properties = readOnly;
    SparkplugMetric nullDouble = metric("setpoint", 6, DT::Double, std::monostate());
    nullDouble.isNull = true;
    SparkplugDecoder decoder(options());
    RecordingSink sink;
    run(decoder, sink, {msg(1000, topic("NBIRTH"),
                            nbirth(0, 5, {metric("temperature", 1, DT::Double, 20.0), locked, nullDouble,
                                          metric("arr", 7, DT::Int16Array, QList<qint64>{1, 2}),
                                          metric("Node Control/Reboot", 8, DT::Boolean, false)}))});
    const SparkplugSession s = sink.sessions.value(QStringLiteral("g/n"));
    QVERIFY(s.metrics);
    QCOMPARE(s.metrics->size(), 7);
    QCOMPARE(*s.definition(QStringLiteral("temperature")), (SparkplugMetricDefinition{1, true, sparkplugCode(DT::Double), true}));
    QCOMPARE(s.definition(QStringLiteral("locked"))->writable, false);
    QCOMPARE(s.definition(QStringLiteral("setpoint"))->writable, true);  // null now, writable all the same
    QCOMPARE(s.definition(QStringLiteral("arr"))->writable, false);
    QCOMPARE(s.definition(QStringLiteral("bdSeq"))->writable, false);
    QCOMPARE(s.definition(QStringLiteral("Node Control/Rebirth"))->writable, false);
    QCOMPARE(s.definition(QStringLiteral("Node Control/Reboot"))->writable, false);
    QCOMPARE(s.bdSeq, 5);
    QCOMPARE(s.lastBirthMs, 1000);
    // is_null: no value for it; arrays as text.
    QCOMPARE(sink.events.last(), QStringLiteral("metrics g/n @1000 temperature=20 locked=1 arr=[1, 2]"));
}

void TestSparkplugDecoder::deadlines()
{
    SparkplugDecoder decoder(options());
    RecordingSink sink;
    run(decoder, sink, {msg(1000, topic("NBIRTH"), nbirth(0, 5, nodeMetrics())), msg(1100, topic("NDATA"), ndata(2, 1)),
                        msg(1000, "spBv1.0/g/NBIRTH/m", nbirth(0, 1, nodeMetrics())), msg(1050, "spBv1.0/g/NDATA/m", ndata(5, 1))});
    QCOMPARE(decoder.nextDeadlineMs(), 3050);
    decoder.tick(3050, sink);
    QCOMPARE(decoder.nextDeadlineMs(), 3100);
    decoder.tick(3100, sink);
    QCOMPARE(decoder.nextDeadlineMs(), 0);
    QCOMPARE(sink.commands.size(), 2);
}

void TestSparkplugDecoder::holdIsBounded()
{
    // Seq 1 never comes: past 128 held messages the decoder acts at once, without waiting
    // for the timeout, and the messages after that are in order again.
    {
        SparkplugDecoder decoder(options());
        RecordingSink sink;
        QList<Step> steps{msg(1000, topic("NBIRTH"), nbirth(0, 5, nodeMetrics()))};
        for (int i = 0; i < 300; ++i)
            steps.append(msg(1001 + i, topic("NDATA"), ndata(quint64((i + 2) % 256), i)));
        run(decoder, sink, steps);
        QCOMPARE(sink.commands.size(), 1);
        QCOMPARE(sink.events.at(3), QStringLiteral("reject g/n seq_gap: seq gap: expected 1, got 2"));
        QCOMPARE(sink.samples.size(), 301);
        QCOMPARE(decoder.nextDeadlineMs(), 0);
        for (int i = 0; i < 300; ++i)
            QCOMPARE(sink.samples.at(i + 1).metrics.at(0).value, double(i));  // in seq order
    }
    // The bytes bound: 4 MiB held.
    {
        SparkplugDecoder decoder(options());
        RecordingSink sink;
        QList<Step> steps{msg(1000, topic("NBIRTH"), nbirth(0, 5, nodeMetrics()))};
        const QString big(60 * 1024, u'x');
        for (int i = 0; i < 70; ++i)
            steps.append(msg(1001 + i, topic("NDATA"), payload(quint64(i + 2), {metric("blob", std::nullopt, DT::String, big)})));
        run(decoder, sink, steps);
        QCOMPARE(sink.commands.size(), 1);
        QCOMPARE(decoder.nextDeadlineMs(), 0);
    }
}

void TestSparkplugDecoder::samplesByTimestamp()
{
    SparkplugMetric historical = byAlias(1, DT::Double, 10.0);
    historical.isHistorical = true;
    historical.timestamp = 500;
    SparkplugMetric later = byAlias(2, DT::UInt32, quint64(3));
    later.timestamp = 1150;
    SparkplugDecoder decoder(options());
    RecordingSink sink;
    run(decoder, sink, {msg(1000, topic("NBIRTH"), nbirth(0, 5, nodeMetrics())),
                        msg(1200, topic("NDATA"), payload(1, {byAlias(1, DT::Double, 30.0), later, historical}, 1100))});
    QCOMPARE(sink.events.mid(3), (QStringList{QStringLiteral("metrics g/n @500 temperature=10"),
                                              QStringLiteral("metrics g/n @1100 temperature=30"),
                                              QStringLiteral("metrics g/n @1150 count=3")}));
    // Names are interned: the alias map's name is the sample's.
    QVERIFY(sink.samples.at(1).metrics.at(0).name.isSharedWith(sink.samples.at(2).metrics.at(0).name));
    QVERIFY(sink.samples.at(3).metrics.at(0).name.isSharedWith(sink.samples.at(0).metrics.at(1).name));
    QVERIFY(sink.samples.at(1).metrics.at(0).name.isSharedWith(sink.samples.at(0).metrics.at(0).name));
}

void TestSparkplugDecoder::oversize()
{
    SparkplugDecoder::Options o = options();
    o.maxPayloadBytes = 100;
    SparkplugDecoder decoder(o);
    RecordingSink sink;
    MqttMessage m;
    m.topic = topic("NDATA");
    m.payload = QByteArray(101, 'x');
    decoder.decode(m, sink);
    m.topic = topic("DDATA", "n", "d");
    m.payload.clear();
    m.discardedPayloadBytes = 5000;
    decoder.decode(m, sink);
    QCOMPARE(sink.events, (QStringList{QStringLiteral("reject g/n oversize: payload of 101 bytes, the limit is 100"),
                                       QStringLiteral("reject g/n/d oversize: payload of 5000 bytes, the limit is 100")}));
}

// What one in-order DDATA of 10 metrics by alias costs (QBENCHMARK: reported, not asserted;
// `test_sparkplug_decoder decodeCost -iterations 100000` for a figure).
void TestSparkplugDecoder::decodeCost()
{
    QList<SparkplugMetric> birth;
    QList<SparkplugMetric> data;
    static const char *names[] = {"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"};
    for (int i = 0; i < 10; ++i) {
        birth.append(metric(names[i], quint64(i), DT::Double, 0.0));
        data.append(byAlias(quint64(i), DT::Double, double(i)));
    }
    SparkplugDecoder decoder(options());
    RecordingSink setupSink;
    run(decoder, setupSink, {msg(1000, topic("NBIRTH"), nbirth(0, 5)), msg(1000, topic("DBIRTH", "n", "d"), payload(1, birth))});
    QList<QByteArray> payloads;
    for (int s = 0; s < 256; ++s)
        payloads.append(payload(quint64(s), data, 1000));
    struct CountingSink final : DecodeSink
    {
        int device(QByteArrayView) override { return 0; }
        const QString &deviceId(int) const override { return id; }
        void status(int, const DeviceStatus &) override {}
        void death(int, qint64) override {}
        void session(int, const SparkplugSession &) override {}
        void metrics(int, TelemetrySample &&s) override { values += s.metrics.size(); }
        void reject(int, RejectReason, const QString &) override { ++rejects; }
        void commandResponse(QByteArrayView, const QByteArray &) override {}
        void sendToDevice(QByteArrayView, const QString &, const QString &, const QByteArray &, const QString &) override {}
        QString id = QStringLiteral("d");
        qint64 values = 0;
        int rejects = 0;
    } sink;
    MqttMessage m;
    m.topic = topic("DDATA", "n", "d");
    m.receivedMs = 2000;
    int seq = 2;
    QBENCHMARK {
        m.payload = payloads.at(seq);
        seq = (seq + 1) & 0xff;
        decoder.decode(m, sink);
    }
    QCOMPARE(sink.rejects, 0);
    QVERIFY(sink.values > 0);
}

// FLEETDECK_WRITE_FUZZ_SEEDS=fuzz/corpus/fuzz_sparkplug_decoder writes the seed corpus of
// the fuzz target (format: sparkplug_test_messages.h, fuzzRecord).
void TestSparkplugDecoder::writeFuzzSeeds()
{
    const QString dir = qEnvironmentVariable("FLEETDECK_WRITE_FUZZ_SEEDS");
    if (dir.isEmpty())
        QSKIP("set FLEETDECK_WRITE_FUZZ_SEEDS=DIR to write the fuzz seeds");
    QVERIFY(QDir().mkpath(dir));
    SparkplugTemplate motor;
    motor.templateRef = QStringLiteral("Motor");
    motor.metrics.append(metric("rpm", std::nullopt, DT::UInt32, quint64(1500)));
    SparkplugDataSet ds;
    ds.columns = {QStringLiteral("a")};
    ds.types = {sparkplugCode(DT::Int32)};
    ds.rows = {{qint64(1)}, {qint64(2)}};
    QList<SparkplugMetric> rich = nodeMetrics();
    rich.append(metric("motor", 3, DT::Template, SparkplugBox<SparkplugTemplate>(motor)));
    rich.append(metric("table", 4, DT::DataSet, SparkplugBox<SparkplugDataSet>(ds)));
    rich.append(metric("flags", 5, DT::BooleanArray, QList<bool>{true, false, true}));
    rich.append(metric("names", 6, DT::StringArray, QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    rich.append(metric("Properties/Name", std::nullopt, DT::String, QStringLiteral("Press")));
    const QMap<QString, QByteArray> seeds{
        {QStringLiteral("birth_data"), fuzzRecord(0, 0, topic("NBIRTH"), nbirth(0, 5, nodeMetrics()))
                                           + fuzzRecord(0, 1, topic("NDATA"), ndata(1, 21.5))},
        {QStringLiteral("rich_birth"), fuzzRecord(0, 0, topic("NBIRTH"), nbirth(0, 5, rich))
                                           + fuzzRecord(0, 1, topic("NDATA"), payload(1, {byAlias(3, DT::Template, SparkplugBox<SparkplugTemplate>(motor))}))},
        {QStringLiteral("device"), fuzzRecord(0, 0, topic("NBIRTH"), nbirth(0, 5))
                                       + fuzzRecord(0, 1, topic("DBIRTH", "n", "d"), payload(1, deviceMetrics()))
                                       + fuzzRecord(0, 1, topic("DDATA", "n", "d"), ddata(2, 2.5f))
                                       + fuzzRecord(0, 1, topic("DDEATH", "n", "d"), payload(3, {}))},
        {QStringLiteral("gap_timeout"), fuzzRecord(0, 0, topic("NBIRTH"), nbirth(0, 5, nodeMetrics()))
                                            + fuzzRecord(0, 1, topic("NDATA"), ndata(3, 1)) + fuzzRecord(1, 30)},
        {QStringLiteral("death_and_loss"), fuzzRecord(0, 0, topic("NBIRTH"), nbirth(0, 5))
                                               + fuzzRecord(0, 1, topic("NDEATH"), ndeath(4)) + fuzzRecord(2, 1)
                                               + fuzzRecord(0, 1, topic("NDATA"), ndata(1, 1))},
        {QStringLiteral("state"), fuzzRecord(0, 0, "spBv1.0/STATE/host", "{\"online\":true,\"timestamp\":1}")},
    };
    for (auto it = seeds.cbegin(); it != seeds.cend(); ++it) {
        QFile f(dir + u'/' + it.key());
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(it.value());
    }
}

QTEST_APPLESS_MAIN(TestSparkplugDecoder)
#include "test_sparkplug_decoder.moc"
