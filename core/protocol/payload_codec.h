#pragma once

#include "core/domain/device_status.h"
#include "core/domain/reject_reason.h"
#include "core/domain/telemetry_sample.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QString>
#include <QStringList>

#include <variant>

namespace fd {

struct DecodeError
{
    RejectReason reason;
    QString detail;  // for the operator, e.g. "field \"seq\" must be a non-negative integer"
};

template <typename T>
using Decoded = std::variant<T, DecodeError>;

// JSON codec of protocol v1 payloads (docs/protocol.md). Decoding validates types and
// reports a reason; unknown fields are ignored. Encoding is used by the simulator.
//
// Not thread-safe: decoding interns metric names (so a million samples of "temperature"
// share one string) and status tag lists (a million devices tagged ["freezer"] share one
// list). Use one codec per thread.
//
// Telemetry of the usual shape is read by TelemetryFastParser (no QJsonDocument, no
// allocation but the sample itself); everything else, including every reject, by
// QJsonDocument, so both paths give the same samples and the same reject reasons.
class PayloadCodec
{
public:
    static constexpr qsizetype kDefaultMaxPayloadBytes = 256 * 1024;
    static constexpr qsizetype kMaxMetricNameLength = 128;
    static constexpr qsizetype kMaxAttributeLength = 256;
    static constexpr qsizetype kMaxTags = 32;         // elements of a status' "tags"
    static constexpr qsizetype kMaxTagLength = 64;

    explicit PayloadCodec(qsizetype maxPayloadBytes = kDefaultMaxPayloadBytes);

    qsizetype maxPayloadBytes() const { return m_maxPayloadBytes; }

    Decoded<DeviceStatus> decodeStatus(const QString &deviceId, const QByteArray &payload) const;
    Decoded<TelemetrySample> decodeTelemetry(const QString &deviceId, const QByteArray &payload) const;
    // The QJsonDocument decoder alone, without the fast path: the reference decodeTelemetry()
    // must equal for every payload (same sample, or same reason and detail). Public so that
    // tests and the differential fuzz target (fuzz/) can hold the fast path to it.
    Decoded<TelemetrySample> decodeTelemetryGeneral(const QString &deviceId, const QByteArray &payload) const;

    static QByteArray encodeStatus(const DeviceStatus &status);
    static QByteArray encodeTelemetry(const TelemetrySample &sample);

private:
    QString intern(const QString &name) const;
    QString internBytes(QByteArrayView name) const;
    QStringList internTags(const QStringList &tags) const;
    bool decodeTelemetryFast(const QString &deviceId, const QByteArray &payload, TelemetrySample *out) const;

    qsizetype m_maxPayloadBytes;
    mutable QHash<QString, QString> m_names;
    mutable QHash<QByteArray, QString> m_namesByBytes;  // the same names, looked up by their UTF-8
    mutable QHash<QStringList, QStringList> m_tagLists;  // so 1M devices share a few tag lists
};

} // namespace fd
