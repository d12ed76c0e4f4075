#include "ui/sparkplug_actions.h"

#include <QCoreApplication>

#include <algorithm>

namespace fd {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("fd::SparkplugActions", text);
}
} // namespace

SparkplugActions SparkplugActions::of(const Device &device, ConnectionState sourceState)
{
    SparkplugActions a;
    a.applies = device.sparkplug.isSparkplug();
    if (!a.applies) {
        a.writeReason = a.rebirthReason = tr("Not a Sparkplug B edge node or device.");
        return a;
    }
    const bool node = device.key().path.count(QLatin1Char('/')) == 1;
    if (sourceState != ConnectionState::Connected) {
        a.writeReason = a.rebirthReason =
            tr("Source %1 is not connected: a command cannot reach the edge node.").arg(device.source);
        return a;
    }
    a.canRebirth = true;
    const SparkplugMetricDefinitions *metrics = device.sparkplug.metrics.get();
    if (!metrics) {
        a.writeReason = node ? tr("No NBIRTH from this edge node since FleetDeck started: the datatypes of its metrics "
                                  "are not known. Request a rebirth first.")
                             : tr("No DBIRTH from this device since FleetDeck started: the datatypes of its metrics "
                                  "are not known. Request a rebirth first.");
    } else if (!device.online || device.staleSinceMs != 0) {
        a.writeReason = node ? tr("The edge node is offline (no live session): it cannot take a write until it is "
                                  "born again.")
                             : tr("The device is offline (no live session): it cannot take a write until it is "
                                  "born again.");
    } else if (std::none_of(metrics->cbegin(), metrics->cend(),
                            [](const SparkplugMetricDefinition &m) { return m.writable; })) {
        a.writeReason = tr("Its last BIRTH declared no writable metric.");
    } else {
        a.canWrite = true;
    }
    return a;
}

} // namespace fd
