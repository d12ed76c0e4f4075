#include "models/fleet_presence_summary.h"

#include "models/device_inventory_model.h"

#include <algorithm>
#include <vector>

namespace fd {

void FleetPresenceSummary::Counts::add(DevicePresence presence)
{
    switch (presence) {
    case DevicePresence::Online: ++online; break;
    case DevicePresence::Offline: ++offline; break;
    case DevicePresence::Unknown: ++unknown; break;
    }
}

void FleetPresenceSummary::compute(const DeviceInventoryModel &inventory)
{
    const DeviceRowStore &store = inventory.store();
    std::vector<Counts> bySource(store.stringCount());
    std::vector<Counts> bySite(store.stringCount());
    m_total = {};
    const int rows = store.size();
    for (int r = 0; r < rows; ++r) {
        const DeviceRowStore::Row &row = store.row(r);
        const DevicePresence presence = inventory.presence(r);
        m_total.add(presence);
        bySource[row.source].add(presence);
        bySite[row.site].add(presence);
    }
    const auto collect = [&store](const std::vector<Counts> &counts) {
        QList<Group> groups;
        for (quint32 i = 0; i < counts.size(); ++i) {
            if (counts[i].total() > 0)
                groups.append({store.string(i), counts[i]});
        }
        std::sort(groups.begin(), groups.end(), [](const Group &a, const Group &b) {
            // Devices without a site last.
            if (a.name.isEmpty() != b.name.isEmpty())
                return b.name.isEmpty();
            return QString::compare(a.name, b.name, Qt::CaseInsensitive) < 0;
        });
        return groups;
    };
    m_bySource = collect(bySource);
    m_bySite = collect(bySite);
}

} // namespace fd
