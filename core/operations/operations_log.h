#pragma once

#include <QLoggingCategory>

namespace fd {

// Logging category of the operations store ("fleetdeck.operations").
Q_DECLARE_LOGGING_CATEGORY(lcOperations)

} // namespace fd
