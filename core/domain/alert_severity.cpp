#include "core/domain/alert_severity.h"

namespace fd {

QString alertSeverityKey(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Critical: return QStringLiteral("CRITICAL");
    case AlertSeverity::Major: return QStringLiteral("MAJOR");
    case AlertSeverity::Minor: return QStringLiteral("MINOR");
    case AlertSeverity::Warning: return QStringLiteral("WARNING");
    case AlertSeverity::Indeterminate: return QStringLiteral("INDETERMINATE");
    }
    return QStringLiteral("INDETERMINATE");
}

std::optional<AlertSeverity> alertSeverityFromKey(QStringView key)
{
    for (AlertSeverity s : kAllAlertSeverities) {
        if (key.compare(alertSeverityKey(s), Qt::CaseInsensitive) == 0)
            return s;
    }
    return std::nullopt;
}

} // namespace fd
