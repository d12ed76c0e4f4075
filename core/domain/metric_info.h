#pragma once

#include <QString>

#include <optional>

namespace fd {

// How one metric is shown to people: the entry of the metric catalogue (MetricCatalogue).
// The wire value stays as the device sent it; displayValue = wire value × scale (cpu_load
// arrives as 0..1 and is shown in %). expectedMin/Max is the normal range of the shown value
// (a chart's default value axis); either may be absent.
struct MetricInfo
{
    QString name;            // the metric's name on the wire, e.g. "temperature"
    QString displayName;     // e.g. "Temperature"; empty: the wire name
    QString unit;            // e.g. "°C"; empty: a plain number
    int precision = -1;      // decimals shown; -1: automatic (up to 6 significant digits)
    double scale = 1.0;      // shown value = wire value × scale; finite, not 0
    std::optional<double> expectedMin{};
    std::optional<double> expectedMax{};

    static constexpr int kMaxPrecision = 9;
    static constexpr int kMaxNameLength = 200;
    static constexpr int kMaxUnitLength = 32;

    QString shownName() const { return displayName.isEmpty() ? name : displayName; }
    bool operator==(const MetricInfo &) const = default;
};

} // namespace fd
