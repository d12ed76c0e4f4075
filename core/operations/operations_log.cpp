#include "core/operations/operations_log.h"

namespace fd {

Q_LOGGING_CATEGORY(lcOperations, "fleetdeck.operations")

} // namespace fd
