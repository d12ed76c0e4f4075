#include "core/commands/command_codec.h"
#include "core/commands/command_service.h"
#include "tests/core/commands/fake_command_publisher.h"

#include <QJsonDocument>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QThread>
#include <QTest>

using namespace fd;
using namespace Qt::StringLiterals;

namespace {

DeviceCommand ping(const QString &device = u"dev-1"_s, int timeoutMs = 10000)
{
    DeviceCommand c;
    c.target = {u"lab"_s, device};
    c.name = u"ping"_s;
    c.timeoutMs = timeoutMs;
    return c;
}

CommandService::Options options(int maxOutstanding = 1000, int historySize = 1000)
{
    CommandService::Options o;
    o.source = u"lab"_s;
    o.prefix = u"fleetdeck/v1"_s;
    o.maxOutstanding = maxOutstanding;
    o.historySize = historySize;
    return o;
}

QByteArray answer(const QString &wireId, bool ok, const QString &error = {})
{
    return CommandCodec::encodeResponse({wireId, ok, ok ? QJsonObject{{u"uptime_s"_s, 5}} : QJsonObject{}, error});
}

// Every record commandUpdated() carried.
struct Updates
{
    explicit Updates(CommandService &service)
    {
        QObject::connect(&service, &CommandService::commandUpdated, &service,
                         [this](const CommandRecord &r) { records.append(r); });
    }
    QStringList states(CommandId id) const
    {
        QStringList out;
        for (const CommandRecord &r : records) {
            if (r.id == id)
                out << commandStateKey(r.state);
        }
        return out;
    }
    QList<CommandRecord> records;
};

} // namespace

class TestCommandService : public QObject
{
    Q_OBJECT
private slots:
    void stateMachine_data();
    void stateMachine();
    void requestOnTheWire();
    void queuedWhileDisconnectedSentInOrderOnConnect();
    void expiredWhileQueuedIsNeverSent();
    void refusedPublishWhileConnectedFails();
    void queueIsBounded();
    void invalidCommandsAreRefused_data();
    void invalidCommandsAreRefused();
    void unknownDuplicateAndForeignAnswersAreIgnored();
    void garbageResponsesAreCounted_data();
    void garbageResponsesAreCounted();
    void historyIsBounded();
    void rawCommandIsPublishedAsIs();
    void manyTimeoutsExpireTogether();
    void worksOnAnotherThread();
    void cancelAllEndsEveryUnfinishedCommand();
};

void TestCommandService::stateMachine_data()
{
    QTest::addColumn<bool>("startConnected");
    QTest::addColumn<bool>("expectsAnswer");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<QStringList>("states");
    QTest::addColumn<QString>("reason");   // contained in the final record's reason
    QTest::addColumn<int>("ignored");      // ignored answers afterwards

    const QStringList full{u"queued"_s, u"sent"_s, u"acknowledged"_s};
    QTest::newRow("ack, answer ok") << true << true << 10000 << QStringList{u"ack"_s, u"answer-ok"_s}
                                    << full + QStringList{u"answered"_s} << QString() << 0;
    QTest::newRow("ack, answer error") << true << true << 10000 << QStringList{u"ack"_s, u"answer-error"_s}
                                       << full + QStringList{u"answered"_s} << u"bad interval"_s << 0;
    QTest::newRow("answer overtakes ack") << true << true << 10000 << QStringList{u"answer-ok"_s, u"ack"_s}
                                          << QStringList{u"queued"_s, u"sent"_s, u"answered"_s} << QString() << 0;
    QTest::newRow("timeout before ack") << true << true << 80 << QStringList{u"timeout"_s}
                                        << QStringList{u"queued"_s, u"sent"_s, u"timed_out"_s}
                                        << u"broker did not acknowledge"_s << 0;
    QTest::newRow("timeout after ack") << true << true << 80 << QStringList{u"ack"_s, u"timeout"_s}
                                       << full + QStringList{u"timed_out"_s} << u"device did not answer"_s << 0;
    QTest::newRow("timeout while queued") << false << true << 80 << QStringList{u"timeout"_s}
                                          << QStringList{u"queued"_s, u"timed_out"_s}
                                          << u"no connection to the broker within 80 ms (broker down)"_s << 0;
    QTest::newRow("cancel while queued") << false << true << 10000 << QStringList{u"cancel"_s}
                                         << QStringList{u"queued"_s, u"cancelled"_s} << u"before it was sent"_s << 0;
    QTest::newRow("cancel after ack") << true << true << 10000 << QStringList{u"ack"_s, u"cancel"_s}
                                      << full + QStringList{u"cancelled"_s} << u"may still"_s << 0;
    QTest::newRow("delivery fails") << true << true << 10000 << QStringList{u"fail"_s}
                                    << QStringList{u"queued"_s, u"sent"_s, u"failed"_s} << u"connection lost"_s << 0;
    QTest::newRow("no answer expected") << true << false << 10000 << QStringList{u"ack"_s} << full << QString() << 0;
    QTest::newRow("queued, connect, answered") << false << true << 10000
                                               << QStringList{u"connect"_s, u"ack"_s, u"answer-ok"_s}
                                               << full + QStringList{u"answered"_s} << QString() << 0;
    QTest::newRow("answer after cancel ignored") << true << true << 10000
                                                 << QStringList{u"ack"_s, u"cancel"_s, u"answer-ok"_s}
                                                 << full + QStringList{u"cancelled"_s} << u"may still"_s << 1;
    QTest::newRow("second answer ignored") << true << true << 10000
                                           << QStringList{u"ack"_s, u"answer-error"_s, u"answer-ok"_s}
                                           << full + QStringList{u"answered"_s} << u"bad interval"_s << 1;
    QTest::newRow("answer after timeout ignored") << true << true << 80
                                                  << QStringList{u"ack"_s, u"timeout"_s, u"answer-ok"_s}
                                                  << full + QStringList{u"timed_out"_s} << u"did not answer"_s << 1;
}

void TestCommandService::stateMachine()
{
    QFETCH(bool, startConnected);
    QFETCH(bool, expectsAnswer);
    QFETCH(int, timeoutMs);
    QFETCH(QStringList, steps);
    QFETCH(QStringList, states);
    QFETCH(QString, reason);
    QFETCH(int, ignored);

    test::FakeCommandPublisher publisher;
    publisher.setConnected(startConnected);
    CommandService service(&publisher, options());
    Updates updates(service);
    DeviceCommand c = ping(u"dev-1"_s, timeoutMs);
    c.expectsAnswer = expectsAnswer;
    const CommandId id = service.submit(c);
    QVERIFY(id > 0);
    const QString wireId = updates.records.first().wireId;

    for (const QString &step : std::as_const(steps)) {
        if (step == u"ack") {
            publisher.ack(publisher.published.last().token);
        } else if (step == u"fail") {
            publisher.failDelivery(publisher.published.last().token, u"connection lost"_s);
        } else if (step == u"answer-ok") {
            service.deliverResponse(u"dev-1", answer(wireId, true));
        } else if (step == u"answer-error") {
            service.deliverResponse(u"dev-1", answer(wireId, false, u"bad interval"_s));
        } else if (step == u"cancel") {
            QVERIFY(service.cancel(id));
        } else if (step == u"connect") {
            publisher.setConnected(true);
        } else if (step == u"timeout") {
            QTRY_VERIFY_WITH_TIMEOUT(service.record(id)->isFinished(), 2000);
        } else {
            QFAIL(qPrintable(u"unknown step "_s + step));
        }
    }

    QCOMPARE(updates.states(id), states);
    const CommandRecord last = updates.records.last();
    QVERIFY(last.isFinished());
    QVERIFY2(last.reason.contains(reason), qPrintable(last.reason));
    if (reason.isEmpty())
        QVERIFY(last.reason.isEmpty());
    if (last.state == CommandState::Answered)
        QCOMPARE(last.answerOk, last.reason.isEmpty());
    if (last.answerOk)
        QCOMPARE(last.result.value(u"uptime_s"_s).toInt(), 5);
    QVERIFY(last.finishedMs >= last.submittedMs);
    QCOMPARE(service.outstandingCount(), 0);
    QCOMPARE(service.record(id)->state, last.state);
    QCOMPARE(service.stats().ignoredResponses, quint64(ignored));
    QCOMPARE(service.cancel(id), false);  // finished
    QTest::qWait(timeoutMs < 1000 ? timeoutMs + 20 : 20);
    QCOMPARE(updates.states(id), states);  // nothing after the end (no late timeout)
}

void TestCommandService::requestOnTheWire()
{
    test::FakeCommandPublisher publisher;
    publisher.setConnected(true);
    CommandService service(&publisher, options());
    DeviceCommand c = ping(u"dev-00042"_s);
    c.name = u"set_interval"_s;
    c.params = QJsonObject{{u"interval_ms"_s, 2000}};
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const CommandId id = service.submit(c);
    QVERIFY(id > 0);
    QCOMPARE(publisher.published.size(), 1);
    const auto &p = publisher.published.first();
    QCOMPARE(p.topic, u"fleetdeck/v1/dev-00042/cmd"_s);
    QCOMPARE(p.qos, 1);
    CommandRequest request;
    QVERIFY(CommandCodec::parseRequest(p.payload, &request));
    QCOMPARE(request.id, service.record(id)->wireId);
    QVERIFY(request.id.endsWith(u"-"_s + QString::number(id)));
    QCOMPARE(request.name, u"set_interval"_s);
    QCOMPARE(request.params, c.params);
    QVERIFY(request.tsMs >= before);

    // Two services never share wire ids (two consoles on one broker).
    CommandService other(&publisher, options());
    QVERIFY(other.submit(c) > 0);
    CommandRequest otherRequest;
    QVERIFY(CommandCodec::parseRequest(publisher.published.last().payload, &otherRequest));
    QVERIFY(otherRequest.id != request.id);
    QVERIFY(!other.deliverResponse(u"dev-00042", answer(request.id, true)));
    QVERIFY(service.deliverResponse(u"dev-00042", answer(request.id, true)));
}

void TestCommandService::queuedWhileDisconnectedSentInOrderOnConnect()
{
    test::FakeCommandPublisher publisher;
    CommandService service(&publisher, options());
    QList<CommandId> ids;
    for (int i = 0; i < 5; ++i)
        ids << service.submit(ping(u"dev-%1"_s.arg(i)));
    QVERIFY(publisher.published.isEmpty());
    QCOMPARE(service.queuedCount(), 5);
    QVERIFY(service.cancel(ids.at(2)));

    publisher.setConnected(true);
    QCOMPARE(publisher.published.size(), 4);
    QCOMPARE(service.queuedCount(), 0);
    const QStringList expected{u"dev-0"_s, u"dev-1"_s, u"dev-3"_s, u"dev-4"_s};
    for (int i = 0; i < 4; ++i)
        QCOMPARE(publisher.published.at(i).topic, u"fleetdeck/v1/%1/cmd"_s.arg(expected.at(i)));
    QCOMPARE(service.record(ids.at(0))->state, CommandState::Sent);

    // Lost again: sent ones wait for their acknowledgement, new ones queue again.
    publisher.setConnected(false);
    const CommandId late = service.submit(ping());
    QCOMPARE(service.record(late)->state, CommandState::Queued);
    QCOMPARE(publisher.published.size(), 4);
    publisher.setConnected(true);
    QCOMPARE(publisher.published.size(), 5);
    QCOMPARE(service.record(late)->state, CommandState::Sent);
}

void TestCommandService::expiredWhileQueuedIsNeverSent()
{
    test::FakeCommandPublisher publisher;
    CommandService service(&publisher, options());
    const CommandId shortLived = service.submit(ping(u"dev-1"_s, 50));
    const CommandId longLived = service.submit(ping(u"dev-2"_s, 10000));
    QTRY_COMPARE_WITH_TIMEOUT(service.record(shortLived)->state, CommandState::TimedOut, 2000);
    QCOMPARE(service.record(longLived)->state, CommandState::Queued);
    publisher.setConnected(true);
    QCOMPARE(publisher.published.size(), 1);
    QCOMPARE(publisher.published.first().topic, u"fleetdeck/v1/dev-2/cmd"_s);
}

void TestCommandService::refusedPublishWhileConnectedFails()
{
    test::FakeCommandPublisher publisher;
    publisher.setConnected(true);
    publisher.refuseNext = true;
    CommandService service(&publisher, options());
    const CommandId id = service.submit(ping());
    QCOMPARE(service.record(id)->state, CommandState::Failed);
    QCOMPARE(service.record(id)->reason, u"not sent: buffer full"_s);
    QCOMPARE(service.stats().failed, quint64(1));
}

void TestCommandService::queueIsBounded()
{
    test::FakeCommandPublisher publisher;
    CommandService service(&publisher, options(3));
    QList<CommandId> ids;
    for (int i = 0; i < 3; ++i)
        ids << service.submit(ping());
    QVERIFY(!ids.contains(0));
    QString reason;
    QSignalSpy updated(&service, &CommandService::commandUpdated);
    QCOMPARE(service.submit(ping(), &reason), CommandId(0));
    QCOMPARE(reason, u"too many unfinished commands on this connection (limit 3)"_s);
    QVERIFY(updated.isEmpty());  // a refused command leaves no record
    QCOMPARE(service.outstandingCount(), 3);
    QCOMPARE(service.stats().refused, quint64(1));

    // Room again once one finishes, whatever its state.
    publisher.setConnected(true);
    publisher.ack(publisher.published.first().token);
    QCOMPARE(service.submit(ping()), CommandId(0));
    service.deliverResponse(u"dev-1", answer(service.record(ids.first())->wireId, true));
    QVERIFY(service.submit(ping()) > 0);
    QCOMPARE(service.outstandingCount(), 3);
}

void TestCommandService::invalidCommandsAreRefused_data()
{
    QTest::addColumn<DeviceCommand>("command");
    QTest::addColumn<QString>("reason");
    DeviceCommand c = ping();
    c.name = u"rm -rf"_s;
    QTest::newRow("bad name") << c << u"not a valid command name"_s;
    c = ping(u"dev/1"_s);
    QTest::newRow("bad device id") << c << u"not a protocol v1 device id"_s;
    c = ping(QString());
    QTest::newRow("no target") << c << u"no target device"_s;
    c = ping();
    c.target.source = u"other"_s;
    QTest::newRow("other source") << c << u"source \"other\""_s;
    c = ping();
    c.qos = 3;
    QTest::newRow("qos 3") << c << u"QoS"_s;
    c = ping(u"dev-1"_s, 0);
    QTest::newRow("timeout 0") << c << u"timeout"_s;
    c = ping();
    c.rawTopic = u"spBv1.0/g/DCMD/n/d"_s;
    c.rawPayload = "\x01\x02";
    QTest::newRow("raw expecting an answer") << c << u"cannot expect"_s;
    c.expectsAnswer = false;
    c.rawTopic = u"spBv1.0/+/DCMD"_s;
    QTest::newRow("raw with wildcard") << c << u"wildcards"_s;
    c = ping();
    c.retain = true;
    QTest::newRow("retained v1 request") << c << u"can be retained"_s;
}

void TestCommandService::invalidCommandsAreRefused()
{
    QFETCH(DeviceCommand, command);
    QFETCH(QString, reason);
    test::FakeCommandPublisher publisher;
    publisher.setConnected(true);
    CommandService service(&publisher, options());
    QString why;
    QCOMPARE(service.submit(command, &why), CommandId(0));
    QVERIFY2(why.contains(reason), qPrintable(why));
    QVERIFY(publisher.published.isEmpty());
    QCOMPARE(service.outstandingCount(), 0);
}

void TestCommandService::unknownDuplicateAndForeignAnswersAreIgnored()
{
    test::FakeCommandPublisher publisher;
    publisher.setConnected(true);
    CommandService service(&publisher, options());
    const CommandId id = service.submit(ping(u"dev-1"_s));
    const QString wireId = service.record(id)->wireId;
    const QString instance = wireId.section(u'-', 0, 0);

    QVERIFY(!service.deliverResponse(u"dev-1", answer(u"deadbeef-1"_s, true)));          // another console
    QVERIFY(!service.deliverResponse(u"dev-1", answer(instance + u"-999"_s, true)));     // unknown id
    QVERIFY(!service.deliverResponse(u"dev-1", answer(instance + u"-0"_s, true)));
    QVERIFY(!service.deliverResponse(u"dev-1", answer(instance + u"-01"_s, true)));
    QVERIFY(!service.deliverResponse(u"dev-1", answer(instance + u"-99999999999999999999"_s, true)));
    QVERIFY(!service.deliverResponse(u"dev-2", answer(wireId, true)));                   // wrong device
    QCOMPARE(service.record(id)->state, CommandState::Sent);
    QVERIFY(service.deliverResponse(u"dev-1", answer(wireId, true)));
    QVERIFY(!service.deliverResponse(u"dev-1", answer(wireId, false, u"late"_s)));        // duplicate
    QCOMPARE(service.record(id)->state, CommandState::Answered);
    QVERIFY(service.record(id)->answerOk);
    QCOMPARE(service.stats().ignoredResponses, quint64(7));
    QCOMPARE(service.stats().answered, quint64(1));
    QCOMPARE(service.stats().badResponses, quint64(0));
}

void TestCommandService::garbageResponsesAreCounted_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("binary") << QByteArray("\x00\x01\x02\xff", 4);
    QTest::newRow("not json") << QByteArray("OK");
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("id missing") << QByteArray(R"({"ok":true})");
    QTest::newRow("id object") << QByteArray(R"({"id":{},"ok":true})");
    QTest::newRow("ok missing") << QByteArray(R"({"id":"a-1"})");
    QTest::newRow("huge") << QByteArray(1024 * 1024, '{');
    QByteArray deep;
    for (int i = 0; i < 5000; ++i)
        deep += R"({"a":)";
    QTest::newRow("deeply nested") << deep;
}

void TestCommandService::garbageResponsesAreCounted()
{
    QFETCH(QByteArray, payload);
    test::FakeCommandPublisher publisher;
    publisher.setConnected(true);
    CommandService service(&publisher, options());
    const CommandId id = service.submit(ping());
    QVERIFY(!service.deliverResponse(u"dev-1", payload));
    QVERIFY(!service.deliverResponse(QString(10000, u'x'), payload));
    QCOMPARE(service.stats().badResponses, quint64(2));
    QCOMPARE(service.record(id)->state, CommandState::Sent);
}

void TestCommandService::historyIsBounded()
{
    test::FakeCommandPublisher publisher;
    CommandService service(&publisher, options(1000, 5));
    QList<CommandId> ids;
    for (int i = 0; i < 8; ++i) {
        ids << service.submit(ping());
        QVERIFY(service.cancel(ids.last()));
    }
    QCOMPARE(service.historyCount(), 5);
    QVERIFY(!service.record(ids.at(2)).has_value());
    QCOMPARE(service.record(ids.at(3))->state, CommandState::Cancelled);
    QCOMPARE(service.record(ids.last())->state, CommandState::Cancelled);
    QCOMPARE(service.stats().cancelled, quint64(8));
}

void TestCommandService::rawCommandIsPublishedAsIs()
{
    test::FakeCommandPublisher publisher;
    publisher.setConnected(true);
    CommandService service(&publisher, options());
    DeviceCommand c = ping(u"group/node/device"_s);
    c.name = u"DCMD"_s;
    c.rawTopic = u"spBv1.0/group/DCMD/node/device"_s;
    c.rawPayload = QByteArray("\x08\x01\x12\x00", 4);
    c.expectsAnswer = false;
    c.qos = 0;
    const CommandId id = service.submit(c);
    QVERIFY(id > 0);
    QCOMPARE(publisher.published.first().topic, c.rawTopic);
    QCOMPARE(publisher.published.first().payload, c.rawPayload);
    QCOMPARE(publisher.published.first().qos, 0);
    QCOMPARE(publisher.published.first().retained, false);
    publisher.ack(publisher.published.first().token);
    QCOMPARE(service.record(id)->state, CommandState::Acknowledged);
    QVERIFY(service.record(id)->isFinished());
    QCOMPARE(service.outstandingCount(), 0);

    // Retained (an OTA job document, or its clearing with an empty payload).
    DeviceCommand job = c;
    job.rawTopic = u"fleetdeck/v1/dev-1/ota/job"_s;
    job.rawPayload.clear();
    job.retain = true;
    job.qos = 1;
    QVERIFY(service.submit(job) > 0);
    QCOMPARE(publisher.published.size(), 2);
    QCOMPARE(publisher.published.last().topic, job.rawTopic);
    QVERIFY(publisher.published.last().payload.isEmpty());
    QCOMPARE(publisher.published.last().retained, true);
}

// One timer for all deadlines: a thousand commands expire in one pass, in deadline order.
void TestCommandService::manyTimeoutsExpireTogether()
{
    test::FakeCommandPublisher publisher;
    CommandService service(&publisher, options(1000));
    QSignalSpy updated(&service, &CommandService::commandUpdated);
    for (int i = 0; i < 1000; ++i)
        QVERIFY(service.submit(ping(u"dev-1"_s, 50 + i % 10)) > 0);
    QCOMPARE(service.submit(ping()), CommandId(0));
    QTRY_COMPARE_WITH_TIMEOUT(service.stats().timedOut, quint64(1000), 5000);
    QCOMPARE(service.outstandingCount(), 0);
    QCOMPARE(updated.size(), 2000);
    QVERIFY(service.submit(ping()) > 0);
}

// As in a session: service and publisher moved to the ingest thread, used by queued calls.
void TestCommandService::worksOnAnotherThread()
{
    QThread worker;
    auto *publisher = new test::FakeCommandPublisher;
    auto *service = new CommandService(publisher, options());
    service->setParent(publisher);
    publisher->moveToThread(&worker);
    QObject::connect(&worker, &QThread::finished, publisher, &QObject::deleteLater);
    worker.start();
    const auto stop = qScopeGuard([&worker] {
        worker.quit();
        worker.wait();
    });
    QList<CommandRecord> updates;  // written on this thread only (queued connection)
    QObject::connect(service, &CommandService::commandUpdated, this, [&updates](const CommandRecord &r) { updates << r; });

    CommandId id = 0;
    QMetaObject::invokeMethod(service, [&] {
        publisher->setConnected(true);
        id = service->submit(ping(u"dev-1"_s, 100));
    }, Qt::BlockingQueuedConnection);
    QVERIFY(id > 0);
    QTRY_COMPARE_WITH_TIMEOUT(updates.size(), 3, 2000);  // queued, sent, timed out: the timer runs there
    QCOMPARE(updates.last().state, CommandState::TimedOut);
    QCOMPARE(updates.last().id, id);
}

void TestCommandService::cancelAllEndsEveryUnfinishedCommand()
{
    test::FakeCommandPublisher publisher;
    CommandService service(&publisher, options());
    Updates updates(service);
    publisher.setConnected(true);
    const CommandId sent = service.submit(ping(u"dev-2"_s));
    const CommandId answered = service.submit(ping(u"dev-3"_s));
    QVERIFY(service.deliverResponse(u"dev-3", answer(service.record(answered)->wireId, true)));
    publisher.setConnected(false);
    const CommandId queued = service.submit(ping(u"dev-1"_s));
    QCOMPARE(service.record(queued)->state, CommandState::Queued);

    QCOMPARE(service.cancelAll(), 2);
    QCOMPARE(service.outstandingCount(), 0);
    QCOMPARE(service.record(queued)->state, CommandState::Cancelled);
    QCOMPARE(service.record(sent)->state, CommandState::Cancelled);
    QCOMPARE(service.record(answered)->state, CommandState::Answered);
    QCOMPARE(updates.records.last().id, queued);  // oldest first
    QCOMPARE(updates.records.last().reason, u"cancelled before it was sent"_s);
    QCOMPARE(service.cancelAll(), 0);
}

QTEST_GUILESS_MAIN(TestCommandService)
#include "test_command_service.moc"
