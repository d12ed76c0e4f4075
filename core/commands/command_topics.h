#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace fd {

// Protocol v1 command topics under a prefix (default "fleetdeck/v1"):
//   request   {prefix}/{device_id}/cmd            published by FleetDeck, QoS 1
//   response  {prefix}/{device_id}/cmd/response   published by the device
// An ingest subscribed to {prefix}/# receives both: requests (its own and other consoles')
// must be ignored, responses routed to CommandService::deliverResponse().
class CommandTopics
{
public:
    enum class Kind { None, Request, Response };
    struct Parsed
    {
        Kind kind = Kind::None;
        QByteArrayView deviceId;  // view into the parsed topic; not validated
    };

    explicit CommandTopics(const QString &prefix = QStringLiteral("fleetdeck/v1"));

    QString prefix() const { return m_prefix; }
    QString requestTopic(const QString &deviceId) const;
    QString responseTopic(const QString &deviceId) const;
    QString requestFilter() const;   // {prefix}/+/cmd
    QString responseFilter() const;  // {prefix}/+/cmd/response

    // Cheap (no allocation): Request for {prefix}/X/cmd, Response for {prefix}/X/cmd/response
    // with X one non-empty level, else None.
    Parsed parse(QByteArrayView topic) const;

private:
    QString m_prefix;
    QByteArray m_prefixUtf8;  // prefix + '/'
};

} // namespace fd
