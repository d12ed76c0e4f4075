#pragma once

#include <QString>

namespace fd::sim {

// A file name for an id that came from elsewhere (a device id, a serial): only
// [A-Za-z0-9._-], at most 64 characters before the suffix, no leading '.', never "." or
// "..", never a Windows device name (CON, NUL, COM1, ...). An id that is already such a
// name is kept as it is ("dev-00001" -> "dev-00001"); any other gets its unsafe characters
// replaced by '_' and "-" + 8 hex digits of its SHA-256 appended, so two ids never share a
// file ("a/b" -> "a_b-<hash>", "a_b" stays "a_b").
class SafeFileName
{
public:
    static constexpr qsizetype kMaxStemChars = 64;

    static QString from(const QString &id);
    // True when from(id) == id.
    static bool isSafe(const QString &id);
};

} // namespace fd::sim
