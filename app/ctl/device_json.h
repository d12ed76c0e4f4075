#pragma once

#include "core/domain/device.h"

#include <QJsonArray>
#include <QJsonObject>

namespace fd {

// The inventory as `fleetdeckctl devices --json` prints it (a stable, documented format):
// {id, name, site, model, fw_version, tags (array of strings, [] when none), online,
//  last_seen (ISO 8601 UTC or null),
//  metrics {name: latest value}, rejected (count)}.
class DeviceJson
{
public:
    static QJsonObject toJson(const Device &device);
    static QJsonArray toJson(const QList<Device> &devices);
};

} // namespace fd
