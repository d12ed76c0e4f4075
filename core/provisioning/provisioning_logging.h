#pragma once

#include <QLoggingCategory>

namespace fd {

Q_DECLARE_LOGGING_CATEGORY(lcProvisioning)  // "fleetdeck.provisioning"

} // namespace fd
