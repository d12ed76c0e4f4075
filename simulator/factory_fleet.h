#pragma once

#include "simulator/factory_device.h"
#include "simulator/sim_options.h"

#include <QObject>

#include <memory>
#include <vector>

namespace fd::sim {

// The factory-state devices of a run (--factory / --factory-serials): writes their
// expected-devices list (--factory-list) and starts each FactoryDevice, a few hundred ms
// apart. Runs in the parent process only (like the Sparkplug edge nodes).
class FactoryFleet : public QObject
{
    Q_OBJECT
public:
    explicit FactoryFleet(SimOptions options, QObject *parent = nullptr);
    ~FactoryFleet() override;

    // Writes the list only (no broker): false with *error.
    static bool writeList(const SimOptions &options, QString *error);

    bool start(QString *error);
    void stop();
    const std::vector<std::unique_ptr<FactoryDevice>> &devices() const { return m_devices; }

private:
    SimOptions m_options;
    std::vector<std::unique_ptr<FactoryDevice>> m_devices;
};

} // namespace fd::sim
