#pragma once

#include <QtGlobal>

#include <vector>

namespace fd {

// The "frozen order" of a sorted view: while held, rows keep the places they have even
// when their sort keys change (live columns: Last seen, Messages, a metric), so nothing
// moves under the pointer; only the rows' data updates. Rows that stop matching the filter
// leave, rows that start matching (or new devices) are appended at the end in sorted order.
// stale() says the held order differs from the sorted one (the view offers "Re-sort").
// Used by DeviceFilterProxyModel; O(rows) per update, like the proxy's own bookkeeping.
class HeldRowOrder
{
public:
    bool isHeld() const { return m_held; }
    void setHeld(bool held) { m_held = held; }
    bool isStale() const { return m_stale; }
    void setStale(bool stale) { m_stale = stale; }

    // The proxy rows while held: the rows of `current` that are still accepted, in their
    // order, then the accepted rows of `order` that are not in `current`, in that order.
    // Updates stale(): true when the result is not the accepted rows of `order` (once
    // stale, it stays so until setStale(false)).
    std::vector<int> target(const std::vector<int> &current, const std::vector<quint8> &accepted,
                            const std::vector<int> &order);

private:
    bool m_held = false;
    bool m_stale = false;
};

} // namespace fd
