#pragma once

#include <QByteArrayView>
#include <QString>

namespace fd {

// A Sparkplug B topic (specification chapter 4), parsed without allocating:
//   spBv1.0/{group}/{NBIRTH|NDEATH|NDATA|NCMD}/{node}
//   spBv1.0/{group}/{DBIRTH|DDEATH|DDATA|DCMD}/{node}/{device}
//   spBv1.0/STATE/{host}
// The views point into the topic passed to parse().
struct SparkplugTopic
{
    enum class Type { Invalid, State, NBirth, NDeath, NData, NCmd, DBirth, DDeath, DData, DCmd };
    // Why a topic is Invalid: not under spBv1.0/, an unknown message type or the wrong
    // number of segments (unknown_topic), or an id breaking isValidId() (bad_device_id).
    enum class Problem { None, NotSparkplug, UnknownTopic, BadId };

    static constexpr QByteArrayView kNamespace = "spBv1.0/";
    static constexpr qsizetype kMaxIdBytes = 128;

    Type type = Type::Invalid;
    Problem problem = Problem::NotSparkplug;
    QString detail;  // set for a Problem, for the reject
    QByteArrayView group;
    QByteArrayView node;    // empty for STATE
    QByteArrayView device;  // empty for node messages

    bool isDeviceMessage() const { return type == Type::DBirth || type == Type::DDeath || type == Type::DData || type == Type::DCmd; }

    static SparkplugTopic parse(QByteArrayView topic);
    // A group, edge node, device (or host) id: 1 to kMaxIdBytes bytes of valid UTF-8 without
    // '/', '+', '#' or a control character (U+0000-U+001F, U+007F-U+009F).
    static bool isValidId(QByteArrayView id);
    // "NDATA", ... for logs and reasons.
    static QString typeName(Type type);
};

} // namespace fd
