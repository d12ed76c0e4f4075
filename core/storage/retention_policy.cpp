#include "core/storage/retention_policy.h"

#include <QtGlobal>

namespace fd {

namespace {

// Days a coarser level keeps at least, given the (normalized) finer level.
int atLeast(int finer, int days)
{
    if (RetentionPolicy::keepsForever(finer) || RetentionPolicy::keepsForever(days))
        return RetentionPolicy::kKeepForever;
    return qMax(finer, days);
}

int clampDays(int days)
{
    return qBound(RetentionPolicy::kKeepForever, days, RetentionPolicy::kMaxDays);
}

// True if `after` keeps less than `before` (forever counts as infinitely long).
bool shorter(int after, int before)
{
    if (RetentionPolicy::keepsForever(after))
        return false;
    return RetentionPolicy::keepsForever(before) || after < before;
}

} // namespace

QString RetentionPolicy::describe(int days)
{
    if (keepsForever(days))
        return tr("forever");
    return days == 1 ? tr("1 day") : tr("%1 days").arg(days);
}

bool RetentionPolicy::isValid(QString *problem) const
{
    auto fail = [problem](const QString &message) {
        if (problem)
            *problem = message;
        return false;
    };
    for (int days : {rawDays, minuteDays, hourDays}) {
        if (days < 0 || days > kMaxDays)
            return fail(tr("Retention must be between 1 and %1 days, or forever.").arg(kMaxDays));
    }
    if (keepsForever(rawDays) && !keepsForever(minuteDays))
        return fail(tr("Raw telemetry is kept forever, so the per-minute rollups must be kept forever too."));
    if (keepsForever(minuteDays) && !keepsForever(hourDays))
        return fail(tr("Per-minute rollups are kept forever, so the per-hour rollups must be kept forever too."));
    if (!keepsForever(minuteDays) && minuteDays < rawDays)
        return fail(tr("Per-minute rollups must be kept at least as long as raw telemetry (%1).")
                        .arg(describe(rawDays)));
    if (!keepsForever(hourDays) && hourDays < minuteDays)
        return fail(tr("Per-hour rollups must be kept at least as long as per-minute rollups (%1).")
                        .arg(describe(minuteDays)));
    if (problem)
        problem->clear();
    return true;
}

RetentionPolicy RetentionPolicy::normalized() const
{
    RetentionPolicy p;
    p.rawDays = clampDays(rawDays);
    p.minuteDays = atLeast(p.rawDays, clampDays(minuteDays));
    p.hourDays = atLeast(p.minuteDays, clampDays(hourDays));
    return p;
}

bool RetentionPolicy::isShorterThan(const RetentionPolicy &before) const
{
    const RetentionPolicy a = normalized();
    const RetentionPolicy b = before.normalized();
    return shorter(a.rawDays, b.rawDays) || shorter(a.minuteDays, b.minuteDays) || shorter(a.hourDays, b.hourDays);
}

} // namespace fd
