#pragma once

// Sparkplug B messages for the decoder tests and the fuzz seeds: an edge node "n" of group
// "g" with a device behind it, built with SparkplugCodec::encode.

#include "core/protocol/sparkplug/sparkplug_codec.h"
#include "core/protocol/sparkplug/sparkplug_encoder.h"

#include <QByteArray>
#include <QList>

namespace fd::sparkplug_test {

using DT = SparkplugDataType;

inline SparkplugMetric metric(const char *name, std::optional<quint64> alias, DT type, SparkplugValue value)
{
    SparkplugMetric m;
    m.name = QString::fromUtf8(name);
    m.alias = alias;
    m.datatype = sparkplugCode(type);
    m.value = std::move(value);
    return m;
}

// A DATA metric by alias only, without a datatype on the wire (as Sparkplug 3.0 edge nodes send).
inline SparkplugMetric byAlias(quint64 alias, DT type, SparkplugValue value)
{
    SparkplugMetric m;
    m.alias = alias;
    m.datatype = sparkplugCode(type);
    m.datatypeOmitted = true;
    m.value = std::move(value);
    return m;
}

inline QByteArray payload(std::optional<quint64> seq, QList<SparkplugMetric> metrics, std::optional<quint64> timestamp = {})
{
    SparkplugPayload p;
    p.seq = seq;
    p.timestamp = timestamp;
    p.metrics = std::move(metrics);
    return SparkplugEncoder::encode(p);
}

// NBIRTH: bdSeq, Node Control/Rebirth, then metrics.
inline QByteArray nbirth(quint64 seq, qint64 bdSeq, QList<SparkplugMetric> metrics = {}, std::optional<quint64> timestamp = {})
{
    metrics.prepend(metric("Node Control/Rebirth", std::nullopt, DT::Boolean, false));
    metrics.prepend(metric("bdSeq", std::nullopt, DT::Int64, bdSeq));
    return payload(seq, std::move(metrics), timestamp);
}

inline QByteArray ndeath(qint64 bdSeq, std::optional<quint64> timestamp = {})
{
    return payload(std::nullopt, {metric("bdSeq", std::nullopt, DT::Int64, bdSeq)}, timestamp);
}

// The usual node: temperature (alias 1, Double) and a counter (alias 2, UInt32).
inline QList<SparkplugMetric> nodeMetrics()
{
    return {metric("temperature", 1, DT::Double, 20.0), metric("count", 2, DT::UInt32, quint64(0))};
}

// The usual device: level (alias 10, Float) and state (alias 11, String).
inline QList<SparkplugMetric> deviceMetrics()
{
    return {metric("level", 10, DT::Float, 1.5f), metric("state", 11, DT::String, QStringLiteral("idle"))};
}

inline QByteArray ndata(quint64 seq, double temperature)
{
    return payload(seq, {byAlias(1, DT::Double, temperature)});
}

inline QByteArray ddata(quint64 seq, float level)
{
    return payload(seq, {byAlias(10, DT::Float, level)});
}

inline QByteArray topic(const char *type, const char *node = "n", const char *device = nullptr)
{
    QByteArray t = QByteArray("spBv1.0/g/") + type + '/' + node;
    if (device)
        t += QByteArray("/") + device;
    return t;
}

// The fuzz target's input format (fuzz/fuzz_sparkplug_decoder.cpp): records of
//   op (1 byte: 0 message, 1 tick, 2 connection lost, 3 connection up; the upper 6 bits
//   advance the clock by that many 100 ms first), and for a message: topic length (1 byte),
//   topic, payload length (2 bytes, little-endian), payload.
inline QByteArray fuzzRecord(quint8 op, quint8 advance100ms, const QByteArray &topic = {}, const QByteArray &payload = {})
{
    QByteArray r;
    r += char(quint8(op | (advance100ms << 2)));
    if (op == 0) {
        r += char(quint8(qMin<qsizetype>(topic.size(), 255)));
        r += topic.left(255);
        const quint16 n = quint16(qMin<qsizetype>(payload.size(), 65535));
        r += char(n & 0xff);
        r += char(n >> 8);
        r += payload.left(n);
    }
    return r;
}

} // namespace fd::sparkplug_test
