#pragma once

#include <QString>
#include <QtGlobal>

namespace fd {

// "12 s ago", "5 min ago", "3 h ago", "2 d ago"; "never" for 0; "just now" for times in
// the future (clock skew between device and console). Translated.
QString formatRelativeTime(qint64 thenMs, qint64 nowMs);

// Local date and time with seconds and the zone offset, e.g. for tool tips and the detail
// panel: "2026-11-26 09:12:04 UTC+01:00" ("UTC" at offset 0).
QString formatAbsoluteTime(qint64 msSinceEpoch);

// A time that is usually recent, short: "10:42:13" on the day of nowMs (local time),
// else "2026-11-25 10:42:13". "never" for 0.
QString formatClockTime(qint64 msSinceEpoch, qint64 nowMs);

} // namespace fd
