#include "core/domain/alert.h"

namespace fd {

QString alertStatusKey(AlertStatus status)
{
    switch (status) {
    case AlertStatus::ActiveUnack: return QStringLiteral("ACTIVE_UNACK");
    case AlertStatus::ActiveAck: return QStringLiteral("ACTIVE_ACK");
    case AlertStatus::ClearedUnack: return QStringLiteral("CLEARED_UNACK");
    case AlertStatus::ClearedAck: return QStringLiteral("CLEARED_ACK");
    }
    return QStringLiteral("ACTIVE_UNACK");
}

std::optional<AlertStatus> alertStatusFromKey(QStringView key)
{
    for (AlertStatus s : {AlertStatus::ActiveUnack, AlertStatus::ActiveAck, AlertStatus::ClearedUnack,
                          AlertStatus::ClearedAck}) {
        if (key == alertStatusKey(s))
            return s;
    }
    return std::nullopt;
}

} // namespace fd
