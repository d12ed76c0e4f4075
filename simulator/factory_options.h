#pragma once

#include "simulator/factory_fault.h"
#include "simulator/factory_identity.h"

#include <QList>
#include <QString>

class QCommandLineParser;

namespace fd::sim {

// fleetdeck-sim's factory-state devices (--factory*, --bootstrap-*): parsed next to
// SimOptions, like SparkplugOptions.
struct FactoryOptions
{
    static constexpr int kMinRetrySeconds = 1;
    static constexpr int kMaxRetrySeconds = 3600;

    QList<FactoryIdentity> devices;  // --factory N or --factory-serials FILE; empty: none
    QString model = QStringLiteral("TH-100");
    QString listPath;                // --factory-list OUT.csv
    QString bootstrapCert;           // the shared bootstrap identity
    QString bootstrapKey;
    FactoryFaults faults;
    int retrySeconds = 30;
    QString provisioningRoot = QStringLiteral("fleetdeck/provisioning");

    bool enabled() const { return !devices.isEmpty(); }

    static void addTo(QCommandLineParser &parser);
    // After parser.parse(); seed: the run's (serials and claim codes come from it). false
    // with a reason naming the option.
    static bool read(const QCommandLineParser &parser, quint64 seed, FactoryOptions *out, QString *error);
};

} // namespace fd::sim
