#pragma once

#include <QString>

#include <optional>

namespace fd {

// A device's retained status message (protocol v1). Attributes absent from the payload
// (e.g. the Last Will {"online":false}) are nullopt and leave the known value unchanged.
struct DeviceStatus
{
    QString deviceId;
    bool online = false;
    std::optional<QString> name;
    std::optional<QString> model;
    std::optional<QString> fwVersion;
    std::optional<QString> site;
};

} // namespace fd
