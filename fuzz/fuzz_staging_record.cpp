// Fuzz target: StagingRecordCodec, the blob of one telemetry_staging row of the cache (one
// device's points of one commit, not packed yet). A cache file can be damaged or foreign,
// so decoding treats the bytes as untrusted. Input: a staging record.
//
// Checked per input:
//  - decode() either fails with a one-line reason and leaves its output alone, or appends
//    as many points as the record's header says (at most kMaxPoints).
//  - What decode() gives is a fixed point: begin() / append() / finish() -> decode() gives the
//    same metric keys, timestamps, types and values (doubles bit for bit).
#include "fuzz_support.h"

#include "core/storage/staging_record_codec.h"

#include <bit>

using namespace fd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes = fd::fuzz::inputBytes(data, size);
    std::vector<StagedPoint> points(1);  // decode appends: one point already there
    QString error;
    const bool ok = StagingRecordCodec::decode(bytes, &points, &error);
    if (!ok) {
        FD_FUZZ_CHECK(points.size() == 1, "a failed decode changed its output");
        FD_FUZZ_CHECK(!error.isEmpty() && !error.contains(QLatin1Char('\n')), "a failed decode without a one-line reason");
        return 0;
    }
    FD_FUZZ_CHECK(points.size() - 1 <= size_t(StagingRecordCodec::kMaxPoints), "more points than the limit");
    points.erase(points.begin());

    QByteArray again;
    StagingRecordCodec::begin(&again);
    qint64 previous = 0;
    for (const StagedPoint &sp : points) {
        const SeriesPoint &p = sp.point;
        StagingRecordCodec::append(&again, previous, sp.metricKey, p.tsMs, p.toMetric(QStringLiteral("m")));
        previous = p.tsMs;
    }
    StagingRecordCodec::finish(&again, int(points.size()));
    std::vector<StagedPoint> back;
    FD_FUZZ_CHECK(StagingRecordCodec::decode(again, &back, &error), "a re-encoded record does not decode");
    FD_FUZZ_CHECK(back.size() == points.size(), "re-encoding changed the point count");
    for (size_t i = 0; i < back.size(); ++i) {
        const SeriesPoint &a = points[i].point;
        const SeriesPoint &b = back[i].point;
        FD_FUZZ_CHECK(points[i].metricKey == back[i].metricKey, "metric key changed");
        FD_FUZZ_CHECK(a.tsMs == b.tsMs && a.type == b.type, "timestamp or type changed");
        if (a.type == MetricType::Double)
            FD_FUZZ_CHECK(std::bit_cast<quint64>(a.value) == std::bit_cast<quint64>(b.value), "double changed");
        else if (a.type == MetricType::String)
            FD_FUZZ_CHECK(a.text == b.text, "string changed");
        else
            FD_FUZZ_CHECK(a.integer == b.integer, "integer changed");
    }
    return 0;
}
