#include "core/alerts/rule_range_plan.h"

#include <algorithm>
#include <cmath>

namespace fd {

RuleRangePlan::RuleRangePlan(const std::vector<AlertRule> &rules, const std::vector<int> &bindingRules)
{
    if (bindingRules.size() > size_t(kMaxBindings)) {
        m_usesMasks = false;
        return;
    }
    std::vector<std::pair<double, int>> greater;
    std::vector<std::pair<double, int>> less;
    for (int bit = 0; bit < int(bindingRules.size()); ++bit) {
        const AlertRule &r = rules[size_t(bindingRules[size_t(bit)])];
        switch (r.kind) {
        case AlertRuleKind::Above: greater.emplace_back(r.threshold, bit); break;
        case AlertRuleKind::Below: less.emplace_back(r.threshold, bit); break;
        case AlertRuleKind::Outside:
            greater.emplace_back(r.high, bit);
            less.emplace_back(r.low, bit);
            break;
        case AlertRuleKind::Occurrences:
            (r.conditionAbove ? greater : less).emplace_back(r.threshold, bit);
            break;
        case AlertRuleKind::Rate: m_always |= quint64(1) << bit; break;
        case AlertRuleKind::Stuck:
            (r.tolerance == 0 ? m_repeat : m_always) |= quint64(1) << bit;
            break;
        case AlertRuleKind::NoData:
        case AlertRuleKind::Offline:
        case AlertRuleKind::CertificateExpiring: break;  // woken by time, not by values
        }
    }
    finish(m_greater, greater, true);
    finish(m_less, less, false);
}

void RuleRangePlan::finish(Sorted &sorted, std::vector<std::pair<double, int>> &entries, bool ascending)
{
    std::sort(entries.begin(), entries.end(), [ascending](const auto &a, const auto &b) {
        return ascending ? a.first < b.first : a.first > b.first;
    });
    sorted.prefix.assign(1, 0);
    for (const auto &[key, bit] : entries) {
        sorted.keys.push_back(key);
        sorted.prefix.push_back(sorted.prefix.back() | (quint64(1) << bit));
    }
}

quint64 RuleRangePlan::candidates(double v, double previous) const
{
    if (std::isnan(v))
        return 0;
    // Keys below v (ascending: a prefix) wake "v > key"; keys above v (descending: a prefix)
    // wake "v < key".
    const auto g = std::lower_bound(m_greater.keys.cbegin(), m_greater.keys.cend(), v);
    const auto l = std::lower_bound(m_less.keys.cbegin(), m_less.keys.cend(), v, std::greater<double>());
    return m_always | (v == previous ? m_repeat : 0) | m_greater.prefix[size_t(g - m_greater.keys.cbegin())]
        | m_less.prefix[size_t(l - m_less.keys.cbegin())];
}

} // namespace fd
