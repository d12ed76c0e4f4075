#pragma once

#include "simulator/sim_options.h"

#include <QJsonObject>
#include <QObject>

#include <memory>
#include <vector>

namespace fd::sim {

class SparkplugEdgeNode;

// The Sparkplug B edge nodes of one fleetdeck-sim run (--sparkplug-nodes): creates them with
// their faults, starts them (a few ms apart), and on stop() publishes every node's NDEATH,
// waits for the broker to take them, and disconnects.
class SparkplugFleet : public QObject
{
    Q_OBJECT
public:
    explicit SparkplugFleet(SimOptions options, QObject *parent = nullptr);
    ~SparkplugFleet() override;

    bool start(QString *error);
    void stop();  // synchronous, at most a few seconds; safe to call twice

    // The manifest's "sparkplug" object: {"group","interval_ms","faults":[...],"nodes":[...]}.
    QJsonObject manifest() const;

private:
    SimOptions m_options;
    std::vector<std::unique_ptr<SparkplugEdgeNode>> m_nodes;
    bool m_stopped = false;
};

} // namespace fd::sim
