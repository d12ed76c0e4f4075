// fleetdeck-microbench: Google Benchmark micro-benchmarks of the ingest hot path: payload
// codec, topic parsing, and the pipeline's decode + apply per message. Run with
// --benchmark_format=json for the report (bench/runner). Stable instruction counts: run
// under `valgrind --tool=callgrind` with --benchmark_filter and a fixed iteration count.
#include <benchmark/benchmark.h>

#include <QCoreApplication>

int main(int argc, char **argv)
{
    // IngestPipeline owns QTimers: they need a QCoreApplication (never exec()'d here).
    QCoreApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
