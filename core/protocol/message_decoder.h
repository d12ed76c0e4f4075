#pragma once

#include "core/domain/mqtt_message.h"

#include <QByteArrayView>
#include <QString>
#include <QStringList>

namespace fd {

class DecodeSink;

// One payload protocol (protocol v1 JSON today, Sparkplug B next), as PlotJuggler registers
// one parser per encoding. A source (connection) holds a list of decoders; the pipeline
// offers each message to the first decoder that claims its topic, and the decoder turns it
// into normalised events on a DecodeSink. Decoders run on the ingest thread only; they may
// keep per-source state (Sparkplug: sequence numbers, aliases).
class MessageDecoder
{
public:
    virtual ~MessageDecoder() = default;

    // A short stable name ("fleetdeck-v1"), for logs and Diagnostics.
    virtual QString protocolName() const = 0;
    // Topic filters the connection subscribes to for this protocol.
    virtual QStringList subscriptions() const = 0;
    // Whether topic is in this protocol's namespace (cheap: a prefix test).
    virtual bool claims(QByteArrayView topic) const = 0;
    // Decodes one claimed message into events on sink. Must not throw; a malformed message
    // becomes sink.reject(...) and costs a bounded amount of work.
    virtual void decode(const MqttMessage &message, DecodeSink &sink) = 0;

    // Time-driven work (Sparkplug: messages held for the reorder timeout). The pipeline
    // calls tick() once nextDeadlineMs() (receive clock, ms since epoch; 0: none) is due,
    // and after every batch asks again. Events go to sink as from decode().
    virtual qint64 nextDeadlineMs() const { return 0; }
    virtual void tick(qint64 nowMs, DecodeSink &sink) { Q_UNUSED(nowMs) Q_UNUSED(sink) }
    // The source's connection came up (true) or was lost or closed (false) at tsMs, in order
    // with the messages: everything received before a loss was decoded before this call.
    // Sparkplug: a loss is the death of every node and device of the source at tsMs.
    virtual void connectionChanged(bool up, qint64 tsMs, DecodeSink &sink)
    {
        Q_UNUSED(up) Q_UNUSED(tsMs) Q_UNUSED(sink)
    }
};

} // namespace fd
