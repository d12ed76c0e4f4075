#include "models/source_presence_table.h"

#include <algorithm>
#include <utility>

namespace fd {

void SourcePresenceTable::clearCounts()
{
    for (Entry &e : m_entries) {
        e.total = 0;
        e.online = 0;
        e.firstRow = std::numeric_limits<int>::max();
        e.lastRow = -1;
        e.lastSeenMs = 0;
    }
    m_visibleOnline = 0;
    m_unknown = 0;
}

SourcePresenceTable::Entry &SourcePresenceTable::resolve(quint32 id, const QString &name)
{
    if (id >= m_entries.size())
        m_entries.resize(size_t(id) + 1);
    Entry &e = m_entries[id];
    if (!e.resolved) {
        e.resolved = true;
        e.name = name;
        e.visible = isSourceVisible(state(name));
    }
    return e;
}

void SourcePresenceTable::setVisible(Entry &e, quint32 id, bool visible)
{
    if (e.visible == visible)
        return;
    if (e.visible) {
        m_visibleOnline -= e.online;
        m_unknown += e.total;
    } else {
        m_visibleOnline += e.online;
        m_unknown -= e.total;
    }
    e.visible = visible;
    if (e.total > 0)
        m_changed.push_back(id);
}

void SourcePresenceTable::setDefaultState(ConnectionState state)
{
    m_default = state;
    for (size_t id = 0; id < m_entries.size(); ++id) {
        Entry &e = m_entries[id];
        if (e.resolved && !m_states.contains(e.name))
            setVisible(e, quint32(id), isSourceVisible(state));
    }
}

qint64 SourcePresenceTable::setState(const QString &name, qint64 id, ConnectionState state)
{
    m_states.insert(name, state);
    if (id < 0 || quint64(id) >= m_entries.size() || !m_entries[size_t(id)].resolved)
        return -1;  // resolved with this state when its first device arrives
    Entry &e = m_entries[size_t(id)];
    const bool had = e.total > 0;
    const size_t before = m_changed.size();
    setVisible(e, quint32(id), isSourceVisible(state));
    if (m_changed.size() != before)
        m_changed.pop_back();  // reported by the return value instead
    else
        return -1;
    return had ? id : -1;
}

void SourcePresenceTable::account(quint32 id, const QString &name, bool online, int row, qint64 lastSeenMs, int sign)
{
    Entry &e = resolve(id, name);
    e.total += sign;
    if (online)
        e.online += sign;
    if (e.visible) {
        if (online)
            m_visibleOnline += sign;
    } else {
        m_unknown += sign;
    }
    if (sign > 0) {
        e.firstRow = std::min(e.firstRow, row);
        e.lastRow = std::max(e.lastRow, row);
        e.lastSeenMs = std::max(e.lastSeenMs, lastSeenMs);
    }
}

void SourcePresenceTable::rebuildRows(int rows, const std::function<quint32(int)> &rowSource)
{
    for (Entry &e : m_entries) {
        e.firstRow = std::numeric_limits<int>::max();
        e.lastRow = -1;
    }
    for (int row = 0; row < rows; ++row) {
        const quint32 id = rowSource(row);
        if (id >= m_entries.size())
            continue;
        Entry &e = m_entries[id];
        e.firstRow = std::min(e.firstRow, row);
        e.lastRow = std::max(e.lastRow, row);
    }
}

QStringList SourcePresenceTable::hiddenSources() const
{
    QStringList names;
    for (const Entry &e : m_entries)
        if (e.resolved && !e.visible && e.total > 0)
            names.append(e.name);
    names.sort(Qt::CaseInsensitive);
    return names;
}

} // namespace fd
