#pragma once

#include "core/domain/alert_rule.h"

#include <QString>

#include <vector>

namespace fd {

// Which of a series' rules a value can wake (AlertEvaluator's hot path). A device's rules on
// one metric are "bindings" 0..n-1; a quiet binding (nothing pending, firing or counted) can
// only change when the value meets its condition. The plan finds those without looking at
// every rule: thresholds sorted, with the bit masks of their prefixes, so a value costs two
// binary searches. Built once per distinct list of rules and shared by every device that has
// that list (the devices of one site and model share it).
//
// Only for up to 64 bindings (one mask); a series with more evaluates them all.
class RuleRangePlan
{
public:
    static constexpr int kMaxBindings = 64;

    RuleRangePlan(const std::vector<AlertRule> &rules, const std::vector<int> &bindingRules);

    bool usesMasks() const { return m_usesMasks; }
    // Bindings a quiet rule of which may change on value v, the series' previous value being
    // `previous` (Rate: a candidate whatever the value, checked against the series' rate;
    // Stuck without tolerance: when the value repeats). NaN wakes none.
    quint64 candidates(double v, double previous) const;

private:
    struct Sorted
    {
        std::vector<double> keys;     // ascending (wakes when v > key) or descending (v < key)
        std::vector<quint64> prefix;  // prefix[k]: bits of the first k keys
    };
    static void finish(Sorted &sorted, std::vector<std::pair<double, int>> &entries, bool ascending);

    Sorted m_greater;  // woken when v > key: Above, Outside (high), Occurrences above
    Sorted m_less;     // woken when v < key: Below, Outside (low), Occurrences below
    quint64 m_always = 0;  // Rate, Stuck with a tolerance: always looked at
    quint64 m_repeat = 0;  // Stuck without tolerance: when the value repeats
    bool m_usesMasks = true;
};

} // namespace fd
