#include "core/broker/demo_environment.h"

#include "core/broker/broker_logging.h"
#include "core/broker/child_process.h"
#include "core/broker/mosquitto_launcher.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

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

} // namespace

struct DemoEnvironment::Impl
{
    MosquittoLauncher broker;
    std::unique_ptr<QProcess> simulator;
    QByteArray simulatorLog;
    bool stopping = false;

    void readSimulator()
    {
        if (!simulator)
            return;
        simulatorLog += simulator->readAll();
        if (simulatorLog.size() > kMaxSimLogBytes)
            simulatorLog = simulatorLog.right(kMaxSimLogBytes);
    }
};

DemoEnvironment::DemoEnvironment(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>())
{
    connect(&d->broker, &MosquittoLauncher::exitedUnexpectedly, this, [this](const QString &log) {
        if (!d->stopping)
            emit failed(tr("The demo broker stopped unexpectedly:\n%1").arg(log.right(4000)));
    });
}

DemoEnvironment::~DemoEnvironment()
{
    stop();
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
    const QString sim = locateSimulator(options.simulatorPath);
    if (sim.isEmpty() || !QFileInfo(sim).isExecutable()) {
        return fail(tr("The device simulator (fleetdeck-sim) was not found%1; it is installed next to FleetDeck.")
                        .arg(sim.isEmpty() ? QString() : tr(" at %1").arg(sim)));
    }

    MosquittoLauncher::Options brokerOptions;
    QString brokerError;
    if (!d->broker.start(brokerOptions, &brokerError))
        return fail(brokerError);

    d->simulator = std::make_unique<QProcess>();
    d->simulator->setProcessChannelMode(QProcess::MergedChannels);
    ChildProcess::killWithParent(*d->simulator);
    d->simulatorLog.clear();
    connect(d->simulator.get(), &QProcess::readyRead, this, [this] { d->readSimulator(); });
    connect(d->simulator.get(), &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        d->readSimulator();
        if (d->stopping)
            return;
        emit failed(tr("The device simulator stopped unexpectedly (%1 %2):\n%3")
                        .arg(status == QProcess::CrashExit ? tr("crashed, signal") : tr("exit code"))
                        .arg(code)
                        .arg(QString::fromUtf8(d->simulatorLog.right(4000))));
    });
    QStringList args{QStringLiteral("--broker"), d->broker.url(),
                     QStringLiteral("--devices"), QString::number(options.devices),
                     QStringLiteral("--rate"), QString::number(options.rateHz),
                     QStringLiteral("--seed"), QString::number(options.seed)};
    if (options.faultRate > 0)
        args << QStringLiteral("--faults") << QString::number(options.faultRate);
    if (options.historyHours > 0)
        args << QStringLiteral("--history") << QString::number(options.historyHours);
    qCInfo(lcBroker).noquote() << "starting" << sim << args.join(u' ');
    d->simulator->start(sim, args);
    if (!d->simulator->waitForStarted(5000))
        return fail(tr("Cannot run the device simulator %1: %2").arg(sim, d->simulator->errorString()));
    return true;
}

void DemoEnvironment::stop()
{
    d->stopping = true;
    if (d->simulator) {
        ChildProcess::stop(*d->simulator);
        d->readSimulator();
        d->simulator.reset();
    }
    d->broker.stop();
}

QString DemoEnvironment::brokerUrl() const
{
    return d->broker.isRunning() ? d->broker.url() : QString();
}

} // namespace fd
