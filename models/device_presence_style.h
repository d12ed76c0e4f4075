#pragma once

#include "core/domain/device_presence.h"

#include <QColor>
#include <QString>

namespace fd {

// How a device's status as shown (DevicePresence) looks, in every place that shows it
// (inventory dot and text, tree, detail panel badge, status bar): translated word, colour,
// explanation. Online green; Offline a warm red-orange that stands out (never the grey of
// disabled things); Unknown a neutral grey drawn hollow (presenceIsHollow()).
QString devicePresenceLabel(DevicePresence presence);
QColor devicePresenceColor(DevicePresence presence);
QString devicePresenceToolTip(DevicePresence presence);
constexpr bool presenceIsHollow(DevicePresence presence) { return presence == DevicePresence::Unknown; }
// The colour of a value that may no longer be true (stale metrics, unknown status text).
QColor staleValueColor();

} // namespace fd
