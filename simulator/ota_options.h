#pragma once

#include "simulator/ota_failure_spec.h"
#include "simulator/ota_state_file.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

class QCommandLineParser;

namespace fd::sim {

// fleetdeck-sim's OTA agent options (--ota-*), parsed next to SimOptions (which holds one).
// Every protocol v1 device runs the agent; without --ota-trust it has no release key to trust
// and answers every job REJECTED "no trusted release key configured" (a real device without a
// provisioned key would do the same; the console learns why at once instead of timing out).
struct OtaOptions
{
    static constexpr qint64 kMinBandwidth = 1024;                // bytes per second per device
    static constexpr qint64 kMaxBandwidth = 1024ll * 1024 * 1024;
    static constexpr int kMaxDelayMs = 600 * 1000;
    static constexpr qsizetype kMaxTrustPemBytes = 16 * 1024;

    QString trustPath;               // --ota-trust PUB.pem; empty: no trusted key
    QByteArray trustedPem;           // its content, read (and checked) at start
    OtaFailureSpec failures;         // --ota-failures
    qint64 bandwidth = 262144;       // --ota-bandwidth BYTES_PER_S, per device
    int installMs = 2000;            // --ota-install-ms: UPDATING until the reboot
    int rebootMs = 1500;             // --ota-reboot-ms: offline while rebooting
    QString reportPath;              // --ota-report FILE, written at exit
    // --ota-state FILE: the devices' flash across runs (firmware, jobs received and finished),
    // read at start (state), written after every install or finish (at most once a second)
    // and at exit. A shard reads FILE and writes its own part (statePartPath, set by the parent).
    QString statePath;
    QString statePartPath;           // hidden --ota-state-part PART; empty: write statePath
    OtaStateFile::Devices state;     // as read at start (FILE and the parts a killed run left)

    static void addTo(QCommandLineParser &parser);
    // Reads them after parser.parse() (and the trusted key's file); false with a reason.
    static bool read(const QCommandLineParser &parser, OtaOptions *out, QString *error);
    // The same options for a shard process, with its own report file and OTA state part
    // (empty: none).
    QStringList shardArguments(const QString &report, const QString &statePart = QString()) const;
};

} // namespace fd::sim
