#pragma once

#include <QString>
#include <QStringList>

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
    // Replaces the known tags when set ([] clears them); each 1-64 characters without control
    // characters, at most 32, no duplicates, in the device's order (docs/protocol.md).
    std::optional<QStringList> tags;
    // The serial (uppercase hex) of the client certificate the device connected with
    // (issue 14, "cert_serial"): how commissioning and rotation see the new one in use.
    std::optional<QString> certSerial;
};

} // namespace fd
