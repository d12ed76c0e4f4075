#include "core/broker/demo_environment.h"
#include "core/broker/system_account.h"
#include "core/transport/broker_url.h"
#include "core/transport/mqtt_client.h"
#include "tests/support/broker_fixture.h"
#include "tests/support/fleet_pki_files.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace fd;
using namespace Qt::StringLiterals;

class TestDemoEnvironment : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void runsBrokerAndSimulator();
    void runsTwoSitesWithTheSameDeviceIds();
    void brokerAdmitsOnlyTheGeneratedAccount();
    void reportsMissingSimulator();
    void reportsSimulatorDeath();
    void faultScenariosOnTheFirstSiteOnly();
    void sparkplugGatewaysOnTheFirstSite();
    void keepsItsStateAcrossRestarts();
    void runsOverMutualTlsWithPerDeviceIdentities();

private:
    QString m_simulator;
};

void TestDemoEnvironment::initTestCase()
{
    if (!test::BrokerFixture::mosquittoAvailable())
        QSKIP("mosquitto is not installed");
    m_simulator = QStringLiteral(FLEETDECK_BIN_DIR) + u"/fleetdeck-sim"_s;
    if (!QFileInfo(m_simulator).isExecutable())
        QSKIP("fleetdeck-sim is not built");
}

void TestDemoEnvironment::runsBrokerAndSimulator()
{
    DemoEnvironment demo;
    QSignalSpy failed(&demo, &DemoEnvironment::failed);
    DemoEnvironment::Options options;
    options.simulatorPath = m_simulator;
    options.devices = 15;
    options.rateHz = 5;
    QString error;
    QVERIFY2(demo.start(options, &error), qPrintable(error));
    const std::optional<BrokerUrl> url = BrokerUrl::parse(demo.brokerUrl());
    QVERIFY(url.has_value());

    QSet<QByteArray> statusTopics;  // declared before client: a queued batch dies with client
    int telemetry = 0;
    MqttClient client;
    connect(&client, &MqttClient::messagesReceived, &client, [&](const MqttMessageBatch &batch) {
        for (const MqttMessage &m : batch) {
            if (m.topic.endsWith("/status"))
                statusTopics.insert(m.topic);
            else if (m.topic.endsWith("/telemetry"))
                ++telemetry;
        }
    });
    const ConnectionProfile profile = demo.siteProfile(0);
    QCOMPARE(profile.broker.toString(), url->toString());
    QCOMPARE(profile.name, DemoEnvironment::siteName(0));
    client.subscribe(u"fleetdeck/v1/#"_s);
    client.connectToBroker(profile, demo.siteSecrets(0));
    QTRY_COMPARE_WITH_TIMEOUT(statusTopics.size(), 15, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(telemetry > 30, 15000);
    QCOMPARE(failed.size(), 0);

    demo.stop();
    QVERIFY(demo.brokerUrl().isEmpty());
    QCOMPARE(failed.size(), 0);  // a requested stop is not a failure
}

namespace {
// Live child processes of this test (ppid == us), from /proc.
QList<int> childProcesses()
{
    QList<int> pids;
    const QString self = QString::number(::getpid());
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool numeric = false;
        const int pid = entry.toInt(&numeric);
        if (!numeric)
            continue;
        QFile stat(u"/proc/"_s + entry + u"/stat"_s);
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        // pid (comm) state ppid ...; comm may contain spaces: parse after the last ')'.
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields.at(0) != "Z" && QString::fromLatin1(fields.at(1)) == self)
            pids.append(pid);
    }
    return pids;
}
} // namespace

void TestDemoEnvironment::runsTwoSitesWithTheSameDeviceIds()
{
    const QList<int> before = childProcesses();
    {
        DemoEnvironment demo;
        QSignalSpy failed(&demo, &DemoEnvironment::failed);
        DemoEnvironment::Options options;
        options.simulatorPath = m_simulator;
        options.devices = 6;
        options.rateHz = 5;
        options.brokers = 2;
        QString error;
        QVERIFY2(demo.start(options, &error), qPrintable(error));
        QCOMPARE(demo.siteCount(), 2);
        const QStringList urls = demo.brokerUrls();
        QCOMPARE(urls.size(), 2);
        QVERIFY(urls.at(0) != urls.at(1));  // a broker each, on its own port
        QCOMPARE(demo.brokerUrl(), urls.at(0));
        QCOMPARE(DemoEnvironment::siteName(0), u"demo-site-1"_s);
        QCOMPARE(DemoEnvironment::siteName(1), u"demo-site-2"_s);
        QCOMPARE(childProcesses().size(), before.size() + 4);  // 2 brokers + 2 simulators

        // Both simulators publish, each to its own broker, with the same device ids.
        QSet<QByteArray> status[2];
        int telemetry[2] = {0, 0};
        MqttClient clients[2];
        for (int i = 0; i < 2; ++i) {
            MqttClient &client = clients[i];
            connect(&client, &MqttClient::messagesReceived, &client, [&, i](const MqttMessageBatch &batch) {
                for (const MqttMessage &m : batch) {
                    if (m.topic.endsWith("/status"))
                        status[i].insert(m.topic);
                    else if (m.topic.endsWith("/telemetry"))
                        ++telemetry[i];
                }
            });
            const ConnectionProfile profile = demo.siteProfile(i);
            QCOMPARE(profile.broker.toString(), BrokerUrl::parse(urls.at(i))->toString());
            client.subscribe(u"fleetdeck/v1/#"_s);
            client.connectToBroker(profile, demo.siteSecrets(i));
        }
        // An account per site, per run.
        QVERIFY(demo.siteProfile(0).username != demo.siteProfile(1).username);
        QVERIFY(demo.siteSecrets(0).password != demo.siteSecrets(1).password);
        QTRY_COMPARE_WITH_TIMEOUT(status[0].size(), 6, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(status[1].size(), 6, 15000);
        QCOMPARE(status[0], status[1]);
        QTRY_VERIFY_WITH_TIMEOUT(telemetry[0] > 20 && telemetry[1] > 20, 15000);
        QCOMPARE(failed.size(), 0);
        for (MqttClient &client : clients)
            client.disconnectFromBroker();

        demo.stop();
        QCOMPARE(demo.siteCount(), 0);
        QVERIFY(demo.brokerUrls().isEmpty());
        QCOMPARE(failed.size(), 0);
    }
    // No orphans: every broker and simulator has ended (and been reaped).
    QTRY_COMPARE_WITH_TIMEOUT(childProcesses(), before, 5000);
}

namespace {
QByteArray procFile(int pid, const char *name)
{
    QFile file(u"/proc/%1/%2"_s.arg(pid).arg(QLatin1StringView(name)));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

int realUid(int pid)
{
    for (const QByteArray &line : procFile(pid, "status").split('\n')) {
        if (line.startsWith("Uid:"))
            return line.mid(4).simplified().split(' ').value(0).toInt();
    }
    return -1;
}

// Waits for the client to settle on Connected or Failed.
ConnectionState settle(MqttClient &client)
{
    QSignalSpy changes(&client, &MqttClient::stateChanged);
    QDeadlineTimer deadline(10000);
    while (client.state() != ConnectionState::Connected && client.state() != ConnectionState::Failed
           && !deadline.hasExpired())
        changes.wait(int(qMax<qint64>(1, deadline.remainingTime())));
    return client.state();
}
} // namespace

// The demo broker lets in its generated account only (it used to accept anyone); the
// password is on no command line; started by root, the broker does not run as root.
void TestDemoEnvironment::brokerAdmitsOnlyTheGeneratedAccount()
{
    const QList<int> before = childProcesses();
    DemoEnvironment demo;
    DemoEnvironment::Options options;
    options.simulatorPath = m_simulator;
    options.devices = 3;
    QString error;
    QVERIFY2(demo.start(options, &error), qPrintable(error));
    const ConnectionProfile site = demo.siteProfile(0);
    const ConnectionSecrets secrets = demo.siteSecrets(0);
    QVERIFY(site.username.startsWith(u"fleetdeck-demo-"_s));
    QVERIFY(secrets.password.size() >= 32);

    MqttClient anonymous;
    ConnectionProfile noAccount;
    noAccount.broker = *BrokerUrl::parse(demo.brokerUrl());
    anonymous.connectToBroker(noAccount);
    QCOMPARE(settle(anonymous), ConnectionState::Failed);
    QVERIFY2(anonymous.stateDetail().contains(u"not authorized"_s), qPrintable(anonymous.stateDetail()));

    MqttClient wrong;
    wrong.connectToBroker(site, ConnectionSecrets{u"guess"_s, QString()});
    QCOMPARE(settle(wrong), ConnectionState::Failed);

    MqttClient right;
    right.connectToBroker(site, secrets);
    QCOMPARE(settle(right), ConnectionState::Connected);
    right.disconnectFromBroker();

    // Nobody learns the password from `ps`: not on the broker's or the simulator's command line.
    const QList<int> children = [&] {
        QList<int> now = childProcesses();
        now.removeIf([&](int pid) { return before.contains(pid); });
        return now;
    }();
    QCOMPARE(children.size(), 2);  // broker + simulator
    bool sawBroker = false;
    for (int pid : children) {
        const QByteArray cmdline = procFile(pid, "cmdline");
        QVERIFY2(!cmdline.contains(secrets.password.toUtf8()), cmdline.constData());
        if (cmdline.contains("mosquitto")) {
            sawBroker = true;
            const std::optional<SystemAccount> unprivileged = SystemAccount::lookup(u"mosquitto"_s);
            if (::geteuid() == 0 && unprivileged)
                QCOMPARE(realUid(pid), int(unprivileged->uid));
        } else {
            QVERIFY(cmdline.contains("fleetdeck-sim"));
            QVERIFY(cmdline.contains(site.username.toUtf8()));  // the user name is no secret
        }
    }
    QVERIFY(sawBroker);
}

void TestDemoEnvironment::reportsMissingSimulator()
{
    DemoEnvironment demo;
    DemoEnvironment::Options options;
    options.simulatorPath = u"/nonexistent/fleetdeck-sim"_s;
    QString error;
    QVERIFY(!demo.start(options, &error));
    QVERIFY2(error.contains(u"fleetdeck-sim"_s), qPrintable(error));
    QVERIFY(demo.brokerUrl().isEmpty());
}

void TestDemoEnvironment::reportsSimulatorDeath()
{
    DemoEnvironment demo;
    QSignalSpy failed(&demo, &DemoEnvironment::failed);
    DemoEnvironment::Options options;
    options.simulatorPath = m_simulator;
    options.devices = 0;  // rejected by fleetdeck-sim without Sparkplug nodes: it exits at once
    options.sparkplugNodes = 0;
    QString error;
    QVERIFY2(demo.start(options, &error), qPrintable(error));
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.first().at(0).toString().contains(u"--devices"_s), qPrintable(failed.first().at(0).toString()));
}

// By default the first site's simulator runs the "demo" fault scenarios (alerts have
// something to show); further sites behave; Options::scenarios empty turns them off.
void TestDemoEnvironment::faultScenariosOnTheFirstSiteOnly()
{
    auto simulatorCommandLines = [](const QList<int> &before) {
        QList<QByteArrayList> lines;
        for (int pid : childProcesses()) {
            const QByteArray cmdline = procFile(pid, "cmdline");
            if (!before.contains(pid) && cmdline.contains("fleetdeck-sim"))
                lines << cmdline.split('\0');
        }
        return lines;
    };
    const QList<int> before = childProcesses();
    {
        DemoEnvironment demo;
        DemoEnvironment::Options options;
        options.simulatorPath = m_simulator;
        options.devices = 4;
        options.brokers = 2;
        QCOMPARE(options.scenarios, u"demo"_s);  // the default
        QString error;
        QVERIFY2(demo.start(options, &error), qPrintable(error));
        const QList<QByteArrayList> sims = simulatorCommandLines(before);
        QCOMPARE(sims.size(), 2);
        int withScenarios = 0;
        for (const QByteArrayList &args : sims) {
            const qsizetype at = args.indexOf("--scenario");
            if (at < 0)
                continue;
            ++withScenarios;
            QCOMPARE(args.value(at + 1), QByteArray("demo"));
            QVERIFY(args.contains(QByteArray::number(options.seed)));  // the first site's seed
        }
        QCOMPARE(withScenarios, 1);
        demo.stop();
    }
    {
        DemoEnvironment demo;
        DemoEnvironment::Options options;
        options.simulatorPath = m_simulator;
        options.devices = 4;
        options.scenarios.clear();
        QString error;
        QVERIFY2(demo.start(options, &error), qPrintable(error));
        const QList<QByteArrayList> sims = simulatorCommandLines(before);
        QCOMPARE(sims.size(), 1);
        QVERIFY(!sims.first().contains("--scenario"));
        demo.stop();
    }
}

// The first site's broker also carries a plant behind two Sparkplug B gateways (4 devices
// each, group Plant-Nord); their scripted trouble comes with the "demo" scenario set only.
void TestDemoEnvironment::sparkplugGatewaysOnTheFirstSite()
{
    auto simulatorArgs = [](const QList<int> &before) {
        QList<QByteArrayList> lines;
        for (int pid : childProcesses()) {
            const QByteArray cmdline = procFile(pid, "cmdline");
            if (!before.contains(pid) && cmdline.contains("fleetdeck-sim"))
                lines << cmdline.split('\0');
        }
        return lines;
    };
    auto valueOf = [](const QByteArrayList &args, const char *option) {
        const qsizetype at = args.indexOf(option);
        return at < 0 ? QByteArray() : args.value(at + 1);
    };
    const QList<int> before = childProcesses();
    {
        DemoEnvironment demo;
        DemoEnvironment::Options options;
        options.simulatorPath = m_simulator;
        options.devices = 4;
        options.brokers = 2;
        QCOMPARE(options.sparkplugNodes, 2);  // the defaults
        QCOMPARE(options.sparkplugDevices, 4);
        QCOMPARE(options.sparkplugGroup, u"Plant-Nord"_s);
        QString error;
        QVERIFY2(demo.start(options, &error), qPrintable(error));
        QList<QByteArrayList> sims = simulatorArgs(before);
        QCOMPARE(sims.size(), 2);
        sims.removeIf([&](const QByteArrayList &args) { return valueOf(args, "--sparkplug-nodes").isEmpty(); });
        QCOMPARE(sims.size(), 1);  // the first site only
        QCOMPARE(valueOf(sims.first(), "--seed"), QByteArray::number(options.seed));
        QCOMPARE(valueOf(sims.first(), "--sparkplug-nodes"), QByteArray("2"));
        QCOMPARE(valueOf(sims.first(), "--sparkplug-devices"), QByteArray("4"));
        QCOMPARE(valueOf(sims.first(), "--sparkplug-group"), QByteArray("Plant-Nord"));
        QCOMPARE(valueOf(sims.first(), "--sparkplug-fault"), QByteArray("demo"));

        // On the wire: both gateways report for their 4 devices each.
        MqttClient client;
        QSet<QString> devices;
        connect(&client, &MqttClient::messagesReceived, this, [&](const MqttMessageBatch &batch) {
            for (const MqttMessage &m : batch) {
                const QStringList parts = QString::fromUtf8(m.topic).split(u'/');
                if (parts.size() == 5 && (parts.at(2) == u"DDATA" || parts.at(2) == u"DBIRTH"))
                    devices.insert(parts.at(3) + u'/' + parts.at(4));
            }
        });
        client.subscribe(u"spBv1.0/Plant-Nord/#"_s, 0);
        client.connectToBroker(demo.siteProfile(0), demo.siteSecrets(0));
        QTRY_COMPARE_WITH_TIMEOUT(devices.size(), 8, 15000);
        client.disconnectFromBroker();
        demo.stop();
    }
    {
        DemoEnvironment demo;
        DemoEnvironment::Options options;
        options.simulatorPath = m_simulator;
        options.devices = 4;
        options.scenarios.clear();  // --demo-scenarios none: nothing scripted, gateways included
        QString error;
        QVERIFY2(demo.start(options, &error), qPrintable(error));
        const QList<QByteArrayList> sims = simulatorArgs(before);
        QCOMPARE(sims.size(), 1);
        QCOMPARE(valueOf(sims.first(), "--sparkplug-nodes"), QByteArray("2"));
        QVERIFY(!sims.first().contains("--sparkplug-fault"));
        demo.stop();
    }
}

// Options::stateDir: the site's broker keeps its retained messages and the simulator its
// devices' OTA state (--ota-state), so a job a device finished before a restart is still
// retained afterwards and is not taken up again.
void TestDemoEnvironment::keepsItsStateAcrossRestarts()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QFile::setPermissions(tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                          | QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
                                          | QFileDevice::ExeOther);
    DemoEnvironment::Options options;
    options.simulatorPath = m_simulator;
    options.devices = 2;
    options.rateHz = 1;
    options.scenarios.clear();
    options.sparkplugNodes = 0;
    options.stateDir = tmp.filePath(u"demo-state"_s);
    const QString stateFile = options.stateDir + u"/site-1/ota-state.json"_s;
    const QByteArray jobTopic = "fleetdeck/v1/dev-00001/ota/job";
    const QByteArray statusTopic = "fleetdeck/v1/dev-00001/ota/status";

    QHash<QByteArray, QList<MqttMessage>> seen;  // before client: a queued batch dies with client
    auto watch = [&](MqttClient &client, DemoEnvironment &demo) {
        connect(&client, &MqttClient::messagesReceived, &client, [&](const MqttMessageBatch &batch) {
            for (const MqttMessage &m : batch)
                seen[m.topic].append(m);
        });
        client.subscribe(u"fleetdeck/v1/#"_s, 1);
        client.connectToBroker(demo.siteProfile(0), demo.siteSecrets(0));
    };
    QByteArray firstStatus;
    {
        DemoEnvironment demo;
        QString error;
        QVERIFY2(demo.start(options, &error), qPrintable(error));
        MqttClient client;
        watch(client, demo);
        QTRY_VERIFY_WITH_TIMEOUT(seen.contains("fleetdeck/v1/dev-00001/status"), 15000);
        // A job the device cannot take (no trusted key in this demo): it finishes it REJECTED.
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ConnectionState::Connected, 5000);
        QVERIFY(client.publish(QString::fromLatin1(jobTopic), R"({"job_id":"demo-job-1"})", 1, true));
        QTRY_VERIFY_WITH_TIMEOUT(seen.contains(statusTopic), 10000);
        firstStatus = seen.value(statusTopic).last().payload;
        QVERIFY2(firstStatus.contains("REJECTED"), firstStatus.constData());
        QTRY_VERIFY_WITH_TIMEOUT([&] {
            QFile f(stateFile);
            return f.open(QIODevice::ReadOnly) && f.readAll().contains("demo-job-1");
        }(), 5000);
        client.disconnectFromBroker();
        demo.stop();
    }
    QVERIFY(QFileInfo::exists(options.stateDir + u"/site-1/broker/mosquitto.db"_s));

    seen.clear();
    DemoEnvironment demo;
    QString error;
    QVERIFY2(demo.start(options, &error), qPrintable(error));
    MqttClient client;
    watch(client, demo);
    // Both retained messages are back (a new broker, a new port, the same folder) ...
    QTRY_VERIFY_WITH_TIMEOUT(seen.contains(jobTopic) && seen.contains(statusTopic), 15000);
    QVERIFY(seen.value(jobTopic).first().retained);
    QCOMPARE(seen.value(statusTopic).first().payload, firstStatus);
    // ... and the device, back online, leaves the finished job alone: no new status for it.
    QTRY_VERIFY_WITH_TIMEOUT(!seen.value("fleetdeck/v1/dev-00001/status").isEmpty()
                                 && seen.value("fleetdeck/v1/dev-00001/status").last().payload.contains("\"online\":true"),
                             15000);
    // The retained job reached the device with its subscription (one SUBSCRIBE with its
    // command topic), before any command that got through; the device takes both on one
    // thread in that order and answers on one connection: once a ping is answered, a new
    // status for the job would have come before the answer. Pinged until the device has
    // subscribed (a command before that is lost).
    const QByteArray responseTopic = "fleetdeck/v1/dev-00001/cmd/response";
    bool answered = false;
    for (int i = 0; i < 20 && !answered; ++i) {
        const QByteArray ping = R"({"id":"barrier-)" + QByteArray::number(i) + R"(","name":"ping","params":{},"ts":0})";
        QVERIFY(client.publish(u"fleetdeck/v1/dev-00001/cmd"_s, ping, 1));
        answered = QTest::qWaitFor([&] { return !seen.value(responseTopic).isEmpty(); }, 500);
    }
    QVERIFY2(answered, "dev-00001 answers no ping");
    QCOMPARE(seen.value(statusTopic).size(), 1);
}


// Options::pki: the fleet broker (mTLS, ACL, CRL) on every site; devices and gateways with
// their own certificates; FleetDeck's profile with the operator certificate, host name
// verified; factory devices on the first site with their list; updateCrl() reaches the brokers.
void TestDemoEnvironment::runsOverMutualTlsWithPerDeviceIdentities()
{
    test::FleetPkiFiles pki;
    QString error;
    QVERIFY2(pki.create(&error), qPrintable(error));
    for (const QString &id : {u"dev-00001"_s, u"dev-00002"_s, u"dev-00003"_s, u"gw-01"_s})
        QVERIFY2(!pki.issueInto(id, &error).isEmpty(), qPrintable(error));
    DemoEnvironment demo;
    QSignalSpy failed(&demo, &DemoEnvironment::failed);
    DemoEnvironment::Options options;
    options.simulatorPath = m_simulator;
    options.devices = 3;
    options.rateHz = 5;
    options.brokers = 2;
    options.sparkplugNodes = 1;
    options.sparkplugDevices = 1;
    options.scenarios.clear();
    options.factoryDevices = 2;
    options.pki.chainFile = pki.chainFile();
    options.pki.serverCert = pki.serverCert();
    options.pki.serverKey = pki.serverKey();
    options.pki.crlFile = pki.crlFile();
    options.pki.operatorCert = pki.operatorCert();
    options.pki.operatorKey = pki.operatorKey();
    options.pki.bootstrapCert = pki.bootstrapCert();
    options.pki.bootstrapKey = pki.bootstrapKey();
    options.pki.certDir = pki.certDir();
    QVERIFY2(demo.start(options, &error), qPrintable(error));
    QCOMPARE(demo.siteCount(), 2);
    for (const QString &url : demo.brokerUrls())
        QVERIFY2(url.startsWith(u"mqtts://127.0.0.1:"_s), qPrintable(url));

    // The factory devices' list of the first site only.
    QFile list(demo.factoryListPath(0));
    QVERIFY2(list.open(QIODevice::ReadOnly), qPrintable(demo.factoryListPath(0)));
    const QList<QByteArray> lines = list.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(0), QByteArray("serial,model,claim_code"));
    QVERIFY(demo.factoryListPath(1).isEmpty());

    for (int site = 0; site < 2; ++site) {
        const ConnectionProfile profile = demo.siteProfile(site);
        QVERIFY(profile.broker.tls);
        QCOMPARE(profile.broker.host, u"127.0.0.1"_s);
        QVERIFY(profile.verifyHostname);
        QCOMPARE(profile.clientCertFile, pki.operatorCert());
        QVERIFY(profile.username.isEmpty());
        QVERIFY(demo.siteSecrets(site).password.isEmpty());

        QSet<QByteArray> telemetryFrom;
        bool sawFactoryRequest = false;
        bool sawNodeBirth = false;  // or any message of gw-01
        MqttClient client;
        connect(&client, &MqttClient::messagesReceived, &client, [&](const MqttMessageBatch &batch) {
            for (const MqttMessage &m : batch) {
                if (m.topic.endsWith("/telemetry"))
                    telemetryFrom.insert(m.topic);
                if (m.topic.startsWith("fleetdeck/provisioning/") && m.topic.endsWith("/request"))
                    sawFactoryRequest = true;
                // The gateway with its own certificate: its BIRTH or DATA (a BIRTH may precede us).
                if (m.topic.startsWith("spBv1.0/") && m.topic.contains("/gw-01"))
                    sawNodeBirth = true;
            }
        });
        client.subscribe(u"fleetdeck/#"_s);
        client.subscribe(u"spBv1.0/#"_s);
        ConnectionProfile p = profile;
        p.sparkplug = false;
        client.connectToBroker(p, demo.siteSecrets(site));
        QTRY_COMPARE_WITH_TIMEOUT(telemetryFrom.size(), 3, 20000);
        if (site == 0) {
            QTRY_VERIFY_WITH_TIMEOUT(sawNodeBirth, 20000);
            QTRY_VERIFY_WITH_TIMEOUT(sawFactoryRequest, 20000);  // the commissioning wizard's
        } else {
            // Factory devices run on the first site only: none here (so none to be late).
            QVERIFY(demo.factoryListPath(site).isEmpty());
            QVERIFY(!sawFactoryRequest);
        }
        client.disconnectFromBroker();
    }

    // A new CRL reaches every broker; junk is refused.
    QFile crl(pki.crlFile());
    QVERIFY(crl.open(QIODevice::ReadOnly));
    QVERIFY2(demo.updateCrl(crl.readAll(), &error), qPrintable(error));
    QVERIFY(!demo.updateCrl("not a crl", &error));
    QCOMPARE(failed.size(), 0);
}

QTEST_GUILESS_MAIN(TestDemoEnvironment)
#include "test_demo_environment.moc"
