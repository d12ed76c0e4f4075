#pragma once

#include "core/domain/connection_state.h"

#include <QColor>
#include <QString>

namespace fd {

// How a broker connection state is shown: translated word and colour.
QString connectionStateLabel(ConnectionState state);
QColor connectionStateColor(ConnectionState state);
// A tooltip that shows text exactly as given (broker and device text may look like markup,
// which Qt would otherwise render as rich text): escaped, line breaks kept.
QString plainTextToolTip(const QString &text);

} // namespace fd
