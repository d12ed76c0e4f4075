#include "ui/log_category.h"

Q_LOGGING_CATEGORY(lcUi, "fleetdeck.ui")
