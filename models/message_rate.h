#pragma once

#include <QString>

namespace fd {

// The one format for message rates shown anywhere: "1,234 msg/s" (the locale's grouping), one
// decimal below 10 ("2.5 msg/s"), an em dash for an unknown (negative or NaN) rate.
[[nodiscard]] QString formatMessageRate(double messagesPerSecond);
// Only the number, for columns whose header names the unit.
[[nodiscard]] QString formatRateNumber(double messagesPerSecond);

} // namespace fd
