#include "simulator/factory_options.h"

#include "core/broker/mosquitto_acl.h"

#include <QCommandLineParser>

namespace fd::sim {

void FactoryOptions::addTo(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("factory"),
         QStringLiteral("Devices in factory state that enroll through the provisioning protocol (serials "
                        "SN-<seed>-0001.., claim codes from --seed)."),
         QStringLiteral("N")},
        {QStringLiteral("factory-serials"), QStringLiteral("Factory devices with these serials (one per line) instead."),
         QStringLiteral("FILE")},
        {QStringLiteral("factory-model"), QStringLiteral("Model of the factory devices (default TH-100)."),
         QStringLiteral("MODEL")},
        {QStringLiteral("factory-list"),
         QStringLiteral("Write the factory devices' expected-devices CSV (serial,model,claim_code) to FILE; "
                        "without --broker: write it and exit."),
         QStringLiteral("FILE")},
        {QStringLiteral("bootstrap-cert"), QStringLiteral("The shared bootstrap identity's certificate (PEM)."),
         QStringLiteral("FILE")},
        {QStringLiteral("bootstrap-key"), QStringLiteral("The shared bootstrap identity's key (PEM, unencrypted)."),
         QStringLiteral("FILE")},
        {QStringLiteral("factory-fault"),
         QStringLiteral("Misbehaviour of every factory device: wrong-claim, bad-csr, wrong-subject, weak-key, "
                        "replay, expired (comma separated, repeatable)."),
         QStringLiteral("KIND")},
        {QStringLiteral("factory-retry-s"),
         QStringLiteral("Seconds before a refused factory device asks again (default 30)."), QStringLiteral("S")},
        {QStringLiteral("provisioning-root"),
         QStringLiteral("Topic root of provisioning (default fleetdeck/provisioning)."), QStringLiteral("ROOT")},
    });
}

bool FactoryOptions::read(const QCommandLineParser &parser, quint64 seed, FactoryOptions *out, QString *error)
{
    FactoryOptions o;
    if (parser.isSet(QStringLiteral("factory-model"))) {
        o.model = parser.value(QStringLiteral("factory-model")).trimmed();
        if (o.model.isEmpty() || o.model.size() > 64) {
            *error = QStringLiteral("--factory-model must have 1 to 64 characters");
            return false;
        }
    }
    const bool count = parser.isSet(QStringLiteral("factory"));
    const bool serials = parser.isSet(QStringLiteral("factory-serials"));
    if (count && serials) {
        *error = QStringLiteral("give either --factory N or --factory-serials FILE");
        return false;
    }
    if (count) {
        bool ok = false;
        const int n = parser.value(QStringLiteral("factory")).toInt(&ok);
        if (!ok || n < 1 || n > FactoryIdentities::kMaxDevices) {
            *error = QStringLiteral("--factory must be between 1 and %1").arg(FactoryIdentities::kMaxDevices);
            return false;
        }
        o.devices = FactoryIdentities::generate(n, seed, o.model);
    } else if (serials) {
        if (!FactoryIdentities::fromSerialFile(parser.value(QStringLiteral("factory-serials")), seed, o.model,
                                               &o.devices, error)) {
            return false;
        }
    }
    o.listPath = parser.value(QStringLiteral("factory-list"));
    o.bootstrapCert = parser.value(QStringLiteral("bootstrap-cert"));
    o.bootstrapKey = parser.value(QStringLiteral("bootstrap-key"));
    for (const QString &spec : parser.values(QStringLiteral("factory-fault"))) {
        if (!FactoryFaults::parse(spec, &o.faults, error))
            return false;
    }
    if (parser.isSet(QStringLiteral("factory-retry-s"))) {
        bool ok = false;
        o.retrySeconds = parser.value(QStringLiteral("factory-retry-s")).toInt(&ok);
        if (!ok || o.retrySeconds < kMinRetrySeconds || o.retrySeconds > kMaxRetrySeconds) {
            *error = QStringLiteral("--factory-retry-s must be between %1 and %2").arg(kMinRetrySeconds).arg(kMaxRetrySeconds);
            return false;
        }
    }
    if (parser.isSet(QStringLiteral("provisioning-root"))) {
        o.provisioningRoot = parser.value(QStringLiteral("provisioning-root"));
        QString why;
        if (!MosquittoAcl::isSafeTopicRoot(o.provisioningRoot, &why)) {
            *error = QStringLiteral("--provisioning-root: %1").arg(why);
            return false;
        }
    }
    if (!o.enabled() && (!o.listPath.isEmpty() || !o.faults.isEmpty() || !o.bootstrapCert.isEmpty())) {
        *error = QStringLiteral("--factory-list, --factory-fault and --bootstrap-cert need --factory or --factory-serials");
        return false;
    }
    if (o.bootstrapCert.isEmpty() != o.bootstrapKey.isEmpty()) {
        *error = QStringLiteral("--bootstrap-cert and --bootstrap-key go together");
        return false;
    }
    *out = o;
    return true;
}

} // namespace fd::sim
