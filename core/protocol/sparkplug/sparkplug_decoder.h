#pragma once

#include "core/protocol/message_decoder.h"

#include <QString>

#include <memory>

namespace fd {

// FleetDeck as a Sparkplug B 3.0 host application behind the MessageDecoder seam
// (docs/protocol.md, "Sparkplug B (host application)"). Per edge node of the source it keeps
// the session (bdSeq), the seq (0-255 over NBIRTH, DBIRTH, NDATA, DDATA, DDEATH), the alias
// maps of the node's and its devices' BIRTHs, and a bounded reorder buffer:
//   - NBIRTH / DBIRTH: a new session; status (online, Properties/* attributes), session()
//     and the BIRTH's values. A new NBIRTH invalidates the node's devices until their DBIRTH.
//   - NDATA / DDATA: values by name or alias, grouped into one sample per timestamp.
//     Out-of-order seq or an unknown alias: held up to reorderTimeoutMs (or 128 messages /
//     4 MiB per node), applied in seq order when the gap fills, else at the timeout, followed
//     by an NCMD `Node Control/Rebirth` with the cause.
//   - DATA / DBIRTH without a current session: rejected (no_session), rebirth requested
//     (at most once per rebirthRetryMs per node).
//   - NDEATH of the current bdSeq (others ignored): node and devices dead at its receive
//     time. DDEATH: the device, at its payload timestamp. Connection loss: everything dead.
//   - STATE, NCMD and DCMD: not device data, ignored.
// Device paths: "group/node" (edge node), "group/node/device".
class SparkplugDecoder final : public MessageDecoder
{
public:
    struct Options
    {
        QString hostId;                    // our STATE host id: messages on spBv1.0/STATE/* are never device data
        qint64 reorderTimeoutMs = 2000;    // how long out-of-order / unknown-alias DATA is held
        qint64 rebirthRetryMs = 10000;     // minimum time between two rebirth requests to one node
        qsizetype maxPayloadBytes = 256 * 1024;
    };

    // Per edge node; past either bound what is held is applied at once (and a rebirth
    // requested). 128 is half the seq space: with more outstanding, "ahead" and "behind"
    // become ambiguous.
    static constexpr int kMaxHeldMessages = 128;
    static constexpr qsizetype kMaxHeldBytes = 4 * 1024 * 1024;
    static constexpr int kMaxNodes = 100000;                     // edge nodes per source
    static constexpr int kMaxDevicesPerNode = 10000;

    explicit SparkplugDecoder(const Options &options);
    ~SparkplugDecoder() override;

    QString protocolName() const override;
    QStringList subscriptions() const override;
    bool claims(QByteArrayView topic) const override;
    void decode(const MqttMessage &message, DecodeSink &sink) override;
    qint64 nextDeadlineMs() const override;
    void tick(qint64 nowMs, DecodeSink &sink) override;
    void connectionChanged(bool up, qint64 tsMs, DecodeSink &sink) override;

    const Options &options() const { return m_options; }

private:
    struct Impl;
    Options m_options;
    std::unique_ptr<Impl> d;
};

} // namespace fd
