#pragma once

#include <QLoggingCategory>

namespace fd {

Q_DECLARE_LOGGING_CATEGORY(lcSparkplug)  // "fleetdeck.sparkplug"

} // namespace fd
