#pragma once

#include "core/domain/alert_rule.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace fd {

// The rules file (docs/alerts.md): {"rules":[{...}, ...]}. Reading is strict about what it
// knows (a wrong type or value is an error naming the rule and the field) and ignores
// unknown fields, so files of a later version still load. A rule keeps only the fields of
// its kind (others are checked, then dropped), so fromJson(toJson(r)) is r. Errors are one
// line each. Bounded: at most kMaxFileBytes and kMaxRules; a file with any error imports
// nothing.
class AlertRuleJson
{
    Q_DECLARE_TR_FUNCTIONS(fd::AlertRuleJson)
public:
    static constexpr qsizetype kMaxFileBytes = 4 * 1024 * 1024;
    static constexpr qsizetype kMaxRules = 10000;

    struct ParseResult
    {
        QList<AlertRule> rules;
        QStringList errors;  // "rule 3 (Overheat): threshold must be a number"
        bool ok() const { return errors.isEmpty(); }
    };

    static ParseResult parse(const QByteArray &document);
    // One rule object; empty *error on success.
    static AlertRule fromJson(const QJsonObject &object, QString *error);
    static QJsonObject toJson(const AlertRule &rule);
    // {"rules":[...]} indented, rules in the given order.
    static QByteArray serialize(const QList<AlertRule> &rules);
};

} // namespace fd
