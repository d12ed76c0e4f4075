// Fuzz target: AlertRuleJson::parse, the alert rules file (docs/alerts.md) that
// `fleetdeckctl rules import` and Alerts > Rules… > Import read (a file from anywhere), and
// the same reader on every rule the operations store holds (AlertRuleTable).
// Input: the file's bytes.
//
// Checked per input:
//  - All or nothing: ok() exactly when there are no errors; a refused file gives no rule.
//    Errors: at most one per rule (so at most kMaxRules), each a line of text of at most 512
//    characters (ctl prints one per line, the GUI joins the first five with line breaks).
//  - An accepted file: at most kMaxRules rules, each valid (AlertRule::validate() is empty),
//    names unique, 1..128 characters without control characters or a leading U+FEFF,
//    description at most 4,096 and metric at most 128 characters, a scope value (1..256
//    characters) exactly when the scope is not all devices, a source beside it only for a
//    device; conditionText() works.
//  - Export -> import: serialize() of the rules parses back to the same rules in the same
//    order (sameDefinition), and so does each rule through toJson -> fromJson (how the
//    operations store keeps it): importing an exported file again changes nothing.
#include "fuzz_support.h"

#include "core/alerts/alert_rule_json.h"

#include <QSet>

using namespace fd;

namespace {

constexpr qsizetype kMaxErrorChars = 512;

bool hasControl(const QString &s)
{
    for (QChar c : s) {
        if (c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

bool isOneLine(const QString &s)
{
    for (QChar c : s) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Separator_Line
            || c.category() == QChar::Separator_Paragraph)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fd::fuzz::quietLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = fd::fuzz::inputBytes(data, size).toByteArray();
    const AlertRuleJson::ParseResult r = AlertRuleJson::parse(bytes);
    FD_FUZZ_CHECK(r.ok() == r.errors.isEmpty(), "ok() is not 'no errors'");
    FD_FUZZ_CHECK(r.errors.size() <= AlertRuleJson::kMaxRules, "more errors than rules can give");
    for (const QString &e : r.errors)
        FD_FUZZ_CHECK(!e.isEmpty() && e.size() <= kMaxErrorChars && isOneLine(e),
                      "an error that is empty, too long or not one line");
    if (!r.ok()) {
        FD_FUZZ_CHECK(r.rules.isEmpty(), "a refused file gave rules");
        return 0;
    }
    FD_FUZZ_CHECK(bytes.size() <= AlertRuleJson::kMaxFileBytes, "a file over the limit accepted");
    FD_FUZZ_CHECK(r.rules.size() <= AlertRuleJson::kMaxRules, "more rules than the limit");

    QSet<QString> names;
    for (const AlertRule &rule : r.rules) {
        FD_FUZZ_CHECK(rule.validate().isEmpty(), "an accepted rule that is not valid");
        FD_FUZZ_CHECK(!rule.name.trimmed().isEmpty() && rule.name.size() <= AlertRule::kMaxNameLength
                          && !hasControl(rule.name) && !rule.name.startsWith(QChar(QChar::ByteOrderMark)),
                      "a name that is empty, too long, with a control character or a leading U+FEFF");
        FD_FUZZ_CHECK(!names.contains(rule.name), "one name twice");
        names.insert(rule.name);
        FD_FUZZ_CHECK(rule.description.size() <= 4096 && rule.metric.size() <= 128,
                      "a description or metric over its length");
        FD_FUZZ_CHECK(rule.id == 0, "an imported rule with an id");
        if (rule.scope.kind == AlertScope::Kind::All)
            FD_FUZZ_CHECK(rule.scope.value.isEmpty() && rule.scope.source.isEmpty(), "scope all with a value");
        else
            FD_FUZZ_CHECK(!rule.scope.value.isEmpty() && rule.scope.value.size() <= 256,
                          "a scope value that is empty or over 256 characters");
        FD_FUZZ_CHECK(rule.scope.source.isEmpty()
                          || (rule.scope.kind == AlertScope::Kind::Device && rule.scope.source.size() <= 256),
                      "a scope source beside something else than a device");
        (void)rule.conditionText();

        // How the operations store keeps a rule (AlertRuleTable): toJson, read with fromJson.
        QString problem;
        const AlertRule stored = AlertRuleJson::fromJson(AlertRuleJson::toJson(rule), &problem);
        FD_FUZZ_CHECK(problem.isEmpty(), "a rule written by toJson is refused by fromJson");
        FD_FUZZ_CHECK(stored.sameDefinition(rule), "toJson -> fromJson changed the rule");
    }

    const AlertRuleJson::ParseResult back = AlertRuleJson::parse(AlertRuleJson::serialize(r.rules));
    FD_FUZZ_CHECK(back.ok(), "the exported rules do not import");
    FD_FUZZ_CHECK(back.rules.size() == r.rules.size(), "export -> import: another number of rules");
    for (qsizetype i = 0; i < back.rules.size(); ++i)
        FD_FUZZ_CHECK(back.rules.at(i).sameDefinition(r.rules.at(i)), "export -> import changed a rule");
    return 0;
}
