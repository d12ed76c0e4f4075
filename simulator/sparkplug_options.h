#pragma once

#include "simulator/sparkplug_fault_spec.h"

#include <QList>
#include <QString>

class QCommandLineParser;

namespace fd::sim {

// fleetdeck-sim's Sparkplug B edge nodes (--sparkplug-*): how many, how many devices behind
// each, the group, the DATA period and the injected faults. Parsed next to SimOptions (which
// holds one) so sim_options.cpp stays about the protocol v1 fleet.
struct SparkplugOptions
{
    static constexpr int kMaxNodes = 500;
    static constexpr int kMaxDevicesPerNode = 100;  // aliases: device d uses 100·(d+1) + n
    static constexpr int kMinIntervalMs = 50;
    static constexpr int kMaxIntervalMs = 3600 * 1000;

    int nodes = 0;                                   // 0: no Sparkplug edge nodes
    int devicesPerNode = 4;
    QString group = QStringLiteral("Plant-1");       // the Sparkplug group; FleetDeck's site
    int intervalMs = 1000;                           // NDATA/DDATA period per node
    QString primaryHost;                             // wait for this host's STATE (empty: none)
    QList<SparkplugFaultSpec> faults;                // --sparkplug-fault, in order

    bool enabled() const { return nodes > 0; }

    // Adds the --sparkplug-* options to parser.
    static void addTo(QCommandLineParser &parser);
    // Reads them after parser.parse(); false with a reason naming the option.
    static bool read(const QCommandLineParser &parser, SparkplugOptions *out, QString *error);
    // Valid for MQTT topic levels and Sparkplug ids: not empty, no '/', '+', '#'.
    static bool isValidId(const QString &id);
};

} // namespace fd::sim
