#include "app/gui/demo_alert_rules.h"

#include "core/alerts/alert_rule_json.h"

#include <QFile>
#include <QLoggingCategory>

namespace fd {

QList<AlertRule> DemoAlertRules::load()
{
    QFile file(QStringLiteral(":/fleetdeck/demo/alert-rules.json"));
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("demo alert rules: %s", qPrintable(file.errorString()));
        return {};
    }
    const AlertRuleJson::ParseResult parsed = AlertRuleJson::parse(file.readAll());
    if (!parsed.ok())
        qWarning("demo alert rules: %s", qPrintable(parsed.errors.join(QStringLiteral("; "))));
    return parsed.rules;
}

} // namespace fd
