#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace fd {

// Protocol v1 topic layout: {prefix}/{device_id}/status, {prefix}/{device_id}/telemetry, and
// the command topics {prefix}/{device_id}/cmd (FleetDeck -> device) and
// {prefix}/{device_id}/cmd/response (device -> FleetDeck), and the firmware update topics
// {prefix}/{device_id}/ota/... (job, chunk, chunk/request, status; core/ota/ota_topics.h),
// and the certificate rotation topics {prefix}/{device_id}/pki/... (csr, cert;
// core/provisioning/provisioning_topics.h), which the telemetry decoder ignores: the rollout
// runner and the provisioning service have their own connections for them.
// The prefix is configurable (default "fleetdeck/v1") and may contain several levels.
class TopicScheme
{
public:
    enum class Kind { Status, Telemetry, Command, CommandResponse, Ota, Pki, Unknown };

    struct Parsed
    {
        Kind kind = Kind::Unknown;
        QByteArrayView deviceId;   // view into the parsed topic
        bool deviceIdValid = false;
        bool underPrefix = false;  // false: the topic is not ours at all
    };

    static constexpr QStringView kDefaultPrefix = u"fleetdeck/v1";

    explicit TopicScheme(const QString &prefix = kDefaultPrefix.toString());

    QString prefix() const { return m_prefix; }
    // Filter that receives every topic under the prefix (also malformed ones, to count them).
    QString subscriptionFilter() const;
    QString statusTopic(const QString &deviceId) const;
    QString telemetryTopic(const QString &deviceId) const;
    QString commandTopic(const QString &deviceId) const;
    QString commandResponseTopic(const QString &deviceId) const;

    Parsed parse(QByteArrayView topic) const;

    // A prefix FleetDeck can subscribe under and parse: no MQTT wildcard ('+', '#'), no
    // empty level ("a//b"), no control character, at most kMaxPrefixLength characters.
    // Empty (the default is used) and trailing '/' (dropped) are fine. False with a reason.
    static constexpr qsizetype kMaxPrefixLength = 256;
    static bool isValidPrefix(const QString &prefix, QString *reason = nullptr);

    // [A-Za-z0-9._-]{1,64}
    static bool isValidDeviceId(QByteArrayView id);
    static bool isValidDeviceId(const QString &id);

private:
    QString m_prefix;
    QByteArray m_prefixUtf8;  // prefix + '/'
};

} // namespace fd
