#include "core/operations/operator_action.h"

using namespace Qt::StringLiterals;

namespace fd {

QString OperatorAction::stateKey(State state)
{
    switch (state) {
    case State::Requested:
        return u"requested"_s;
    case State::InProgress:
        return u"in_progress"_s;
    case State::Succeeded:
        return u"succeeded"_s;
    case State::Failed:
        return u"failed"_s;
    case State::Cancelled:
        return u"cancelled"_s;
    }
    return u"requested"_s;
}

std::optional<OperatorAction::State> OperatorAction::stateFromKey(QStringView key)
{
    for (State s : {State::Requested, State::InProgress, State::Succeeded, State::Failed, State::Cancelled}) {
        if (key == stateKey(s))
            return s;
    }
    return std::nullopt;
}

} // namespace fd
