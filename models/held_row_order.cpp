#include "models/held_row_order.h"

namespace fd {

std::vector<int> HeldRowOrder::target(const std::vector<int> &current, const std::vector<quint8> &accepted,
                                      const std::vector<int> &order)
{
    std::vector<int> rows;
    rows.reserve(current.size() + 64);
    std::vector<quint8> kept(accepted.size(), 0);
    for (int row : current) {
        if (accepted[size_t(row)]) {
            rows.push_back(row);
            kept[size_t(row)] = 1;
        }
    }
    for (int row : order) {
        if (accepted[size_t(row)] && !kept[size_t(row)])
            rows.push_back(row);
    }
    if (!m_stale) {
        size_t i = 0;
        for (int row : order) {
            if (!accepted[size_t(row)])
                continue;
            if (i >= rows.size() || rows[i] != row) {
                m_stale = true;
                break;
            }
            ++i;
        }
    }
    return rows;
}

} // namespace fd
