#include "core/storage/storage_log.h"

namespace fd {

Q_LOGGING_CATEGORY(lcStorage, "fleetdeck.storage")

} // namespace fd
