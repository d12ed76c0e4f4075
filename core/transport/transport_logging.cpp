#include "core/transport/transport_logging.h"

Q_LOGGING_CATEGORY(lcTransport, "fleetdeck.transport")
