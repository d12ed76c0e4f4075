#pragma once

#include <QString>

namespace fd {

// The Sparkplug B host id a FleetDeck connection announces its STATE under
// (spBv1.0/STATE/{host_id}; ConnectionProfile::sparkplugHostId). One topic level: 1 to 64
// characters, no '/', '+' or '#' (they would change the topic's levels or make it a
// filter), no control characters. Empty in a profile means "derived at connect time".
struct SparkplugHostId
{
    static constexpr int kMaxLength = 64;
    // True when id can be used as it is; else false with *why (a sentence fragment that
    // names the problem, e.g. "it contains '/'").
    static bool isValid(const QString &id, QString *why = nullptr);
};

} // namespace fd
