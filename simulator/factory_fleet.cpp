#include "simulator/factory_fleet.h"

#include "simulator/factory_list_writer.h"

#include <QFileInfo>
#include <QTimer>

#include <cstdio>

namespace fd::sim {

namespace {
constexpr int kStaggerMs = 200;
} // namespace

FactoryFleet::FactoryFleet(SimOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
}

FactoryFleet::~FactoryFleet()
{
    stop();
}

bool FactoryFleet::writeList(const SimOptions &options, QString *error)
{
    if (options.factory.listPath.isEmpty())
        return true;
    if (!FactoryListWriter::write(options.factory.listPath, options.factory.devices, error))
        return false;
    std::fprintf(stderr, "%s: expected-devices list of %lld factory devices written to %s\n",
                 qPrintable(options.tag()), static_cast<long long>(options.factory.devices.size()),
                 qPrintable(options.factory.listPath));
    return true;
}

bool FactoryFleet::start(QString *error)
{
    const FactoryOptions &f = m_options.factory;
    if (!writeList(m_options, error))
        return false;
    if (!m_options.broker.tls) {
        *error = QStringLiteral("factory devices enroll over mutual TLS: give an mqtts:// broker");
        return false;
    }
    if (f.bootstrapCert.isEmpty()) {
        *error = QStringLiteral("factory devices need the bootstrap identity: --bootstrap-cert and --bootstrap-key");
        return false;
    }
    for (const QString &file : {f.bootstrapCert, f.bootstrapKey}) {
        if (!QFileInfo(file).isReadable()) {
            *error = QStringLiteral("cannot read %1").arg(file);
            return false;
        }
    }
    if (m_options.certDir.isEmpty()) {
        *error = QStringLiteral("factory devices keep their certificates in --cert-dir DIR: give one");
        return false;
    }
    for (const FactoryIdentity &identity : f.devices) {
        FactoryDevice::Config cfg;
        cfg.identity = identity;
        cfg.faults = f.faults;
        cfg.serverUri = m_options.broker.pahoUri().toStdString();
        cfg.bootstrap = ClientTls{m_options.caFile.toStdString(), f.bootstrapCert.toStdString(),
                                  f.bootstrapKey.toStdString()};
        cfg.certDir = DeviceCertDir(m_options.certDir);
        cfg.provisioningRoot = f.provisioningRoot;
        cfg.prefix = m_options.prefix;
        cfg.clientIdPrefix = m_options.clientIdPrefix;
        cfg.rateHz = m_options.rateHz;
        cfg.seed = m_options.seed;
        cfg.retryMs = f.retrySeconds * 1000;
        cfg.tag = m_options.tag();
        try {
            m_devices.push_back(std::make_unique<FactoryDevice>(std::move(cfg), this));
        } catch (const mqtt::exception &e) {
            *error = QStringLiteral("cannot create the MQTT client of %1: %2").arg(identity.serial, QString::fromUtf8(e.what()));
            return false;
        }
    }
    std::fprintf(stderr, "%s: %zu factory devices (model %s) enroll at %s, provisioning root %s%s\n",
                 qPrintable(m_options.tag()), m_devices.size(), qPrintable(f.model),
                 qPrintable(m_options.broker.toString()), qPrintable(f.provisioningRoot),
                 qPrintable(f.faults.isEmpty() ? QString() : QStringLiteral(", faults ") + f.faults.toString()));
    for (size_t i = 0; i < m_devices.size(); ++i) {
        FactoryDevice *device = m_devices[i].get();
        QTimer::singleShot(int(i) * kStaggerMs, device, [device] { device->start(); });
    }
    return true;
}

void FactoryFleet::stop()
{
    for (const std::unique_ptr<FactoryDevice> &d : m_devices)
        d->stop();
}

} // namespace fd::sim
