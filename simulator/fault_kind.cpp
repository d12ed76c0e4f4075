#include "simulator/fault_kind.h"

namespace fd::sim {

QString faultKindKey(FaultKind kind)
{
    switch (kind) {
    case FaultKind::BadJson:
        return QStringLiteral("bad_json");
    case FaultKind::WrongType:
        return QStringLiteral("wrong_type");
    case FaultKind::Oversize:
        return QStringLiteral("oversize");
    case FaultKind::BadDeviceId:
        return QStringLiteral("bad_device_id");
    case FaultKind::MissingMetrics:
        return QStringLiteral("missing_field");
    }
    return QStringLiteral("unknown");
}

std::optional<FaultKind> faultKindFromKey(const QString &key)
{
    for (FaultKind kind : kAllFaultKinds) {
        if (faultKindKey(kind) == key)
            return kind;
    }
    return std::nullopt;
}

} // namespace fd::sim
