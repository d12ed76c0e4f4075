#include "core/commands/command_state.h"

namespace fd {

QString commandStateKey(CommandState state)
{
    switch (state) {
    case CommandState::Queued:
        return QStringLiteral("queued");
    case CommandState::Sent:
        return QStringLiteral("sent");
    case CommandState::Acknowledged:
        return QStringLiteral("acknowledged");
    case CommandState::Answered:
        return QStringLiteral("answered");
    case CommandState::TimedOut:
        return QStringLiteral("timed_out");
    case CommandState::Failed:
        return QStringLiteral("failed");
    case CommandState::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

} // namespace fd
