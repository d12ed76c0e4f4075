#include "simulator/scenario_file.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace fd::sim {

namespace {

using Naming = ScenarioSpec::Naming;
using Param = ScenarioSpec::Param;
using ParamType = ScenarioSpec::ParamType;

const QString kComment = QStringLiteral("comment");

std::nullopt_t fail(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return std::nullopt;
}

QString describe(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

// One entry of "scenarios"; errors without the "scenarios[i]" prefix.
std::optional<ScenarioSpec> parseEntry(const QJsonObject &o, QString *error)
{
    const QJsonValue kindValue = o.value(QStringLiteral("kind"));
    if (!kindValue.isString())
        return fail(error, QStringLiteral("\"kind\" must be a string (%1)").arg(scenarioKindKeys()));
    const std::optional<ScenarioKind> kind = scenarioKindFromKey(kindValue.toString());
    if (!kind) {
        return fail(error, QStringLiteral("unknown kind \"%1\" (%2)").arg(kindValue.toString().left(80),
                                                                          scenarioKindKeys()));
    }
    ScenarioSpec spec;
    spec.kind = *kind;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = it.key();
        const QJsonValue value = it.value();
        if (key == u"kind" || key == kComment)
            continue;
        const std::optional<Param> param = ScenarioSpec::paramFromName(key, Naming::File);
        if (!param || !spec.accepts(*param)) {
            return fail(error, QStringLiteral("\"%1\" is not a key of %2 (keys: kind, %3, comment)")
                                   .arg(key.left(80), kindValue.toString(), spec.acceptedNames(Naming::File)));
        }
        if (*param == Param::Duration && value.isNull())
            continue;  // until exit
        switch (ScenarioSpec::typeOf(*param)) {
        case ParamType::Integer:
        case ParamType::Number:
            if (!value.isDouble())
                return fail(error, QStringLiteral("\"%1\" must be a number, not %2").arg(key, describe(value)));
            if (!spec.setNumber(*param, value.toDouble(), Naming::File, error))
                return std::nullopt;
            break;
        case ParamType::Flag:
            if (!value.isBool())
                return fail(error, QStringLiteral("\"%1\" must be true or false, not %2").arg(key, describe(value)));
            spec.setFlag(*param, value.toBool());
            break;
        case ParamType::Text:
            if (*param == Param::Device && value.isArray()) {
                const QJsonArray ids = value.toArray();
                if (ids.isEmpty())
                    return fail(error, QStringLiteral("\"%1\" is an empty array").arg(key));
                if (ids.size() > ScenarioSpec::kMaxDeviceIds)
                    return fail(error, QStringLiteral("\"%1\" names more than %2 devices").arg(key).arg(ScenarioSpec::kMaxDeviceIds));
                for (qsizetype i = 0; i < ids.size(); ++i) {
                    if (!ids.at(i).isString()) {
                        return fail(error, QStringLiteral("\"%1\"[%2] must be a string, not %3")
                                               .arg(key).arg(i).arg(describe(ids.at(i))));
                    }
                    if (!spec.setText(*param, ids.at(i).toString(), Naming::File, error))
                        return std::nullopt;
                }
                break;
            }
            if (!value.isString()) {
                return fail(error, QStringLiteral("\"%1\" must be a string%2, not %3")
                                       .arg(key, *param == Param::Device ? QStringLiteral(" or an array of strings")
                                                                         : QString(),
                                            describe(value)));
            }
            if (!spec.setText(*param, value.toString(), Naming::File, error))
                return std::nullopt;
            break;
        }
    }
    if (!spec.validate(Naming::File, error))
        return std::nullopt;
    return spec;
}

} // namespace

std::optional<QList<ScenarioSpec>> ScenarioFile::load(const QString &path, QString *error)
{
    const QFileInfo fileInfo(path);
    if (!fileInfo.exists())
        return fail(error, QStringLiteral("%1: no such file").arg(path));
    if (!fileInfo.isFile())
        return fail(error, QStringLiteral("%1: not a regular file").arg(path));
    if (fileInfo.size() > kMaxBytes)
        return fail(error, QStringLiteral("%1: larger than %2 bytes").arg(path).arg(kMaxBytes));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(error, QStringLiteral("%1: %2").arg(path, file.errorString()));
    const QByteArray bytes = file.read(kMaxBytes + 1);  // it may have grown since the check
    if (bytes.size() > kMaxBytes)
        return fail(error, QStringLiteral("%1: larger than %2 bytes").arg(path).arg(kMaxBytes));
    QString why;
    std::optional<QList<ScenarioSpec>> specs = parse(bytes, &why);
    if (!specs)
        return fail(error, QStringLiteral("%1: %2").arg(path, why));
    return specs;
}

std::optional<QList<ScenarioSpec>> ScenarioFile::parse(const QByteArray &json, QString *error)
{
    if (json.size() > kMaxBytes)
        return fail(error, QStringLiteral("larger than %1 bytes").arg(kMaxBytes));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return fail(error, QStringLiteral("not valid JSON: %1 at byte %2")
                               .arg(parseError.errorString())
                               .arg(parseError.offset));
    }
    if (!doc.isObject())
        return fail(error, QStringLiteral("expected a JSON object {\"scenarios\": [...]}"));
    const QJsonObject root = doc.object();
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it.key() != u"scenarios" && it.key() != kComment)
            return fail(error, QStringLiteral("unknown key \"%1\" (keys: scenarios, comment)").arg(it.key().left(80)));
    }
    const QJsonValue list = root.value(QStringLiteral("scenarios"));
    if (!list.isArray())
        return fail(error, QStringLiteral("\"scenarios\" must be an array, not %1").arg(describe(list)));
    const QJsonArray entries = list.toArray();
    if (entries.size() > ScenarioSpec::kMaxScenarios)
        return fail(error, QStringLiteral("more than %1 scenarios (%2)").arg(ScenarioSpec::kMaxScenarios).arg(entries.size()));
    QList<ScenarioSpec> specs;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        if (!entries.at(i).isObject())
            return fail(error, QStringLiteral("scenarios[%1] must be an object, not %2").arg(i).arg(describe(entries.at(i))));
        QString why;
        const std::optional<ScenarioSpec> spec = parseEntry(entries.at(i).toObject(), &why);
        if (!spec)
            return fail(error, QStringLiteral("scenarios[%1]: %2").arg(i).arg(why));
        specs << *spec;
    }
    return specs;
}

} // namespace fd::sim
