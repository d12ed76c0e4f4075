#include "core/commands/commands_logging.h"

Q_LOGGING_CATEGORY(lcCommands, "fleetdeck.commands")
