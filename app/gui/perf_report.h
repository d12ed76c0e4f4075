#pragma once

#include "core/domain/ingest_stats.h"
#include "core/platform/event_loop_lateness_probe.h"

#include <QObject>
#include <QString>

namespace fd {

// `fleetdeck --perf-report FILE`: how responsive this session was, written as JSON at exit
// (used by the benchmarks, docs/performance.md, and useful to attach to a bug report):
//   {"first_paint_ms": time from process start until the first frame was painted,
//    "lateness_ms": {"p50", "p99", "max", "max_at_ms", "samples"}   GUI-thread lateness
//                     (1 ms timer) from the first paint to exit; max_at_ms: when the worst
//                     stall happened, ms after the first paint,
//    "ingest": {"received", "accepted", "rejected", "gaps"}}
// With quitAfterFirstPaint the application quits right after the first frame (start-up
// measurement).
class PerfReport : public QObject
{
    Q_OBJECT
public:
    PerfReport(const QString &path, bool quitAfterFirstPaint, QObject *parent = nullptr);
    ~PerfReport() override;

    void setIngestStats(const fd::IngestStats &stats) { m_stats = stats; }
    bool write(QString *error) const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void firstFrameDone();

    QString m_path;
    bool m_quitAfterFirstPaint;
    bool m_sawPaint = false;
    qint64 m_firstPaintMs = -1;
    EventLoopLatenessProbe m_probe;
    IngestStats m_stats;
};

} // namespace fd
