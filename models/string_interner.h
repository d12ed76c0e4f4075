#pragma once

#include <QHash>
#include <QString>

#include <array>
#include <vector>

namespace fd {

// One copy of each distinct string (sites, models, firmware versions, sources, metric
// names), addressed by a dense index; index 0 is the empty string. Strings are never
// removed (the distinct values of a fleet are few). Lookup of a string whose data is the
// very buffer the interner keeps (the cache loader and the decoders share their interned
// strings) is by pointer, without hashing the text.
class StringInterner
{
public:
    StringInterner();

    quint32 intern(const QString &text);
    // -1 if text was never interned.
    qint64 find(const QString &text) const;
    const QString &at(quint32 index) const { return m_strings[index]; }
    quint32 size() const { return quint32(m_strings.size()); }
    void clear();

private:
    std::vector<QString> m_strings;
    QHash<QString, quint32> m_index;
    QHash<const void *, quint32> m_byData;  // data pointer of a kept string -> index
    // The last strings looked up by pointer (a device's site, model, metric names...).
    struct Recent
    {
        const void *data = nullptr;
        qsizetype size = 0;
        quint32 index = 0;
    };
    std::array<Recent, 16> m_recent{};
    size_t m_recentNext = 0;
};

} // namespace fd
