#include "simulator/ota_options.h"

#include "core/ota/release_key.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>

namespace fd::sim {

namespace {

bool fail(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return false;
}

bool readDelay(const QCommandLineParser &parser, const QString &name, int *out, QString *error)
{
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value < 0 || value > OtaOptions::kMaxDelayMs)
        return fail(error, QStringLiteral("--%1 must be a number of milliseconds between 0 and %2")
                               .arg(name)
                               .arg(OtaOptions::kMaxDelayMs));
    *out = value;
    return true;
}

} // namespace

void OtaOptions::addTo(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("ota-trust"),
         QStringLiteral("Public release key (PEM, Ed25519 or ECDSA P-256) the devices' OTA agents trust for "
                        "firmware manifests. Without it every OTA job is REJECTED \"no trusted release key "
                        "configured\"."),
         QStringLiteral("PUB.pem")},
        {QStringLiteral("ota-failures"),
         QStringLiteral("Simulated OTA failure rates per job, e.g. download=0.1,signature=0,boot=0.05,silent=0 "
                        "(each 0..1, default all 0)."),
         QStringLiteral("SPEC")},
        {QStringLiteral("ota-bandwidth"),
         QStringLiteral("Firmware download speed per device in bytes per second (default 262144)."),
         QStringLiteral("BYTES_PER_S"), QStringLiteral("262144")},
        {QStringLiteral("ota-install-ms"), QStringLiteral("Time from UPDATING to the reboot (default 2000)."),
         QStringLiteral("MS"), QStringLiteral("2000")},
        {QStringLiteral("ota-reboot-ms"),
         QStringLiteral("Time a device stays offline while rebooting into new firmware (default 1500)."),
         QStringLiteral("MS"), QStringLiteral("1500")},
        {QStringLiteral("ota-report"),
         QStringLiteral("On exit, write per device the running firmware, the OTA jobs received (job id -> "
                        "times) and the installs, as JSON, to FILE."),
         QStringLiteral("FILE")},
        {QStringLiteral("ota-state"),
         QStringLiteral("The devices' flash across runs: read at start if it exists (each device's firmware and the "
                        "OTA jobs it received and finished), written after every install or finished job and at "
                        "exit. A finished job's retained document is not installed again."),
         QStringLiteral("FILE")},
    });
    QCommandLineOption statePart(QStringLiteral("ota-state-part"), QStringLiteral("Internal."), QStringLiteral("FILE"));
    statePart.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(statePart);
}

bool OtaOptions::read(const QCommandLineParser &parser, OtaOptions *out, QString *error)
{
    OtaOptions o;
    if (parser.isSet(QStringLiteral("ota-trust"))) {
        o.trustPath = parser.value(QStringLiteral("ota-trust"));
        QFile file(o.trustPath);
        if (!QFileInfo(o.trustPath).isFile() || !file.open(QIODevice::ReadOnly))
            return fail(error, QStringLiteral("--ota-trust %1: cannot read the file").arg(o.trustPath));
        if (file.size() > kMaxTrustPemBytes)
            return fail(error, QStringLiteral("--ota-trust %1: larger than %2 bytes, not a public key PEM")
                                   .arg(o.trustPath)
                                   .arg(kMaxTrustPemBytes));
        o.trustedPem = file.readAll();
        QString why;
        if (!ReleaseKey::fromPublicPem(o.trustedPem, &why))
            return fail(error, QStringLiteral("--ota-trust %1: %2").arg(o.trustPath, why));
    }
    if (parser.isSet(QStringLiteral("ota-failures"))) {
        QString why;
        const std::optional<OtaFailureSpec> spec = OtaFailureSpec::parse(parser.value(QStringLiteral("ota-failures")), &why);
        if (!spec)
            return fail(error, QStringLiteral("--ota-failures %1").arg(why));
        o.failures = *spec;
    }
    bool ok = false;
    o.bandwidth = parser.value(QStringLiteral("ota-bandwidth")).toLongLong(&ok);
    if (!ok || o.bandwidth < kMinBandwidth || o.bandwidth > kMaxBandwidth)
        return fail(error, QStringLiteral("--ota-bandwidth must be between %1 and %2 bytes per second")
                               .arg(kMinBandwidth)
                               .arg(kMaxBandwidth));
    if (!readDelay(parser, QStringLiteral("ota-install-ms"), &o.installMs, error)
        || !readDelay(parser, QStringLiteral("ota-reboot-ms"), &o.rebootMs, error))
        return false;
    o.reportPath = parser.value(QStringLiteral("ota-report"));
    o.statePath = parser.value(QStringLiteral("ota-state"));
    o.statePartPath = parser.value(QStringLiteral("ota-state-part"));
    if (!o.statePartPath.isEmpty() && o.statePath.isEmpty())
        return fail(error, QStringLiteral("--ota-state-part needs --ota-state"));
    if (!o.statePath.isEmpty()) {
        if (!QFileInfo(QFileInfo(o.statePath).absolutePath()).isDir())
            return fail(error, QStringLiteral("--ota-state %1: the folder does not exist").arg(o.statePath));
        QString why;
        // A shard reads the file its parent consolidated; the parent (or a single process)
        // also takes what the shards of a killed run left in their parts.
        const std::optional<OtaStateFile::Devices> state = o.statePartPath.isEmpty()
            ? OtaStateFile::readWithParts(o.statePath, &why)
            : OtaStateFile::read(o.statePath, &why);
        if (!state)
            return fail(error, QStringLiteral("--ota-state %1").arg(why));
        o.state = *state;
    }
    *out = o;
    return true;
}

QStringList OtaOptions::shardArguments(const QString &report, const QString &statePart) const
{
    QStringList args{QStringLiteral("--ota-bandwidth"), QString::number(bandwidth),
                     QStringLiteral("--ota-install-ms"), QString::number(installMs),
                     QStringLiteral("--ota-reboot-ms"), QString::number(rebootMs)};
    if (!trustPath.isEmpty())
        args << QStringLiteral("--ota-trust") << QFileInfo(trustPath).absoluteFilePath();
    if (failures.any())
        args << QStringLiteral("--ota-failures") << failures.toString();
    if (!report.isEmpty())
        args << QStringLiteral("--ota-report") << report;
    if (!statePath.isEmpty() && !statePart.isEmpty())
        args << QStringLiteral("--ota-state") << QFileInfo(statePath).absoluteFilePath() << QStringLiteral("--ota-state-part")
             << statePart;
    return args;
}

} // namespace fd::sim
