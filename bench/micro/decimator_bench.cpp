// Chart decimation (issue 4): MinMaxDecimator over a 1,000,000-point ring buffer into 1,500
// buckets (one per pixel of a wide chart), point by point and through the buffer's summary
// pyramid, over the whole buffer and over 1/8 of it. items_per_second counts input points.
// For instructions per point: valgrind --tool=callgrind fleetdeck-microbench
// --benchmark_filter=Decimate (docs/performance.md).
#include "core/telemetry/min_max_decimator.h"
#include "core/telemetry/telemetry_ring_buffer.h"

#include <QRandomGenerator>

#include <benchmark/benchmark.h>

namespace {

constexpr qsizetype kPoints = 1'000'000;
constexpr int kBuckets = 1500;
constexpr qint64 kStepMs = 1000;

const fd::TelemetryRingBuffer &buffer()
{
    static const fd::TelemetryRingBuffer b = [] {
        fd::TelemetryRingBuffer r(kPoints);
        QRandomGenerator rng(1);
        double v = 20;
        for (qsizetype i = 0; i < kPoints; ++i) {
            v += rng.generateDouble() - 0.5;
            r.append(i * kStepMs, v);
        }
        return r;
    }();
    return b;
}

// The decimation of points [from, to) into kBuckets, gaps above 5 steps.
fd::MinMaxDecimator::Params params(qsizetype from, qsizetype to)
{
    return {from * kStepMs, (to - 1) * kStepMs, kBuckets, 5 * kStepMs};
}

// range(0): the viewed part of the buffer is 1/N of it, centred.
void BM_DecimatePointByPoint(benchmark::State &state)
{
    const fd::TelemetryRingBuffer &b = buffer();
    const qsizetype n = kPoints / state.range(0);
    const qsizetype from = (kPoints - n) / 2;
    fd::DecimatedSeries out;
    for (auto _ : state) {
        fd::MinMaxDecimator d;
        d.begin(params(from, from + n), &out);
        for (const fd::PointSpan &span : b.spans(from, from + n))
            d.add(span);
        d.finish();
        benchmark::DoNotOptimize(out.points.data());
    }
    state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_DecimatePointByPoint)->Arg(1)->Arg(8)->Unit(benchmark::kMicrosecond);

void BM_DecimatePyramid(benchmark::State &state)
{
    const fd::TelemetryRingBuffer &b = buffer();
    const qsizetype n = kPoints / state.range(0);
    const qsizetype from = (kPoints - n) / 2;
    fd::DecimatedSeries out;
    for (auto _ : state) {
        fd::MinMaxDecimator d;
        d.begin(params(from, from + n), &out);
        d.add(b, from, from + n);
        d.finish();
        benchmark::DoNotOptimize(out.points.data());
    }
    state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_DecimatePyramid)->Arg(1)->Arg(8)->Unit(benchmark::kMicrosecond);

} // namespace
