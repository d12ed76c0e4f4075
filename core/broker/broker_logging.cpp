#include "core/broker/broker_logging.h"

Q_LOGGING_CATEGORY(lcBroker, "fleetdeck.broker")
