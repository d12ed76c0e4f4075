#include "simulator/sim_logging.h"

Q_LOGGING_CATEGORY(lcSim, "fleetdeck.sim")
