#pragma once

#include "core/transport/connection_state.h"

#include <QColor>
#include <QString>

namespace fd {

// How a broker connection state is shown: translated word and colour.
QString connectionStateLabel(ConnectionState state);
QColor connectionStateColor(ConnectionState state);

} // namespace fd
