#pragma once

#include <QString>

namespace fd {

// A file name made from text a device chose (its id, serial or name): only A-Z a-z 0-9 . _ -
// are kept, anything else becomes '_', runs of '_' collapse, leading dots and dashes go (no
// hidden files, no option-like names), bounded to maxLength; never empty (fallback), never
// "." or "..", never a path. Used for default file names (reports, exports) only: the
// operator's file dialog still decides.
struct SafeFileName
{
    static QString part(const QString &text, const QString &fallback = QStringLiteral("device"),
                        qsizetype maxLength = 64);
};

} // namespace fd
