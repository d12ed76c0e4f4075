#pragma once

#include "core/commands/command_response.h"

#include <QByteArrayView>

#include <optional>

namespace fd::sim {

// How a simulated device answers a protocol v1 command (docs/protocol.md, "Commands"):
//   ping          ok, result {"uptime_s": seconds since the device connected}
//   identify      ok (a real device would blink)
//   set_interval  params {"interval_ms": 100..3600000} -> ok, result {"interval_ms": N};
//                 anything else -> ok:false with the rule
//   other names   ok:false, error "unknown command"
// A request that breaks the rules is answered ok:false when its id can be read, otherwise
// not at all.
class CommandResponder
{
public:
    static constexpr int kMinIntervalMs = 100;
    static constexpr int kMaxIntervalMs = 3600 * 1000;

    struct Outcome
    {
        bool answer = false;           // false: nothing to answer (no readable id)
        CommandResponse response;
        std::optional<int> intervalMs; // set_interval accepted
    };

    static Outcome respond(QByteArrayView request, qint64 uptimeMs);

    // --mute-commands FRACTION: device `index` never answers. Spread evenly and exactly:
    // the k-th muted device is the one where floor((index + 1) * fraction) steps up, so
    // 0.5 mutes dev-00002, dev-00004, ...; 1 mutes all; 0 none.
    static bool isMuted(int index, double fraction);
};

} // namespace fd::sim
