#pragma once

#include <QLoggingCategory>

namespace fd {

// Logging category of the SQLite cache ("fleetdeck.storage").
Q_DECLARE_LOGGING_CATEGORY(lcStorage)

} // namespace fd
