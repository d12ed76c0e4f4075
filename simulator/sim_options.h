#pragma once

#include "core/transport/broker_url.h"
#include "simulator/factory_options.h"
#include "simulator/ota_options.h"
#include "simulator/scenario_spec.h"
#include "simulator/sparkplug_options.h"

#include <QString>
#include <QStringList>

namespace fd::sim {

// fleetdeck-sim's command line.
struct SimOptions
{
    BrokerUrl broker;
    int devices = 10;            // protocol v1 devices; 0 with --sparkplug-nodes and no --devices
    double rateHz = 1.0;         // telemetry messages per device per second
    quint64 seed = 1;
    QString prefix = QStringLiteral("fleetdeck/v1");
    int qos = 0;
    double durationSeconds = 0;  // 0: until SIGINT/SIGTERM
    QString clientIdPrefix;      // default "fdsim-<pid>-"
    QString manifestPath;
    double faultRate = 0.0;      // 0..1
    double muteCommandsRate = 0.0;  // 0..1: fraction of devices that never answer commands
    bool offlineOnExit = false;
    // --seq-metric: every telemetry message also carries its seq as the metric "seq", so a
    // consumer's store can be audited message by message (tests/reliability).
    bool seqMetric = false;
    int connectConcurrency = 100;
    QString caFile;
    // --cert-dir DIR: per-device mTLS identities DIR/<id>.crt + DIR/<id>.key (protocol v1
    // devices, Sparkplug edge nodes by node id, enrolled factory devices).
    QString certDir;
    QString username;               // --username; the password comes from FLEETDECK_PASSWORD
    QString password;               // never on the command line (it shows in `ps`)
    bool allowPlaintextPassword = false;  // --allow-plaintext-password: a password over mqtt://
    int firstDevice = 0;            // index of the first device (dev-<firstDevice+1>)
    int devicesPerProcess = 2000;   // above this, fleetdeck-sim runs itself as several processes
    QString shardLabel;             // set by the parent for a shard ("2/5"); empty otherwise
    double historyHours = 0;        // backfill: past telemetry from now - hours, once per device
    double historyIntervalSeconds = 60;  // spacing of the backfilled samples
    QList<ScenarioSpec> scenarios;  // --scenario-file's, then --scenario's, in order
    bool printScenarios = false;    // --print-scenarios: print the plan as JSON and exit
    bool factoryListOnly = false;   // --factory-list without --broker: write the list and exit
    int scenarioFleetFirst = -1;    // set by the parent for a shard: the whole fleet the plan covers
    int scenarioFleetCount = 0;
    OtaOptions ota;              // --ota-*: the protocol v1 devices' OTA agents
    SparkplugOptions sparkplug;  // --sparkplug-*: edge nodes, run by the parent process only
    FactoryOptions factory;      // --factory*: factory-state devices, run by the parent process only

    // The fleet scenarios are planned over: the whole fleet, also in a shard process.
    int planFirst() const { return scenarioFleetFirst >= 0 ? scenarioFleetFirst : firstDevice; }
    int planCount() const { return scenarioFleetFirst >= 0 ? scenarioFleetCount : devices; }

    // The arguments that make a child process run devices [first, first + count).
    // otaReport: the shard's own --ota-report file (empty: none).
    QStringList shardArguments(int first, int count, const QString &manifest, const QString &label,
                               const QString &otaReport = QString(), const QString &otaStatePart = QString()) const;
    QString tag() const;  // "fleetdeck-sim" or "fleetdeck-sim[2/5]" for log lines

    // Parses arguments (argv including the program name). On --help/--version prints and
    // sets exitCode 0; on an error prints the reason and sets exitCode 2. Returns true to run.
    static bool parse(const QStringList &arguments, SimOptions *out, int *exitCode);
};

} // namespace fd::sim
