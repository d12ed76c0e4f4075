#include "core/domain/alert_filter.h"

namespace fd {

bool AlertFilter::needsAttention(const Alert &alert, qint64 nowMs)
{
    if (alert.isSnoozed(nowMs))
        return false;
    return alert.isActive() || alert.status == AlertStatus::ClearedUnack;
}

bool AlertFilter::matches(const Alert &alert, qint64 nowMs) const
{
    if (alert.resolved)
        return false;
    if (!showGrouped && alert.parentId != 0)
        return false;
    if (scope == Scope::NeedsAttention && !needsAttention(alert, nowMs))
        return false;
    if (severity && alert.severity != *severity)
        return false;
    if (status && alert.status != *status)
        return false;
    if (!source.isEmpty() && alert.device.source != source)
        return false;
    if (!site.isEmpty() && alert.site != site)
        return false;
    if (!rule.isEmpty() && alert.ruleName != rule)
        return false;
    if (text.isEmpty())
        return true;
    const QStringView fields[] = {alert.ruleName, alert.device.path, alert.device.source, alert.site,
                                  alert.metric,   alert.assignee,    alert.message,       alert.groupKey};
    for (QStringView word : QStringView(text).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        bool found = false;
        for (QStringView field : fields) {
            if (field.contains(word, Qt::CaseInsensitive)) {
                found = true;
                break;
            }
        }
        if (!found)
            return false;
    }
    return true;
}

} // namespace fd
