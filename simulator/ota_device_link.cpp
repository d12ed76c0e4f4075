#include "simulator/ota_device_link.h"

#include "core/protocol/payload_codec.h"
#include "simulator/device_connection.h"
#include "simulator/sim_logging.h"
#include "simulator/simulated_device.h"

namespace fd::sim {

OtaDeviceLink::OtaDeviceLink(DeviceConnection &connection, SimulatedDevice &device)
    : m_connection(connection)
    , m_device(device)
{
}

bool OtaDeviceLink::isConnected() const
{
    return m_connection.isConnected();
}

bool OtaDeviceLink::publish(const std::string &topic, const QByteArray &payload, int qos, bool retained)
{
    return m_connection.publishUntracked(topic, payload, qos, retained);
}

bool OtaDeviceLink::dropWithWill(std::function<void()> dropped)
{
    return m_connection.dropWithWill(std::move(dropped));
}

void OtaDeviceLink::stayDown()
{
    m_connection.stayDown();
}

bool OtaDeviceLink::reconnect(std::function<void(bool ok)> done)
{
    try {
        m_connection.connect([done = std::move(done)](bool ok, const QString &reason) {
            if (!ok)
                qCInfo(lcSim).noquote() << "OTA reboot: reconnect failed:" << reason;
            done(ok);
        });
        return true;
    } catch (const mqtt::exception &e) {
        qCWarning(lcSim) << "OTA reboot: reconnect failed:" << e.what();
        return false;
    }
}

void OtaDeviceLink::setFirmwareVersion(const QString &version)
{
    m_device.setFirmwareVersion(version);
    m_connection.setOnlineStatus(PayloadCodec::encodeStatus(m_device.status(true)));
}

} // namespace fd::sim
