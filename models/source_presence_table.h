#pragma once

#include "core/domain/connection_state.h"
#include "core/domain/device_presence.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>
#include <limits>
#include <vector>

namespace fd {

// The inventory's per-source bookkeeping for the status as shown (DevicePresence): each
// source's connection state, and per source its devices, online devices, the first and
// last row they occupy and the newest "last seen". Indexed by the interned source string
// of DeviceRowStore, so a row's source is found without hashing. A source changing state
// costs O(1) here (the counts move as a whole); the model then signals one dataChanged over
// [firstRow, lastRow] of that source.
//
// States are set by name (a source may get its state before its first device arrives);
// sources without a state have defaultState() (Connected unless told otherwise, so a model
// used alone shows the devices' own status).
class SourcePresenceTable
{
public:
    struct Entry
    {
        QString name;
        bool resolved = false;  // state looked up by name
        bool visible = true;
        int total = 0;
        int online = 0;
        int firstRow = std::numeric_limits<int>::max();
        int lastRow = -1;
        qint64 lastSeenMs = 0;  // newest lastSeenMs of its devices (the last update heard)
    };

    void clearCounts();  // every device gone; states are kept
    void setDefaultState(ConnectionState state);
    ConnectionState defaultState() const { return m_default; }
    // The state of source `name`; id: its interned string if it has one (else -1). Returns
    // the entry's id when the visibility of a source that has devices changed, else -1.
    qint64 setState(const QString &name, qint64 id, ConnectionState state);
    ConnectionState state(const QString &name) const { return m_states.value(name, m_default); }
    bool hasState(const QString &name) const { return m_states.contains(name); }

    // A device of source `id` (named `name`) at `row` enters (sign +1) or leaves (-1).
    void account(quint32 id, const QString &name, bool online, int row, qint64 lastSeenMs, int sign);
    // Row ranges after rows moved (deletions): rowSource(r) for every row.
    void rebuildRows(int rows, const std::function<quint32(int)> &rowSource);

    bool isVisible(quint32 id) const { return id < m_entries.size() ? m_entries[id].visible : defaultVisible(); }
    const Entry *entry(quint32 id) const { return id < m_entries.size() ? &m_entries[id] : nullptr; }
    int visibleOnline() const { return m_visibleOnline; }
    int unknown() const { return m_unknown; }
    // Sources that have devices and are not connected, sorted.
    QStringList hiddenSources() const;
    // Visibility changes (setDefaultState) of sources with devices: their ids.
    std::vector<quint32> takeChanged() { return std::exchange(m_changed, {}); }

private:
    bool defaultVisible() const { return isSourceVisible(m_default); }
    Entry &resolve(quint32 id, const QString &name);
    void setVisible(Entry &e, quint32 id, bool visible);

    ConnectionState m_default = ConnectionState::Connected;
    QHash<QString, ConnectionState> m_states;
    std::vector<Entry> m_entries;
    std::vector<quint32> m_changed;
    int m_visibleOnline = 0;
    int m_unknown = 0;
};

} // namespace fd
