// Fuzz target: SeriesBlockCodec, the cache's compressed blocks of a series' points. A cache
// file can be damaged or foreign, so decoding treats the bytes as untrusted. Input: a block.
//
// Checked per input:
//  - decode() either fails with a one-line reason and leaves its output alone, or appends at
//    most kMaxPoints points, as many as peekCount() says.
//  - decodeNumeric() agrees: it fails only where decode() fails, and when decode() succeeds
//    it gives the same timestamps and each point's numeric view (String -> NaN, Int64 ->
//    double(integer), Bool -> 0/1), bit for bit.
//  - What decode() gives is a fixed point: encode() -> decode() gives the same points (same
//    timestamps, types and values; NaN equals NaN).
#include "fuzz_support.h"

#include "core/compression/series_block_codec.h"

#include <bit>
#include <cmath>
#include <limits>

using namespace fd;

namespace {

double numericView(const SeriesPoint &p)
{
    switch (p.type) {
    case MetricType::Int64: return double(p.integer);
    case MetricType::Bool: return p.integer != 0 ? 1.0 : 0.0;
    case MetricType::String: return std::numeric_limits<double>::quiet_NaN();
    case MetricType::Double: break;
    }
    return p.value;
}

bool sameBits(double a, double b)
{
    return std::bit_cast<quint64>(a) == std::bit_cast<quint64>(b) || (std::isnan(a) && std::isnan(b));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes = fd::fuzz::inputBytes(data, size);

    SeriesPoints points{SeriesPoint{}};  // decode appends: one point already there
    QString error;
    const bool ok = SeriesBlockCodec::decode(bytes, &points, &error);
    std::vector<qint64> ts{1};
    std::vector<double> values{2.0};
    QString numericError;
    const bool numericOk = SeriesBlockCodec::decodeNumeric(bytes, &ts, &values, &numericError);
    int count = -1;
    const bool peeked = SeriesBlockCodec::peekCount(bytes, &count);

    if (!ok) {
        FD_FUZZ_CHECK(points.size() == 1, "a failed decode changed its output");
        FD_FUZZ_CHECK(!error.isEmpty() && !error.contains(QLatin1Char('\n')), "a failed decode without a one-line reason");
    }
    if (!numericOk) {
        FD_FUZZ_CHECK(ts.size() == 1 && values.size() == 1, "a failed decodeNumeric changed its output");
        FD_FUZZ_CHECK(!numericError.isEmpty(), "a failed decodeNumeric without a reason");
        FD_FUZZ_CHECK(!ok, "decodeNumeric refuses a block decode accepts");
    }
    if (!ok)
        return 0;

    const SeriesPoints decoded(points.begin() + 1, points.end());
    FD_FUZZ_CHECK(decoded.size() <= std::size_t(SeriesBlockCodec::kMaxPoints), "more points than kMaxPoints");
    FD_FUZZ_CHECK(peeked && count == int(decoded.size()), "peekCount disagrees with decode");
    FD_FUZZ_CHECK(numericOk && ts.size() == points.size() && values.size() == points.size(),
                  "decodeNumeric gives another point count");
    for (std::size_t i = 0; i < decoded.size(); ++i) {
        FD_FUZZ_CHECK(ts[i + 1] == decoded[i].tsMs, "decodeNumeric gives another timestamp");
        FD_FUZZ_CHECK(sameBits(values[i + 1], numericView(decoded[i])), "decodeNumeric gives another value");
        FD_FUZZ_CHECK(sameBits(decoded[i].value, numericView(decoded[i])), "a point's value does not match its type");
    }

    const QByteArray again = SeriesBlockCodec::encode(decoded);
    FD_FUZZ_CHECK(!again.isEmpty(), "encode refuses decoded points");
    SeriesPoints redecoded;
    FD_FUZZ_CHECK(SeriesBlockCodec::decode(again, &redecoded, &error), "a re-encoded block does not decode");
    FD_FUZZ_CHECK(redecoded.size() == decoded.size(), "the round trip changes the point count");
    for (std::size_t i = 0; i < decoded.size(); ++i) {
        FD_FUZZ_CHECK(redecoded[i].tsMs == decoded[i].tsMs, "the round trip changes a timestamp");
        FD_FUZZ_CHECK(redecoded[i].sameValue(decoded[i]), "the round trip changes a value");
    }
    return 0;
}
