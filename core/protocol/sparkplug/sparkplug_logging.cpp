#include "core/protocol/sparkplug/sparkplug_logging.h"

namespace fd {

Q_LOGGING_CATEGORY(lcSparkplug, "fleetdeck.sparkplug")

} // namespace fd
