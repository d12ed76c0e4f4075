#pragma once

#include <QByteArrayView>
#include <QVarLengthArray>

namespace fd {

// A strict, allocation-free scanner for the common shape of protocol v1 telemetry:
//   {"ts": <number>, "seq": <number>, "metrics": {"<name>": <number>, ...}}
// in any key order, with JSON whitespace anywhere JSON allows it. It accepts only what
// QJsonDocument accepts as well and reads numbers to the same (correctly rounded) doubles
// (a negative zero as 0, as QJsonDocument does). fuzz/fuzz_payload_parsers checks both.
//
// It declines (returns false) everything else: unknown fields, escapes or non-ASCII in
// names, duplicate keys, a missing field, a non-number value, numbers out of double range,
// any syntax error. PayloadCodec then decodes the payload with QJsonDocument, which gives
// the reject reason, so the fast path never decides a rejection.
class TelemetryFastParser
{
public:
    struct Metric
    {
        QByteArrayView name;  // points into the payload
        double value = 0;
    };
    using Metrics = QVarLengthArray<Metric, 16>;

    // Metrics come out sorted by name (byte order), as QJsonObject iterates them.
    static bool parse(QByteArrayView payload, double *ts, double *seq, Metrics *metrics);
};

} // namespace fd
