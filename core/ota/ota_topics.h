#pragma once

#include <QByteArrayView>
#include <QString>

namespace fd {

// The OTA topics of protocol v1 (docs/protocol.md "Firmware updates (OTA)"), under the v1
// prefix (default "fleetdeck/v1"), {d} = device id:
//   {prefix}/{d}/ota/job            FleetDeck -> device, retained job document
//   {prefix}/{d}/ota/chunk/request  device -> FleetDeck
//   {prefix}/{d}/ota/chunk          FleetDeck -> device, chunk answers
//   {prefix}/{d}/ota/status         device -> FleetDeck, retained
class OtaTopics
{
public:
    enum class Kind { None, Job, ChunkRequest, Chunk, Status };

    struct Parsed
    {
        Kind kind = Kind::None;     // None: not an OTA topic under the prefix, or a bad device id
        QByteArrayView deviceId;    // view into the parsed topic (valid device id when kind != None)
    };

    explicit OtaTopics(const QString &prefix = QStringLiteral("fleetdeck/v1"));

    QString prefix() const { return m_prefix; }

    QString jobTopic(const QString &deviceId) const;
    QString chunkRequestTopic(const QString &deviceId) const;
    QString chunkTopic(const QString &deviceId) const;
    QString statusTopic(const QString &deviceId) const;

    // Subscription filters of the console side.
    QString jobFilter() const;           // {prefix}/+/ota/job
    QString chunkRequestFilter() const;  // {prefix}/+/ota/chunk/request
    QString statusFilter() const;        // {prefix}/+/ota/status

    // Cheap: no allocation. Anything else (other prefix, other kind, more levels, bad id) is None.
    Parsed parse(QByteArrayView topic) const;

    static QStringView kindName(Kind kind);

private:
    QString m_prefix;
    QByteArray m_prefixUtf8;  // prefix + '/'
};

} // namespace fd
