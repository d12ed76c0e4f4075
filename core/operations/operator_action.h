#pragma once

#include <QMetaType>
#include <QString>
#include <QStringView>
#include <QtGlobal>

#include <optional>

namespace fd {

// An operator action tracked by the operations store (table operator_actions): "send a
// command to a device" now, "acknowledge an alert" and the like later. Its state moves
// from Requested to a final state; every change is audited in the same transaction.
struct OperatorAction
{
    enum class State { Requested, InProgress, Succeeded, Failed, Cancelled };

    qint64 id = 0;        // assigned by the store (AUTOINCREMENT, never reused)
    qint64 tsMs = 0;      // when it was requested; 0 = the time the job runs
    QString actor;
    QString kind;         // e.g. "device.command"
    QString source;       // target device, if any
    QString devicePath;
    QString payloadJson;  // what was asked, as JSON
    State state = State::Requested;
    QString resultDetail; // outcome for the operator (error text, reply, ...)
    qint64 updatedMs = 0; // last state change; 0 = the time the job runs

    // Stable keys stored in operator_actions.state: "requested", "in_progress",
    // "succeeded", "failed", "cancelled".
    static QString stateKey(State state);
    static std::optional<State> stateFromKey(QStringView key);

    friend bool operator==(const OperatorAction &, const OperatorAction &) = default;
};

} // namespace fd

Q_DECLARE_METATYPE(fd::OperatorAction)
