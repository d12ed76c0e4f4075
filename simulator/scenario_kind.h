#pragma once

#include <QString>

#include <array>
#include <optional>

namespace fd::sim {

// The behavioural fault scenarios of fleetdeck-sim (--scenario, --scenario-file): what a
// device does wrong for a while, as opposed to the malformed messages of --faults.
enum class ScenarioKind {
    Overheating,   // temperature climbs to a peak well above 45 °C, holds, then cools back
    BatteryDrain,  // battery falls fast to a few percent, holds; at the end it is swapped (~95 %)
    StuckSensor,   // one metric repeats exactly the same value
    Flapping,      // retained {"online":false} + disconnect, reconnect a few seconds later, repeatedly
    Silent,        // stays connected, sends no telemetry
    SiteDown,      // every device of one site offline at once, then all come back
};

inline constexpr std::array<ScenarioKind, 6> kAllScenarioKinds = {
    ScenarioKind::Overheating, ScenarioKind::BatteryDrain, ScenarioKind::StuckSensor,
    ScenarioKind::Flapping,    ScenarioKind::Silent,       ScenarioKind::SiteDown};

// "overheating", "battery_drain", "stuck_sensor", "flapping", "silent", "site_down".
QString scenarioKindKey(ScenarioKind kind);
std::optional<ScenarioKind> scenarioKindFromKey(const QString &key);
QString scenarioKindKeys();  // all keys, comma separated, for error messages

} // namespace fd::sim
