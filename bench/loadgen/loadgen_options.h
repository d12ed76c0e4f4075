#pragma once

#include <QString>
#include <QStringList>

namespace fd::bench {

// fleetdeck-loadgen's command line. The load generator publishes protocol v1 telemetry
// (docs/protocol.md) for a range of device ids at a fixed total rate over several MQTT
// connections, with per-device sequence numbers (from 1) and payload timestamps; or, with
// --sparkplug, Sparkplug B edge nodes with those devices (SparkplugLoadNode).
struct LoadgenOptions
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 1883;
    QString prefix = QStringLiteral("fleetdeck/v1");
    int devices = 10000;
    int firstDevice = 1;          // ids dev-<firstDevice> .. dev-<firstDevice + devices - 1>
    double rate = 1000;           // messages per second, all connections together
    double durationS = 10;        // publishing time; the run also ends at durationS + drain
    int connections = 4;
    int qos = 0;
    int window = 0;               // max unconfirmed publishes per connection (0: auto)
    QString clientIdPrefix;       // default fdload-<pid>-
    QString statsJson;            // write a JSON summary here
    bool sparkplug = false;       // Sparkplug B instead of protocol v1
    int sparkplugNodes = 100;     // edge nodes node-1 .. node-N, the devices spread over them
    QString sparkplugGroup = QStringLiteral("bench");

    // Parses argv (including the program name); prints errors/help. Returns false to exit
    // with *exitCode.
    static bool parse(const QStringList &arguments, LoadgenOptions *out, int *exitCode);
};

} // namespace fd::bench
