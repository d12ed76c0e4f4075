#pragma once

#include <QString>
#include <QtGlobal>

namespace fd {

// "12 s ago", "5 min ago", "3 h ago", "2 d ago"; "never" for 0; "just now" for times in
// the future (clock skew between device and console). Translated.
QString formatRelativeTime(qint64 thenMs, qint64 nowMs);

// Local date and time with seconds, e.g. for tool tips: "2026-11-26 09:12:04".
QString formatAbsoluteTime(qint64 msSinceEpoch);

} // namespace fd
