#pragma once

#include "core/domain/device_key.h"

#include <QList>
#include <QString>

#include <utility>

namespace fd {

class DeviceInventoryModel;

// What several selected devices have in common, for the detail panel: how many, how many
// online / offline / unknown (never heard of), and their sources, models and firmware
// versions with counts (most frequent first, then by name; an empty value is counted as ""
// and shown as a dash). Read from the compact rows: no Device is built.
struct DeviceSelectionSummary
{
    using Counts = QList<std::pair<QString, int>>;

    int devices = 0;
    int online = 0;
    int offline = 0;
    int unknown = 0;
    Counts sources;
    Counts models;
    Counts firmware;

    // Devices of keys the inventory does not know are skipped.
    static DeviceSelectionSummary of(const DeviceInventoryModel &inventory, const QList<DeviceKey> &keys);
};

} // namespace fd
