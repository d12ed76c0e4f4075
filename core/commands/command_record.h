#pragma once

#include "core/commands/command_state.h"
#include "core/commands/device_command.h"

#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace fd {

// A command and where it stands; CommandService::commandUpdated() carries a copy of it at
// every transition. Times are wall-clock milliseconds since the epoch (0: not yet).
struct CommandRecord
{
    CommandId id = 0;
    QString wireId;            // the "id" on the wire ("<instance>-<id>")
    DeviceCommand command;
    CommandState state = CommandState::Queued;
    bool answerOk = false;     // Answered: the device's "ok"
    QJsonObject result;        // Answered: the device's "result"
    QString reason;            // Answered with ok=false: the device's "error"; TimedOut/Failed/Cancelled: why
    qint64 submittedMs = 0;
    qint64 sentMs = 0;
    qint64 acknowledgedMs = 0;
    qint64 finishedMs = 0;

    bool isFinished() const
    {
        switch (state) {
        case CommandState::Queued:
        case CommandState::Sent:
            return false;
        case CommandState::Acknowledged:
            return !command.expectsAnswer;
        case CommandState::Answered:
        case CommandState::TimedOut:
        case CommandState::Failed:
        case CommandState::Cancelled:
            return true;
        }
        return true;
    }
};

// Counters of one CommandService since construction.
struct CommandStats
{
    quint64 submitted = 0;       // accepted by submit()
    quint64 refused = 0;         // refused by submit() (invalid, queue full)
    quint64 answered = 0;
    quint64 timedOut = 0;
    quint64 failed = 0;
    quint64 cancelled = 0;
    quint64 badResponses = 0;    // cmd/response payloads that break the rules
    quint64 ignoredResponses = 0;// valid, but for an unknown, finished or foreign command
};

} // namespace fd

Q_DECLARE_METATYPE(fd::CommandRecord)
