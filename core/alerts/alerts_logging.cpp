#include "core/alerts/alerts_logging.h"

Q_LOGGING_CATEGORY(lcAlerts, "fleetdeck.alerts")
