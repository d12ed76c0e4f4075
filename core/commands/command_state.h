#pragma once

#include <QMetaType>
#include <QString>

namespace fd {

// Life of a tracked command (docs/protocol.md, "Commands"):
//   Queued -> Sent -> Acknowledged -> Answered
// and from any unfinished state: TimedOut, Failed or Cancelled. Sent -> Answered directly
// when the answer overtakes the broker's acknowledgement. A command that expects no answer
// finishes at Acknowledged.
enum class CommandState {
    Queued,        // accepted, waiting for the connection
    Sent,          // handed to the MQTT client, broker acknowledgement pending
    Acknowledged,  // the broker took it (PUBACK at QoS 1)
    Answered,      // the device answered (ok or error: CommandRecord::answerOk)
    TimedOut,
    Failed,        // with CommandRecord::reason
    Cancelled,
};

QString commandStateKey(CommandState state);  // "queued", "sent", ... (logs, JSON)

} // namespace fd

Q_DECLARE_METATYPE(fd::CommandState)
