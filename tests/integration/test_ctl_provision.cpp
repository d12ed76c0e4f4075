// `fleetdeckctl provision`, the real binary: import (a good list; a bad one refused whole
// with line numbers, exit 2), serve against a real mosquitto with fake factory devices (a
// listed one issued with --auto-approve and verifying against the chain, an unknown one
// rejected), exiting after --count decisions with one line each; list --json.
#include "core/provisioning/provisioning_response.h"
#include "core/provisioning/provisioning_topics.h"
#include "core/transport/mqtt_client.h"
#include "tests/core/provisioning/provisioning_test_device.h"
#include "tests/support/broker_fixture.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;
using namespace fd::test;

namespace {

const QString kCtl = QStringLiteral(FLEETDECK_BIN_DIR "/fleetdeckctl");
const QByteArray kPassphrase = "provision-test-passphrase";

QProcessEnvironment environment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("FLEETDECK_CA_PASSPHRASE"), QString::fromLatin1(kPassphrase));
    return env;
}

struct Result
{
    int code = -1;
    QByteArray out;
    QByteArray err;
};

Result ctl(const QStringList &args)
{
    QProcess p;
    p.setProcessEnvironment(environment());
    p.start(kCtl, args);
    Result r;
    if (!p.waitForFinished(60000))
        return r;
    r.code = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace

class TestCtlProvision : public QObject
{
    Q_OBJECT
private slots:
    void importListAndServe();
};

void TestCtlProvision::importListAndServe()
{
    if (!BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    QTemporaryDir dir;
    const QString cache = dir.filePath(QStringLiteral("fleet.sqlite"));
    Result r = ctl({QStringLiteral("pki"), QStringLiteral("init"), QStringLiteral("--db"), cache});
    QVERIFY2(r.code == 0, r.err.constData());

    // A bad list is refused whole, each error with its line.
    const QString bad = dir.filePath(QStringLiteral("bad.csv"));
    QFile badFile(bad);
    QVERIFY(badFile.open(QIODevice::WriteOnly));
    badFile.write("serial,model,claim_code\nSN-C1,TH-100,a\nSN C2,TH-100,b\nSN-C1,TH-100,c\n");
    badFile.close();
    r = ctl({QStringLiteral("provision"), QStringLiteral("import"), QStringLiteral("--db"), cache, QStringLiteral("--csv"), bad});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("line 3: serial \"SN C2\""), r.err.constData());
    QVERIFY2(r.err.contains("line 4: serial \"SN-C1\" already on line 2"), r.err.constData());

    const QString good = dir.filePath(QStringLiteral("good.csv"));
    QFile goodFile(good);
    QVERIFY(goodFile.open(QIODevice::WriteOnly));
    goodFile.write("serial,model,claim_code\nSN-C1,TH-100,CLAIM-1\nSN-C2,TH-100,CLAIM-2\n");
    goodFile.close();
    r = ctl({QStringLiteral("provision"), QStringLiteral("import"), QStringLiteral("--db"), cache, QStringLiteral("--csv"), good});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY2(r.out.contains("imported 2 expected devices"), r.out.constData());

    BrokerFixture broker;
    QString error;
    QVERIFY2(broker.start(&error), qPrintable(error));
    QProcess serve;
    serve.setProcessEnvironment(environment());
    serve.start(kCtl, {QStringLiteral("provision"), QStringLiteral("serve"), QStringLiteral("--db"), cache,
                       QStringLiteral("--broker"), broker.url(), QStringLiteral("--auto-approve"),
                       QStringLiteral("--count"), QStringLiteral("2"), QStringLiteral("--timeout"), QStringLiteral("60")});
    QByteArray serveErr;
    QVERIFY(QTest::qWaitFor([&] {
        serveErr += serve.readAllStandardError();
        return serveErr.contains("listening") || serve.state() == QProcess::NotRunning;
    }, 20000));
    QVERIFY2(serveErr.contains("listening"), serveErr.constData());

    const ProvisioningTopics topics;
    auto ask = [&](const TestFactoryDevice &dev) -> std::optional<ProvisioningResponse> {
        MqttClient client;
        ConnectionProfile p = broker.profile();
        p.clientId = dev.serial;
        p.sparkplug = false;
        QList<QByteArray> answers;
        QObject::connect(&client, &MqttClient::messagesReceived, &client, [&](const MqttMessageBatch &batch) {
            for (const MqttMessage &m : batch)
                answers.append(m.payload);
        });
        QSignalSpy subscribed(&client, &MqttClient::subscribed);
        client.subscribe(topics.responseTopic(dev.serial), 1);
        client.connectToBroker(p);
        if (!subscribed.wait(10000))
            return std::nullopt;
        client.publish(topics.requestTopic(dev.serial), dev.request().toJson(), 1, false);
        if (!QTest::qWaitFor([&] { return !answers.isEmpty(); }, 15000))
            return std::nullopt;
        client.disconnectFromBroker();
        return ProvisioningResponse::parse(answers.constFirst());
    };
    const TestFactoryDevice listed(QStringLiteral("SN-C1"), QStringLiteral("CLAIM-1"));
    const auto accepted = ask(listed);
    QVERIFY(accepted);
    QVERIFY(accepted->accepted);
    QCOMPARE(accepted->deviceId, QStringLiteral("sn-c1"));
    QString why;
    QVERIFY2(verifiesAgainstChain(accepted->certificatePem, accepted->chainPem, &why), qPrintable(why));
    const TestFactoryDevice stranger(QStringLiteral("SN-C9"), QStringLiteral("x"));
    const auto rejected = ask(stranger);
    QVERIFY(rejected);
    QCOMPARE(rejected->reasonKey, QStringLiteral("unknown_serial"));

    QVERIFY(serve.waitForFinished(20000));
    QCOMPARE(serve.exitCode(), 0);
    const QList<QByteArray> lines = serve.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines[0].endsWith(QByteArray(QByteArray(" accepted SN-C1 sn-c1 ") + accepted->certSerial.toLatin1())), lines[0].constData());
    QVERIFY2(lines[1].endsWith(" rejected SN-C9 sn-c9 unknown_serial"), lines[1].constData());

    r = ctl({QStringLiteral("provision"), QStringLiteral("list"), QStringLiteral("--db"), cache, QStringLiteral("--json")});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject listed_ = QJsonDocument::fromJson(r.out).object();
    const QJsonArray devices = listed_.value(u"expected_devices").toArray();
    QCOMPARE(devices.size(), 2);
    QCOMPARE(devices.at(0).toObject().value(u"state").toString(), QStringLiteral("enrolled"));
    QCOMPARE(devices.at(1).toObject().value(u"state").toString(), QStringLiteral("expected"));
    QCOMPARE(listed_.value(u"requests").toArray().size(), 2);
    QVERIFY(!r.out.contains("claim"));  // neither codes nor their hashes are listed

    // The certificate is in the inventory.
    r = ctl({QStringLiteral("pki"), QStringLiteral("list"), QStringLiteral("--db"), cache});
    QVERIFY2(r.out.contains(accepted->certSerial.toLatin1()), r.out.constData());
}

QTEST_GUILESS_MAIN(TestCtlProvision)
#include "test_ctl_provision.moc"
