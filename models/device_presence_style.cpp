#include "models/device_presence_style.h"

#include <QCoreApplication>

namespace fd {

QString devicePresenceLabel(DevicePresence presence)
{
    switch (presence) {
    case DevicePresence::Online: return QCoreApplication::translate("fd::DevicePresence", "Online");
    case DevicePresence::Offline: return QCoreApplication::translate("fd::DevicePresence", "Offline");
    case DevicePresence::Unknown: return QCoreApplication::translate("fd::DevicePresence", "Unknown");
    }
    return {};
}

QColor devicePresenceColor(DevicePresence presence)
{
    switch (presence) {
    case DevicePresence::Online: return QColor(0x2e, 0x9d, 0x4f);
    case DevicePresence::Offline: return QColor(0xd3, 0x4a, 0x1a);
    case DevicePresence::Unknown: break;
    }
    return QColor(0x8a, 0x8f, 0x98);
}

QString devicePresenceToolTip(DevicePresence presence)
{
    switch (presence) {
    case DevicePresence::Online:
        return QCoreApplication::translate("fd::DevicePresence", "Online: the device's last status said it is connected.");
    case DevicePresence::Offline:
        return QCoreApplication::translate("fd::DevicePresence",
                                           "Offline: the device said goodbye or its connection was lost.");
    case DevicePresence::Unknown:
        return QCoreApplication::translate("fd::DevicePresence", "Unknown — source not connected");
    }
    return {};
}

QColor staleValueColor()
{
    return QColor(0x8a, 0x8f, 0x98);
}

} // namespace fd
