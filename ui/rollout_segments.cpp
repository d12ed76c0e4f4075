#include "ui/rollout_segments.h"

#include <QCoreApplication>

namespace fd {

QList<BreakdownCard::Segment> rolloutSegments(const RolloutSummary::Counts &counts)
{
    int updated = 0, inProgress = 0, waiting = 0, failed = 0, rejected = 0, stopped = 0;
    for (OtaDeviceState state : kAllOtaDeviceStates) {
        const int n = counts[size_t(state)];
        switch (state) {
        case OtaDeviceState::Updated: updated += n; break;
        case OtaDeviceState::Pending: waiting += n; break;
        case OtaDeviceState::Rejected: rejected += n; break;
        case OtaDeviceState::Failed:
        case OtaDeviceState::TimedOut:
        case OtaDeviceState::RolledBack: failed += n; break;
        case OtaDeviceState::Skipped:
        case OtaDeviceState::Cancelled: stopped += n; break;
        default: inProgress += n; break;
        }
    }
    const auto tr = [](const char *text) { return QCoreApplication::translate("fd::RolloutSegments", text); };
    return {
        {tr("updated"), updated, QColor(0x2e, 0x9e, 0x5b)},
        {tr("in progress"), inProgress, QColor(0x2f, 0x80, 0xd1)},
        {tr("waiting"), waiting, QColor(0xa0, 0xa4, 0xab)},
        {tr("failed"), failed, QColor(0xd6, 0x3b, 0x3b)},
        {tr("rejected"), rejected, QColor(0xe6, 0x8a, 0x1f)},
        {tr("skipped"), stopped, QColor(0x60, 0x64, 0x6b)},
    };
}

} // namespace fd
