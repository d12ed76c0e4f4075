#include "core/protocol/sparkplug/sparkplug_topic.h"

namespace fd {

namespace {

struct TypeName
{
    QByteArrayView name;
    SparkplugTopic::Type type;
};

constexpr TypeName kTypes[] = {
    {"NBIRTH", SparkplugTopic::Type::NBirth}, {"NDEATH", SparkplugTopic::Type::NDeath},
    {"NDATA", SparkplugTopic::Type::NData},   {"NCMD", SparkplugTopic::Type::NCmd},
    {"DBIRTH", SparkplugTopic::Type::DBirth}, {"DDEATH", SparkplugTopic::Type::DDeath},
    {"DDATA", SparkplugTopic::Type::DData},   {"DCMD", SparkplugTopic::Type::DCmd},
};

QString shown(QByteArrayView bytes)
{
    return QString::fromUtf8(bytes.first(qMin<qsizetype>(bytes.size(), 64)));
}

} // namespace

bool SparkplugTopic::isValidId(QByteArrayView id)
{
    if (id.isEmpty() || id.size() > kMaxIdBytes)
        return false;
    for (qsizetype i = 0; i < id.size(); ++i) {
        const uchar c = uchar(id.at(i));
        if (c < 0x20 || c == 0x7f || c == '/' || c == '+' || c == '#')
            return false;
        if (c == 0xc2 && i + 1 < id.size() && uchar(id.at(i + 1)) >= 0x80 && uchar(id.at(i + 1)) <= 0x9f)
            return false;  // U+0080-U+009F
    }
    return id.isValidUtf8();
}

QString SparkplugTopic::typeName(Type type)
{
    for (const TypeName &t : kTypes) {
        if (t.type == type)
            return QString::fromLatin1(t.name);
    }
    return type == Type::State ? QStringLiteral("STATE") : QStringLiteral("invalid");
}

SparkplugTopic SparkplugTopic::parse(QByteArrayView topic)
{
    SparkplugTopic t;
    if (!topic.startsWith(kNamespace))
        return t;
    QByteArrayView segments[5];
    qsizetype count = 0;
    QByteArrayView rest = topic.sliced(kNamespace.size());
    while (true) {
        const qsizetype slash = rest.indexOf('/');
        if (count == 5) {
            count = 6;  // too many
            break;
        }
        segments[count++] = slash < 0 ? rest : rest.first(slash);
        if (slash < 0)
            break;
        rest = rest.sliced(slash + 1);
    }
    t.problem = Problem::UnknownTopic;
    if (count >= 1 && segments[0] == QByteArrayView("STATE")) {
        // spBv1.0/STATE/{host}: a host application's state, ours or another's; any shape of it
        // is STATE traffic, never device data.
        t.type = Type::State;
        t.problem = Problem::None;
        if (count >= 2)
            t.node = segments[1];
        return t;
    }
    if (count < 3) {
        t.detail = QStringLiteral("not a Sparkplug B topic: spBv1.0/{group}/{message type}/{edge node}[/{device}]");
        return t;
    }
    Type type = Type::Invalid;
    for (const TypeName &n : kTypes) {
        if (segments[1] == n.name)
            type = n.type;
    }
    if (type == Type::Invalid) {
        t.detail = QStringLiteral("unknown Sparkplug B message type \"%1\"").arg(shown(segments[1]));
        return t;
    }
    t.type = type;
    const qsizetype expected = t.isDeviceMessage() ? 4 : 3;
    if (count != expected) {
        t.type = Type::Invalid;
        t.detail = QStringLiteral("%1 needs %2 topic segments after spBv1.0/, not %3")
                       .arg(typeName(type))
                       .arg(expected + 1)
                       .arg(count > 5 ? QStringLiteral("more") : QString::number(count + 1));
        return t;
    }
    t.group = segments[0];
    t.node = segments[2];
    if (t.isDeviceMessage())
        t.device = segments[3];
    const char *bad = !isValidId(t.group) ? "group" : !isValidId(t.node) ? "edge node" : (t.isDeviceMessage() && !isValidId(t.device)) ? "device" : nullptr;
    if (bad) {
        t.type = Type::Invalid;
        t.problem = Problem::BadId;
        t.detail = QStringLiteral("invalid %1 id: 1 to %2 bytes of UTF-8 without '/', '+', '#' or control characters")
                       .arg(QLatin1StringView(bad))
                       .arg(kMaxIdBytes);
        return t;
    }
    t.problem = Problem::None;
    return t;
}

} // namespace fd
