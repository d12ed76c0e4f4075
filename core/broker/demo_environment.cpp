#include "core/broker/demo_environment.h"

#include "core/broker/broker_logging.h"
#include "core/broker/child_process.h"
#include "core/broker/mosquitto_acl.h"
#include "core/broker/mosquitto_launcher.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <vector>

namespace fd {

namespace {

constexpr qsizetype kMaxSimLogBytes = 64 * 1024;

QString locateSimulator(const QString &configured)
{
    if (!configured.isEmpty())
        return configured;
#ifdef Q_OS_WIN
    const QString name = QStringLiteral("fleetdeck-sim.exe");
#else
    const QString name = QStringLiteral("fleetdeck-sim");
#endif
    const QString besideUs = QDir(QCoreApplication::applicationDirPath()).filePath(name);
    if (QFileInfo(besideUs).isExecutable())
        return besideUs;
    return QStandardPaths::findExecutable(QStringLiteral("fleetdeck-sim"));
}

// The gateways of the first site: the plant, and with the "demo" scenario set their part
// of the scripted trouble (a gateway dies and is reborn, another loses a message).
QStringList sparkplugArguments(const DemoEnvironment::Options &options)
{
    QStringList args{QStringLiteral("--sparkplug-nodes"), QString::number(options.sparkplugNodes),
                     QStringLiteral("--sparkplug-devices"), QString::number(options.sparkplugDevices),
                     QStringLiteral("--sparkplug-group"), options.sparkplugGroup};
    QStringList sets = options.scenarios.split(u',');
    for (QString &s : sets)
        s = s.trimmed();
    if (sets.contains(QStringLiteral("demo")) && options.sparkplugNodes >= 2)
        args << QStringLiteral("--sparkplug-fault") << QStringLiteral("demo");
    return args;
}

// The fleet broker of a site (docs/security.md): mTLS with the demo CA, CN = user name, CRL, ACL.
void useFleetBroker(MosquittoLauncher::Options *broker, const DemoEnvironment::PkiFiles &pki)
{
    broker->caFile = pki.chainFile;
    broker->certFile = pki.serverCert;
    broker->keyFile = pki.serverKey;
    broker->requireClientCertificate = true;
    broker->useIdentityAsUsername = true;
    broker->crlFile = pki.crlFile;
    broker->aclLines = MosquittoAcl::fleetLines();
}

// fleetdeck-sim --factory N --factory-list FILE without a broker: the list, synchronously.
bool writeFactoryList(const QString &sim, int devices, quint32 seed, const QString &path, QString *error)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(sim, {QStringLiteral("--factory"), QString::number(devices), QStringLiteral("--seed"),
                        QString::number(seed), QStringLiteral("--factory-list"), path});
    if (!process.waitForFinished(15000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error = DemoEnvironment::tr("The device simulator could not write the factory devices' list: %1")
                     .arg(QString::fromUtf8(process.readAll()).trimmed());
        return false;
    }
    return true;
}

} // namespace

// One simulated site: its broker and the simulator publishing to it.
struct DemoSite
{
    MosquittoLauncher broker;
    BrokerCredentials credentials;  // this run's account on the broker (without pki)
    QString factoryList;            // with pki: the factory devices' expected list
    std::unique_ptr<QProcess> simulator;
    QByteArray simulatorLog;

    void readSimulator()
    {
        if (!simulator)
            return;
        simulatorLog += simulator->readAll();
        if (simulatorLog.size() > kMaxSimLogBytes)
            simulatorLog = simulatorLog.right(kMaxSimLogBytes);
    }

    void stop()
    {
        if (simulator) {
            ChildProcess::stop(*simulator);
            readSimulator();
            simulator.reset();
        }
        broker.stop();
    }
};

struct DemoEnvironment::Impl
{
    std::vector<std::unique_ptr<DemoSite>> sites;
    PkiFiles pki;
    std::unique_ptr<QTemporaryDir> scratch;  // no state folder: where the factory list goes
    bool stopping = false;
};

DemoEnvironment::DemoEnvironment(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>())
{
}

DemoEnvironment::~DemoEnvironment()
{
    stop();
}

QString DemoEnvironment::siteName(int index)
{
    return QStringLiteral("demo-site-%1").arg(index + 1);
}

bool DemoEnvironment::start(const Options &options, QString *error)
{
    auto fail = [&](const QString &reason) {
        qCWarning(lcBroker).noquote() << "demo environment:" << reason;
        if (error)
            *error = reason;
        stop();
        return false;
    };

    stop();
    d->stopping = false;
    d->pki = options.pki;
    const QString sim = locateSimulator(options.simulatorPath);
    if (sim.isEmpty() || !QFileInfo(sim).isExecutable()) {
        return fail(tr("The device simulator (fleetdeck-sim) was not found%1; it is installed next to FleetDeck.")
                        .arg(sim.isEmpty() ? QString() : tr(" at %1").arg(sim)));
    }

    const int count = qBound(1, options.brokers, 16);
    for (int i = 0; i < count; ++i) {
        d->sites.push_back(std::make_unique<DemoSite>());
        DemoSite *site = d->sites.back().get();
        const QString name = siteName(i);
        connect(&site->broker, &MosquittoLauncher::exitedUnexpectedly, this, [this, name](const QString &log) {
            if (!d->stopping)
                emit failed(tr("The demo broker of %1 stopped unexpectedly:\n%2").arg(name, log.right(4000)));
        });

        MosquittoLauncher::Options brokerOptions;  // a free loopback port of its own
        const QString siteState = options.stateDir.isEmpty()
            ? QString()
            : QDir(options.stateDir).filePath(QStringLiteral("site-%1").arg(i + 1));
        if (!siteState.isEmpty()) {
            if (!QDir().mkpath(siteState))
                return fail(tr("Cannot create the demo state folder %1.").arg(siteState));
            brokerOptions.persistenceDir = QDir(siteState).filePath(QStringLiteral("broker"));
        }
        if (options.pki.isSet()) {
            useFleetBroker(&brokerOptions, options.pki);
        } else {
            site->credentials = BrokerCredentials::generate(QStringLiteral("fleetdeck-demo-"));
            brokerOptions.credentials = site->credentials;
        }
        QString brokerError;
        if (!site->broker.start(brokerOptions, &brokerError))
            return fail(brokerError);

        site->simulator = std::make_unique<QProcess>();
        site->simulator->setProcessChannelMode(QProcess::MergedChannels);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("FLEETDECK_PASSWORD"));
        if (!site->credentials.isEmpty())
            environment.insert(QStringLiteral("FLEETDECK_PASSWORD"), site->credentials.password);
        site->simulator->setProcessEnvironment(environment);
        ChildProcess::killWithParent(*site->simulator);
        connect(site->simulator.get(), &QProcess::readyRead, this, [site] { site->readSimulator(); });
        connect(site->simulator.get(), &QProcess::finished, this,
                [this, site, name](int code, QProcess::ExitStatus status) {
                    site->readSimulator();
                    if (d->stopping)
                        return;
                    emit failed(tr("The device simulator of %1 stopped unexpectedly (%2 %3):\n%4")
                                    .arg(name,
                                         status == QProcess::CrashExit ? tr("crashed, signal") : tr("exit code"))
                                    .arg(code)
                                    .arg(QString::fromUtf8(site->simulatorLog.right(4000))));
                });
        // Same device ids on every site (dev-00001..), another fleet (seed); the simulator's
        // client ids carry its pid, so they never clash.
        // The password travels in the environment; plain TCP over loopback to our own broker.
        QStringList args{QStringLiteral("--broker"), site->broker.url()};
        if (options.pki.isSet()) {
            // Every device and gateway with its own certificate (mTLS), the fleet chain as trust.
            args << QStringLiteral("--cafile") << options.pki.chainFile << QStringLiteral("--cert-dir")
                 << options.pki.certDir;
        } else {
            args << QStringLiteral("--username") << site->credentials.username
                 << QStringLiteral("--allow-plaintext-password");
        }
        args << QStringList{QStringLiteral("--devices"), QString::number(options.devices),
                         QStringLiteral("--rate"), QString::number(options.rateHz),
                         QStringLiteral("--seed"), QString::number(options.seed + quint32(i))};
        if (options.faultRate > 0)
            args << QStringLiteral("--faults") << QString::number(options.faultRate);
        if (options.historyHours > 0)
            args << QStringLiteral("--history") << QString::number(options.historyHours);
        // Misbehaving devices on one site only: every problem shows once, and the other
        // sites stay a calm baseline to compare with.
        if (i == 0 && !options.scenarios.isEmpty())
            args << QStringLiteral("--scenario") << options.scenarios;
        if (i == 0 && options.sparkplugNodes > 0)
            args << sparkplugArguments(options);
        if (!options.otaTrustPem.isEmpty()) {
            args << QStringLiteral("--ota-trust") << options.otaTrustPem << QStringLiteral("--ota-install-ms")
                 << QString::number(options.otaInstallMs);
            if (options.otaFailureRate > 0)
                args << QStringLiteral("--ota-failures")
                     << QStringLiteral("download=%1").arg(options.otaFailureRate);
        }
        if (!siteState.isEmpty())
            args << QStringLiteral("--ota-state") << QDir(siteState).filePath(QStringLiteral("ota-state.json"));
        if (i == 0 && options.pki.isSet() && options.factoryDevices > 0) {
            // Devices in factory state for the commissioning wizard: their expected list
            // first (for the operations store), then the devices themselves.
            QString folder = siteState;
            if (folder.isEmpty()) {
                d->scratch = std::make_unique<QTemporaryDir>();
                folder = d->scratch->path();
            }
            site->factoryList = QDir(folder).filePath(QStringLiteral("factory-devices.csv"));
            QString listError;
            if (!writeFactoryList(sim, options.factoryDevices, options.seed + quint32(i), site->factoryList, &listError))
                return fail(listError);
            args << QStringLiteral("--factory") << QString::number(options.factoryDevices)
                 << QStringLiteral("--bootstrap-cert") << options.pki.bootstrapCert << QStringLiteral("--bootstrap-key")
                 << options.pki.bootstrapKey;
        }
        qCInfo(lcBroker).noquote() << "starting" << name << sim << args.join(u' ');
        site->simulator->start(sim, args);
        if (!site->simulator->waitForStarted(5000))
            return fail(tr("Cannot run the device simulator %1: %2").arg(sim, site->simulator->errorString()));
    }
    return true;
}

void DemoEnvironment::stop()
{
    d->stopping = true;
    for (const std::unique_ptr<DemoSite> &site : d->sites)
        site->stop();
    d->sites.clear();
}

QString DemoEnvironment::brokerUrl() const
{
    const QStringList urls = brokerUrls();
    return urls.isEmpty() ? QString() : urls.constFirst();
}

QStringList DemoEnvironment::brokerUrls() const
{
    QStringList urls;
    for (const std::unique_ptr<DemoSite> &site : d->sites) {
        if (site->broker.isRunning())
            urls.append(site->broker.url());
    }
    return urls;
}

ConnectionProfile DemoEnvironment::siteProfile(int index) const
{
    if (index < 0 || index >= int(d->sites.size()) || !d->sites.at(size_t(index))->broker.isRunning())
        return {};
    const DemoSite &site = *d->sites.at(size_t(index));
    ConnectionProfile profile;
    profile.name = siteName(index);
    if (const std::optional<BrokerUrl> url = BrokerUrl::parse(site.broker.url()))
        profile.broker = *url;
    if (d->pki.isSet()) {
        // The operator's certificate; the broker's names 127.0.0.1, so the host name is checked.
        profile.caFile = d->pki.chainFile;
        profile.clientCertFile = d->pki.operatorCert;
        profile.clientKeyFile = d->pki.operatorKey;
        profile.verifyHostname = true;
        return profile;
    }
    profile.username = site.credentials.username;
    profile.allowPlaintextPassword = true;  // generated for this run, loopback, our own broker
    return profile;
}

ConnectionSecrets DemoEnvironment::siteSecrets(int index) const
{
    if (index < 0 || index >= int(d->sites.size()))
        return {};
    ConnectionSecrets secrets;
    if (d->pki.isSet())
        secrets.keyPassphrase = d->pki.operatorKeyPassphrase;
    else
        secrets.password = d->sites.at(size_t(index))->credentials.password;
    return secrets;
}

QString DemoEnvironment::factoryListPath(int index) const
{
    if (index < 0 || index >= int(d->sites.size()))
        return {};
    return d->sites.at(size_t(index))->factoryList;
}

QByteArray DemoEnvironment::simulatorLog(int index) const
{
    if (index < 0 || index >= int(d->sites.size()))
        return {};
    DemoSite &site = *d->sites.at(size_t(index));
    site.readSimulator();
    return site.simulatorLog;
}

bool DemoEnvironment::updateCrl(const QByteArray &pem, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (!d->pki.isSet())
        return fail(tr("The demo brokers do not use certificates."));
    if (!pem.startsWith("-----BEGIN X509 CRL-----"))
        return fail(tr("That is not a certificate revocation list."));
    QSaveFile file(d->pki.crlFile);
    if (!file.open(QIODevice::WriteOnly) || file.write(pem) != pem.size() || !file.commit())
        return fail(tr("Cannot write %1: %2").arg(d->pki.crlFile, file.errorString()));
    for (size_t i = 0; i < d->sites.size(); ++i) {
        QString why;
        if (d->sites[i]->broker.isRunning() && !d->sites[i]->broker.reload(&why))
            return fail(tr("The broker of %1 did not take the new CRL: %2").arg(siteName(int(i)), why));
    }
    return true;
}

int DemoEnvironment::siteCount() const
{
    return int(d->sites.size());
}

} // namespace fd
