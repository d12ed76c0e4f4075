#pragma once

#include "core/domain/alert_rule.h"

#include <QList>

namespace fd {

// The rule set demo mode installs (resources/demo/alert-rules.json, tuned to the
// simulator's `--scenario demo`: overheating, battery drain, a stuck sensor, a silent
// device, flapping connectivity and a site that drops).
class DemoAlertRules
{
public:
    static QList<AlertRule> load();
};

} // namespace fd
