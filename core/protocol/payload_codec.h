#pragma once

#include "core/domain/device_status.h"
#include "core/domain/reject_reason.h"
#include "core/domain/telemetry_sample.h"

#include <QByteArray>
#include <QString>

#include <variant>

namespace fd {

struct DecodeError
{
    RejectReason reason;
    QString detail;  // human-readable, e.g. "field \"seq\" must be a number"
};

template <typename T>
using Decoded = std::variant<T, DecodeError>;

// JSON codec of protocol v1 payloads (docs/protocol.md). Decoding validates types and
// reports a reason; unknown fields are ignored. Encoding is used by the simulator.
class PayloadCodec
{
public:
    static constexpr qsizetype kDefaultMaxPayloadBytes = 256 * 1024;

    explicit PayloadCodec(qsizetype maxPayloadBytes = kDefaultMaxPayloadBytes);

    qsizetype maxPayloadBytes() const { return m_maxPayloadBytes; }

    Decoded<DeviceStatus> decodeStatus(const QString &deviceId, const QByteArray &payload) const;
    Decoded<TelemetrySample> decodeTelemetry(const QString &deviceId, const QByteArray &payload) const;

    static QByteArray encodeStatus(const DeviceStatus &status);
    static QByteArray encodeTelemetry(const TelemetrySample &sample);

private:
    qsizetype m_maxPayloadBytes;
};

} // namespace fd
