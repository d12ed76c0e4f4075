#include "core/provisioning/provisioning_logging.h"

namespace fd {

Q_LOGGING_CATEGORY(lcProvisioning, "fleetdeck.provisioning")

} // namespace fd
