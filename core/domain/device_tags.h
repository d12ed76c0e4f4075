#pragma once

#include <QChar>
#include <QString>
#include <QStringList>

namespace fd {

// A device's tags as one string, where one text is needed (the cache's devices.tags column,
// the inventory's interned strings): the tags joined by U+001F (unit separator), which no
// tag contains (the protocol forbids control characters in tags, docs/protocol.md); ""
// is no tags (a tag is never empty).
inline constexpr QChar kTagSeparator = QChar(0x1f);

inline QString joinTags(const QStringList &tags)
{
    return tags.isEmpty() ? QString() : tags.join(kTagSeparator);
}

inline QStringList splitTags(const QString &joined)
{
    return joined.isEmpty() ? QStringList() : joined.split(kTagSeparator, Qt::SkipEmptyParts);
}

} // namespace fd
