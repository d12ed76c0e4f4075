#pragma once

#include "core/domain/reject_reason.h"

#include <QString>

namespace fd {

// Short translated column/label text for a reject reason ("Bad JSON", "Wrong type", ...).
QString rejectReasonLabel(RejectReason reason);
// One sentence for tool tips: what the reason means and what to check on the device.
QString rejectReasonDescription(RejectReason reason);

} // namespace fd
