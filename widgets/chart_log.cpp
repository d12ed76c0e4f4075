#include "widgets/chart_log.h"

Q_LOGGING_CATEGORY(lcChart, "fleetdeck.chart")
