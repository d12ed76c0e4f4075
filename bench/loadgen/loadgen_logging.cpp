#include "bench/loadgen/loadgen_logging.h"

namespace fd::bench {
Q_LOGGING_CATEGORY(lcLoadgen, "fleetdeck.bench.loadgen")
}
