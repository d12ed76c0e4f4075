#pragma once

#include "simulator/ota_agent.h"

namespace fd::sim {

class DeviceConnection;
class SimulatedDevice;

// OtaAgent's view of one simulated protocol v1 device: its MQTT connection (OTA messages go
// out untracked, outside the manifest's ledger) and its model (the firmware its status shows).
class OtaDeviceLink : public OtaAgent::Link
{
public:
    OtaDeviceLink(DeviceConnection &connection, SimulatedDevice &device);

    bool isConnected() const override;
    bool publish(const std::string &topic, const QByteArray &payload, int qos, bool retained) override;
    bool dropWithWill(std::function<void()> dropped) override;
    void stayDown() override;
    bool reconnect(std::function<void(bool ok)> done) override;
    void setFirmwareVersion(const QString &version) override;

private:
    DeviceConnection &m_connection;
    SimulatedDevice &m_device;
};

} // namespace fd::sim
