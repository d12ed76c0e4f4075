// Fuzz target: TopicScheme, protocol v1's topic layout, with a configurable prefix (from a
// connection profile, so operator input) and topics from the broker (device input).
// Input: "prefix\ntopic" (fuzz_support.h); the prefix is read as UTF-8.
//
// Checked per input:
//  - isValidPrefix() gives a reason exactly when it refuses; a valid prefix has no
//    wildcard, no empty level, no control character, at most 256 characters, and its
//    subscription filter is "{prefix}/#".
//  - parse(): a topic is under the prefix exactly when it starts with "{prefix}/" (UTF-8);
//    a recognised topic is exactly "{prefix}/{id}/{kind}" with the id a view into the
//    topic, and rebuilding it (statusTopic() ...) gives the same bytes back; the id's
//    validity is isValidDeviceId(), the same for its byte and its string form, and a valid
//    id is [A-Za-z0-9._-]{1,64}.
//  - For a valid prefix, every topic built for the topic's id (when valid) parses back to
//    its kind and id: what FleetDeck publishes it also recognises.
#include "fuzz_support.h"

#include "core/protocol/topic_scheme.h"

#include <array>

using namespace fd;

namespace {

QByteArray topicFor(const TopicScheme &scheme, TopicScheme::Kind kind, const QString &id)
{
    switch (kind) {
    case TopicScheme::Kind::Status: return scheme.statusTopic(id).toUtf8();
    case TopicScheme::Kind::Telemetry: return scheme.telemetryTopic(id).toUtf8();
    case TopicScheme::Kind::Command: return scheme.commandTopic(id).toUtf8();
    case TopicScheme::Kind::CommandResponse: return scheme.commandResponseTopic(id).toUtf8();
    case TopicScheme::Kind::Ota: break;  // a whole subtree ({prefix}/{id}/ota/...), not one topic
    case TopicScheme::Kind::Pki: break;  // a whole subtree ({prefix}/{id}/pki/...), not one topic
    case TopicScheme::Kind::Unknown: break;
    }
    return QByteArray();
}

bool isIdChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
           || c == '-';
}

void checkPrefix(const QString &prefixInput, const TopicScheme &scheme)
{
    QString reason;
    const bool valid = TopicScheme::isValidPrefix(prefixInput, &reason);
    FD_FUZZ_CHECK(valid == reason.isEmpty(), "a refused prefix needs a reason, an accepted one none");
    FD_FUZZ_CHECK(!scheme.prefix().isEmpty(), "the prefix in use is never empty (the default replaces it)");
    FD_FUZZ_CHECK(scheme.subscriptionFilter() == scheme.prefix() + QStringLiteral("/#"), "the filter is {prefix}/#");
    if (!valid)
        return;
    const QString &p = scheme.prefix();
    FD_FUZZ_CHECK(p.size() <= TopicScheme::kMaxPrefixLength, "a valid prefix over the length limit");
    FD_FUZZ_CHECK(!p.contains(u'+') && !p.contains(u'#'), "a valid prefix with a wildcard");
    FD_FUZZ_CHECK(!p.contains(QStringLiteral("//")), "a valid prefix with an empty level");
    FD_FUZZ_CHECK(!p.endsWith(u'/'), "the prefix in use ends in '/'");
    for (QChar c : p)
        FD_FUZZ_CHECK(c.category() != QChar::Other_Control && c.unicode() != 0, "a valid prefix with a control character");
}

void checkParse(const TopicScheme &scheme, QByteArrayView topic, bool validPrefix)
{
    const QByteArray under = scheme.prefix().toUtf8() + '/';
    const TopicScheme::Parsed parsed = scheme.parse(topic);
    FD_FUZZ_CHECK(parsed.underPrefix == topic.startsWith(under), "underPrefix is not the prefix test");
    if (parsed.kind == TopicScheme::Kind::Unknown) {
        FD_FUZZ_CHECK(!parsed.deviceIdValid, "an unknown topic with a valid device id");
        return;
    }
    FD_FUZZ_CHECK(parsed.underPrefix, "a recognised topic outside the prefix");
    const QByteArrayView id = parsed.deviceId;
    FD_FUZZ_CHECK(id.data() == topic.data() + under.size(), "the id is not the level after the prefix");
    FD_FUZZ_CHECK(!id.contains('/'), "the id spans levels");
    FD_FUZZ_CHECK(parsed.deviceIdValid == TopicScheme::isValidDeviceId(id), "deviceIdValid is not isValidDeviceId");
    const QString idString = QString::fromUtf8(id);
    FD_FUZZ_CHECK(TopicScheme::isValidDeviceId(idString) == parsed.deviceIdValid,
                  "the id's byte and string forms disagree");
    if (parsed.deviceIdValid) {
        FD_FUZZ_CHECK(id.size() >= 1 && id.size() <= 64, "a valid id of a wrong length");
        for (char c : id)
            FD_FUZZ_CHECK(isIdChar(c), "a valid id with a character outside [A-Za-z0-9._-]");
        if (parsed.kind == TopicScheme::Kind::Ota)
            FD_FUZZ_CHECK(topic.sliced(under.size() + id.size()).startsWith("/ota"), "an OTA topic without /ota");
        else if (parsed.kind == TopicScheme::Kind::Pki)
            FD_FUZZ_CHECK(topic.sliced(under.size() + id.size()).startsWith("/pki"), "a PKI topic without /pki");
        else
            FD_FUZZ_CHECK(topicFor(scheme, parsed.kind, idString) == topic, "rebuilding the topic gives other bytes");
    }

    if (!validPrefix || !parsed.deviceIdValid)
        return;
    constexpr std::array kinds = {TopicScheme::Kind::Status, TopicScheme::Kind::Telemetry, TopicScheme::Kind::Command,
                                  TopicScheme::Kind::CommandResponse};
    for (TopicScheme::Kind kind : kinds) {
        const QByteArray built = topicFor(scheme, kind, idString);
        const TopicScheme::Parsed back = scheme.parse(built);
        FD_FUZZ_CHECK(back.underPrefix && back.kind == kind && back.deviceIdValid && back.deviceId == id,
                      "a topic FleetDeck builds does not parse back to its kind and id");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto [prefixBytes, topic] = fd::fuzz::splitAtNewline(fd::fuzz::inputBytes(data, size));
    const QString prefix = QString::fromUtf8(prefixBytes);
    const TopicScheme scheme(prefix);
    checkPrefix(prefix, scheme);
    checkParse(scheme, topic, TopicScheme::isValidPrefix(prefix));
    // The default scheme too: most topics FleetDeck sees are parsed by it.
    checkParse(TopicScheme(), topic, true);
    return 0;
}
