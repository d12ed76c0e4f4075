#include "core/telemetry/telemetry_series_data.h"

#include "core/telemetry/gap_detector.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fd {

namespace {
constexpr qint64 kNoLive = std::numeric_limits<qint64>::max();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
} // namespace

TelemetrySeriesData::TelemetrySeriesData(std::shared_ptr<const TelemetryRingBuffer> live,
                                         QReadWriteLock *liveLock)
    : m_live(std::move(live))
    , m_liveLock(liveLock)
{
}

void TelemetrySeriesData::setLive(std::shared_ptr<const TelemetryRingBuffer> live)
{
    m_live = std::move(live);
    ++m_historyRevision;
}

void TelemetrySeriesData::setHistory(TelemetryBuckets history)
{
    m_history = std::move(history);
    m_historyPoints.clear();
    m_historyPoints.reserve(size_t(m_history.size()) * 2);
    for (const TelemetryBucket &b : std::as_const(m_history)) {
        if (b.count <= 0 || std::isnan(b.mean)) {
            m_historyPoints.push_back({b.tMs, kNaN});
        } else if (b.isRaw() || b.min == b.max) {
            m_historyPoints.push_back({b.tMs + b.widthMs / 2, b.mean});
        } else {
            m_historyPoints.push_back({b.tMs + b.widthMs / 4, b.min});
            m_historyPoints.push_back({b.tMs + 3 * b.widthMs / 4, b.max});
        }
    }
    ++m_historyRevision;
}

void TelemetrySeriesData::clearHistory()
{
    setHistory({});
}

quint64 TelemetrySeriesData::revision() const
{
    const QReadLocker locker(m_liveLock);  // null: no lock
    return m_historyRevision * 1000003ULL + (m_live ? m_live->revision() : 0);
}

qint64 TelemetrySeriesData::liveStartMs() const
{
    return m_live && !m_live->isEmpty() ? m_live->first().tMs : kNoLive;
}

PointSpan TelemetrySeriesData::historySpan(qint64 fromMs, qint64 toMs) const
{
    const qint64 liveStart = liveStartMs();
    const auto begin = m_historyPoints.begin();
    const auto end = std::lower_bound(begin, m_historyPoints.end(), liveStart,
                                      [](const TelemetryPoint &p, qint64 t) { return p.tMs < t; });
    auto lo = std::lower_bound(begin, end, fromMs,
                               [](const TelemetryPoint &p, qint64 t) { return p.tMs < t; });
    auto hi = std::upper_bound(begin, end, toMs,
                               [](qint64 t, const TelemetryPoint &p) { return t < p.tMs; });
    if (lo != begin)
        --lo;
    if (hi != end)
        ++hi;
    if (lo >= hi)
        return {};
    return PointSpan(&*lo, size_t(hi - lo));
}

void TelemetrySeriesData::decimate(const MinMaxDecimator::Params &params, DecimatedSeries *out) const
{
    const QReadLocker locker(m_liveLock);  // null: no lock
    MinMaxDecimator decimator;
    decimator.begin(params, out);
    const bool autoGap = params.gapMs < 0;
    const PointSpan history = historySpan(params.fromMs, params.toMs);
    qint64 historyGap = 0;
    if (autoGap && !history.empty()) {
        historyGap = GapDetector::thresholdFor(
            !m_history.isEmpty() && !m_history.constFirst().isRaw()
                ? m_history.constFirst().widthMs
                : GapDetector::typicalIntervalMs(PointSpan(m_historyPoints)));
        decimator.setGapMs(historyGap);
    }
    decimator.add(history);
    if (m_live && !m_live->isEmpty()) {
        // The buffer's block summaries make this cheap for big buffers (same result as
        // adding its points one by one).
        const auto [from, to] = m_live->rangeCovering(params.fromMs, params.toMs);
        if (autoGap && from < to) {
            const qint64 liveGap = GapDetector::thresholdFor(
                GapDetector::typicalIntervalMs(m_live->spans(0, m_live->size())));
            // The step from history to live data is judged by the coarser of the two.
            decimator.setGapMs(qMax(historyGap, liveGap));
            decimator.add(*m_live, from, from + 1);
            decimator.setGapMs(liveGap);
            decimator.add(*m_live, from + 1, to);
        } else if (!autoGap) {
            decimator.add(*m_live, from, to);
        }
    }
    decimator.finish();
}

std::span<const TelemetryBucket> TelemetrySeriesData::historyBuckets(qint64 fromMs, qint64 toMs) const
{
    auto before = [](const TelemetryBucket &b, qint64 t) { return b.tMs < t; };
    const auto first = m_history.cbegin();
    const auto begin = std::lower_bound(first, m_history.cend(), fromMs, before);
    auto end = std::upper_bound(begin, m_history.cend(), toMs,
                                [](qint64 t, const TelemetryBucket &b) { return t < b.tMs; });
    end = std::lower_bound(begin, end, liveStartMs(), before);
    return {m_history.constData() + (begin - first), size_t(end - begin)};
}

std::array<PointSpan, 2> TelemetrySeriesData::liveSpans(qint64 fromMs, qint64 toMs) const
{
    if (!m_live || m_live->isEmpty())
        return {};
    return m_live->spans(m_live->lowerBound(fromMs), m_live->upperBound(toMs));
}

SeriesStats TelemetrySeriesData::stats(qint64 fromMs, qint64 toMs) const
{
    const QReadLocker locker(m_liveLock);  // null: no lock
    SeriesStats s;
    for (const TelemetryBucket &b : historyBuckets(fromMs, toMs))
        s.addBucket(b.tMs, b.min, b.max, b.mean, b.count);
    for (const PointSpan &span : liveSpans(fromMs, toMs))
        for (const TelemetryPoint &p : span)
            if (!std::isnan(p.value))
                s.add(p.tMs, p.value);
    s.finish();
    return s;
}

TelemetryBuckets TelemetrySeriesData::rows(qint64 fromMs, qint64 toMs) const
{
    const QReadLocker locker(m_liveLock);  // null: no lock
    const std::span<const TelemetryBucket> history = historyBuckets(fromMs, toMs);
    TelemetryBuckets out(history.begin(), history.end());
    for (const PointSpan &span : liveSpans(fromMs, toMs))
        for (const TelemetryPoint &p : span)
            out.append(TelemetryBucket{p.tMs, 0, p.value, p.value, p.value, std::isnan(p.value) ? 0 : 1});
    return out;
}

std::optional<TelemetryPoint> TelemetrySeriesData::valueAt(qint64 tMs) const
{
    const QReadLocker locker(m_liveLock);  // null: no lock
    if (m_live && !m_live->isEmpty() && m_live->first().tMs <= tMs) {
        const qsizetype i = m_live->upperBound(tMs) - 1;
        return m_live->at(i);
    }
    const PointSpan h = historySpan(std::numeric_limits<qint64>::min() / 2, tMs);
    for (auto it = h.rbegin(); it != h.rend(); ++it)
        if (it->tMs <= tMs)
            return *it;
    return std::nullopt;
}

std::optional<TelemetryPoint> TelemetrySeriesData::newest() const
{
    const QReadLocker locker(m_liveLock);  // null: no lock
    if (m_live && !m_live->isEmpty())
        return m_live->last();
    if (!m_historyPoints.empty())
        return m_historyPoints.back();
    return std::nullopt;
}

qint64 TelemetrySeriesData::typicalIntervalMs() const
{
    const QReadLocker locker(m_liveLock);  // null: no lock
    if (m_live && m_live->size() >= 2)
        return GapDetector::typicalIntervalMs(m_live->spans(0, m_live->size()));
    if (!m_history.isEmpty() && !m_history.constFirst().isRaw())
        return m_history.constFirst().widthMs;
    return GapDetector::typicalIntervalMs(PointSpan(m_historyPoints));
}

} // namespace fd
