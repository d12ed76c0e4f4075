#include "models/device_selection_summary.h"

#include "models/device_inventory_model.h"

#include <QHash>

#include <algorithm>

namespace fd {

namespace {

DeviceSelectionSummary::Counts sortedCounts(const QHash<quint32, int> &counts, const DeviceRowStore &store)
{
    DeviceSelectionSummary::Counts out;
    out.reserve(counts.size());
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        out.append({store.string(it.key()), it.value()});
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) {
        if (a.second != b.second)
            return a.second > b.second;
        return a.first.compare(b.first, Qt::CaseInsensitive) < 0;
    });
    return out;
}

} // namespace

DeviceSelectionSummary DeviceSelectionSummary::of(const DeviceInventoryModel &inventory, const QList<DeviceKey> &keys)
{
    DeviceSelectionSummary s;
    const DeviceRowStore &store = inventory.store();
    QHash<quint32, int> sources;
    QHash<quint32, int> models;
    QHash<quint32, int> firmware;
    for (const DeviceKey &key : keys) {
        const int row = inventory.rowOf(key);
        if (row < 0)
            continue;
        const DeviceRowStore::Row &d = store.row(row);
        ++s.devices;
        if (d.lastSeenMs <= 0)
            ++s.unknown;
        else if (d.online)
            ++s.online;
        else
            ++s.offline;
        ++sources[d.source];
        ++models[d.model];
        ++firmware[d.fwVersion];
    }
    s.sources = sortedCounts(sources, store);
    s.models = sortedCounts(models, store);
    s.firmware = sortedCounts(firmware, store);
    return s;
}

} // namespace fd
