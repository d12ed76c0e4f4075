#include "core/protocol/sparkplug/sparkplug_value_mapper.h"

#include "core/protocol/sparkplug/sparkplug_command_builder.h"

#include <limits>

namespace fd {

namespace {

using DT = SparkplugDataType;

constexpr qsizetype kMaxInternedMembers = 4096;
constexpr qsizetype kRenderChars = 980;  // then ", … (N values)]": within MetricValue::kMaxStringBytes
constexpr qsizetype kHexBytes = 64;

MetricValue ofUnsigned(const QString &name, quint64 v)
{
    if (v > quint64(std::numeric_limits<qint64>::max()))
        return MetricValue::ofDouble(name, double(v));
    return MetricValue::ofInt64(name, qint64(v));
}

// Appends items to "[a, b, ...]" until the text is long enough, then " … (N values)]".
template<typename List, typename F>
QString renderList(const List &list, F item)
{
    QString out = QStringLiteral("[");
    qsizetype i = 0;
    for (; i < list.size(); ++i) {
        const QString next = item(list.at(i));
        if (out.size() + 2 + next.size() > kRenderChars)
            break;
        if (i > 0)
            out += QStringLiteral(", ");
        out += next;
    }
    if (i < list.size())
        out += QStringLiteral(", … (%1 values)").arg(list.size());
    out += u']';
    return out;
}

QString number(double v, int precision)
{
    return QString::number(v, 'g', precision);
}

} // namespace

QString SparkplugValueMapper::bounded(const QString &text, qsizetype maxChars)
{
    if (text.size() <= maxChars)
        return text;
    qsizetype cut = maxChars;
    if (cut > 0 && text.at(cut - 1).isHighSurrogate())
        --cut;
    return text.left(cut);
}

std::optional<MetricValue> SparkplugValueMapper::scalar(const QString &name, quint32 datatype, const SparkplugValue &value)
{
    switch (DT(datatype)) {
    case DT::Int8:
    case DT::Int16:
    case DT::Int32:
    case DT::Int64:
        if (const auto *i = std::get_if<qint64>(&value))
            return MetricValue::ofInt64(name, *i);
        break;
    case DT::UInt8:
    case DT::UInt16:
    case DT::UInt32:
    case DT::UInt64:
    case DT::DateTime:
        if (const auto *u = std::get_if<quint64>(&value))
            return ofUnsigned(name, *u);
        break;
    case DT::Float:
        if (const auto *f = std::get_if<float>(&value))
            return MetricValue::ofDouble(name, double(*f));
        break;
    case DT::Double:
        if (const auto *d = std::get_if<double>(&value))
            return MetricValue::ofDouble(name, *d);
        break;
    case DT::Boolean:
        if (const auto *b = std::get_if<bool>(&value))
            return MetricValue::ofBool(name, *b);
        break;
    case DT::String:
    case DT::Text:
    case DT::UUID:
        if (const auto *s = std::get_if<QString>(&value))
            return MetricValue::ofString(name, bounded(*s));
        break;
    default:
        break;
    }
    return std::nullopt;
}

QString SparkplugValueMapper::render(quint32 datatype, const SparkplugValue &value,
                                     const std::optional<SparkplugMetaData> &metadata)
{
    if (const auto *ints = std::get_if<QList<qint64>>(&value))
        return renderList(*ints, [](qint64 v) { return QString::number(v); });
    if (const auto *uints = std::get_if<QList<quint64>>(&value))
        return renderList(*uints, [](quint64 v) { return QString::number(v); });
    if (const auto *floats = std::get_if<QList<float>>(&value))
        return renderList(*floats, [](float v) { return number(double(v), 7); });
    if (const auto *doubles = std::get_if<QList<double>>(&value))
        return renderList(*doubles, [](double v) { return number(v, 15); });
    if (const auto *bools = std::get_if<QList<bool>>(&value))
        return renderList(*bools, [](bool v) { return v ? QStringLiteral("true") : QStringLiteral("false"); });
    if (const auto *strings = std::get_if<QStringList>(&value))
        return renderList(*strings, [](const QString &v) {
            QString quoted = QStringLiteral("\"");
            quoted += bounded(v, 64);
            quoted += QLatin1Char('"');
            return quoted;
        });
    if (const auto *bytes = std::get_if<QByteArray>(&value)) {
        if (datatype == sparkplugCode(DT::File)) {
            const QString fileName = metadata && metadata->fileName ? bounded(*metadata->fileName, 128) : QString();
            return fileName.isEmpty() ? QStringLiteral("File (%1 bytes)").arg(bytes->size())
                                      : QStringLiteral("File %1 (%2 bytes)").arg(fileName).arg(bytes->size());
        }
        QString out = QStringLiteral("Bytes (%1)").arg(bytes->size());
        if (!bytes->isEmpty())
            out += QStringLiteral(": ") + QString::fromLatin1(bytes->left(kHexBytes).toHex(' '));
        if (bytes->size() > kHexBytes)
            out += QStringLiteral(" …");
        return out;
    }
    if (const auto *ds = std::get_if<SparkplugBox<SparkplugDataSet>>(&value))
        return QStringLiteral("DataSet %1 columns x %2 rows").arg((*ds)->columns.size()).arg((*ds)->rows.size());
    if (const auto *t = std::get_if<SparkplugBox<SparkplugTemplate>>(&value)) {
        const QString ref = (*t)->templateRef ? bounded(*(*t)->templateRef, 128) : QString();
        return QStringLiteral("Template %1 (%2 members)").arg(ref).arg((*t)->metrics.size());
    }
    if (const auto m = scalar(QString(), datatype, value))
        return m->displayText();
    return QString();
}

QString SparkplugValueMapper::memberName(const QString &parent, const QString &member)
{
    QString name = parent;
    name += QLatin1Char('/');
    name += member;
    const auto it = m_names.constFind(name);
    if (it != m_names.cend())
        return it.value();
    if (m_names.size() < kMaxInternedMembers)
        m_names.insert(name, name);
    return name;
}

int SparkplugValueMapper::append(const QString &name, const SparkplugMetric &metric, MetricValues *out,
                                 QStringList *problems)
{
    return appendMember(name, metric, out, problems, 0);
}

int SparkplugValueMapper::appendMember(const QString &name, const SparkplugMetric &metric, MetricValues *out,
                                       QStringList *problems, int depth)
{
    if (!metric.isValid()) {
        problems->append(bounded(name, 128) + QStringLiteral(": ") + metric.invalid);
        return 0;
    }
    if (metric.isNull || std::holds_alternative<std::monostate>(metric.value))
        return 0;
    if (auto m = scalar(name, metric.datatype, metric.value)) {
        out->append(std::move(*m));
        return 1;
    }
    if (const auto *t = std::get_if<SparkplugBox<SparkplugTemplate>>(&metric.value)) {
        if ((*t)->isDefinition)
            return 0;
        if (depth >= kMaxFlattenDepth) {
            problems->append(bounded(name, 128) + QStringLiteral(": templates nested too deep"));
            return 0;
        }
        int n = 0;
        for (const SparkplugMetric &member : (*t)->metrics) {
            if (member.name.isEmpty()) {
                problems->append(bounded(name, 128) + QStringLiteral(": a template member without a name"));
                continue;
            }
            const QString full = memberName(name, member.name);
            if (full.size() > kMaxNameLength) {
                problems->append(bounded(full, 128) + QStringLiteral(": a name longer than %1 characters").arg(kMaxNameLength));
                continue;
            }
            n += appendMember(full, member, out, problems, depth + 1);
        }
        return n;
    }
    const QString text = render(metric.datatype, metric.value, metric.metadata);
    if (text.isEmpty()) {
        problems->append(bounded(name, 128) + QStringLiteral(": no value of type %1")
                                                   .arg(SparkplugCommandBuilder::datatypeName(metric.datatype)));
        return 0;
    }
    out->append(MetricValue::ofString(name, bounded(text)));
    return 1;
}

} // namespace fd
