#include "models/string_interner.h"

namespace fd {

StringInterner::StringInterner()
{
    clear();
}

void StringInterner::clear()
{
    m_strings.assign(1, QString());
    m_index.clear();
    m_byData.clear();
    m_recent = {};
}

quint32 StringInterner::intern(const QString &text)
{
    if (text.isEmpty())
        return 0;
    // A string sharing a kept buffer is that string: kept buffers are never freed or
    // modified (shared data detaches on write), so the pointer cannot be reused.
    const void *data = text.constData();
    for (const Recent &r : m_recent) {
        if (r.data == data && r.size == text.size())
            return r.index;
    }
    const auto byData = m_byData.constFind(data);
    if (byData != m_byData.cend() && m_strings[*byData].size() == text.size()) {
        m_recent[m_recentNext] = {data, text.size(), *byData};
        m_recentNext = (m_recentNext + 1) % m_recent.size();
        return *byData;
    }
    const auto it = m_index.constFind(text);
    if (it != m_index.cend())
        return *it;
    const quint32 index = quint32(m_strings.size());
    m_strings.push_back(text);
    m_index.insert(text, index);
    m_byData.insert(m_strings.back().constData(), index);
    m_recent[m_recentNext] = {m_strings.back().constData(), text.size(), index};
    m_recentNext = (m_recentNext + 1) % m_recent.size();
    return index;
}

qint64 StringInterner::find(const QString &text) const
{
    if (text.isEmpty())
        return 0;
    const auto it = m_index.constFind(text);
    return it == m_index.cend() ? -1 : qint64(*it);
}

} // namespace fd
