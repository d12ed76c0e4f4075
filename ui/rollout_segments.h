#pragma once

#include "core/ota/rollout_summary.h"
#include "widgets/breakdown_card.h"

#include <QList>

namespace fd {

// A rollout's device counts as the segments of a BreakdownCard, the same everywhere (the
// Rollouts page, per wave, the Overview): updated (green), in progress (blue), waiting
// (grey), failed / timed out / rolled back (red), rejected (orange), skipped or cancelled
// (dark grey). Empty segments are left out by the card.
QList<BreakdownCard::Segment> rolloutSegments(const RolloutSummary::Counts &counts);

} // namespace fd
