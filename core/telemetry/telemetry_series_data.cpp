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
    m_historyStretches.clear();
    m_historyNominal.clear();
    qint64 width = -1;
    for (const TelemetryBucket &b : std::as_const(m_history)) {
        const qint64 w = b.isRaw() ? 0 : b.widthMs;
        if (w != width) {  // a new source: raw rows, rollups of another width
            m_historyStretches.push_back(qsizetype(m_historyPoints.size()));
            m_historyNominal.push_back(w);
            width = w;
        }
        if (b.count <= 0 || std::isnan(b.mean)) {
            m_historyPoints.push_back({b.tMs, kNaN});
        } else if (b.isRaw() || b.min == b.max) {
            m_historyPoints.push_back({b.tMs + b.widthMs / 2, b.mean});
        } else {
            m_historyPoints.push_back({b.tMs + b.widthMs / 4, b.min});
            m_historyPoints.push_back({b.tMs + 3 * b.widthMs / 4, b.max});
        }
    }
    // Gaps, once: each stretch by its own neighbouring steps, a boundary by the coarser side.
    const auto timeAt = [this](qsizetype k) { return m_historyPoints[size_t(k)].tMs; };
    m_historyGap.assign(m_historyPoints.size(), 0);
    for (size_t s = 0; s < m_historyStretches.size(); ++s) {
        const qsizetype begin = m_historyStretches[s];
        const qsizetype end = s + 1 < m_historyStretches.size() ? m_historyStretches[s + 1]
                                                                 : qsizetype(m_historyPoints.size());
        const qint64 nominal = m_historyNominal[s];
        if (s > 0 && begin < end) {
            const qsizetype prevBegin = m_historyStretches[s - 1];
            m_historyGap[size_t(begin)] = GapDetector::isGapBetweenStretches(
                timeAt(begin) - timeAt(begin - 1), GapDetector::spacingBefore(timeAt, prevBegin, begin - 1),
                GapDetector::spacingAfter(timeAt, begin, end), qMax(nominal, m_historyNominal[s - 1]));
        }
        for (qsizetype i = begin + 1; i < end; ++i)
            m_historyGap[size_t(i)] = GapDetector::isGapBefore(timeAt, begin, end, i, nominal);
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

qsizetype TelemetrySeriesData::liveBegin() const
{
    // With history: the newest stretch of the live buffer only (the cache has everything
    // before it, and more: points the buffer dropped as out of order, a backfill).
    if (!m_live || m_live->size() < 2 || m_historyPoints.empty())
        return 0;
    using Pyramid = TelemetrySummaryPyramid;
    const quint64 abs0 = m_live->absoluteIndex(0);
    qsizetype i = m_live->size() - 1;
    while (i > 0) {
        // Back over whole blocks with no step longer than kMinGapMs (never a gap).
        const quint64 abs = abs0 + quint64(i);
        for (int level = Pyramid::kLevels - 1; level >= 0; --level) {
            const quint64 blockStart = abs & ~(Pyramid::blockSize(level) - 1);
            if (blockStart < abs0 || blockStart == abs)
                continue;
            const Pyramid::Block &b = m_live->summaries().block(level, abs >> Pyramid::kShifts[size_t(level)]);
            if (qint64(b.maxStep) <= GapDetector::kMinGapMs) {
                i = qsizetype(blockStart - abs0);
                break;
            }
        }
        if (i == 0)
            break;
        if (m_live->at(i).tMs - m_live->at(i - 1).tMs > GapDetector::kMinGapMs && isLiveGapBefore(i))
            return i;
        --i;
    }
    return 0;
}

qint64 TelemetrySeriesData::liveStartMs() const
{
    return m_live && !m_live->isEmpty() ? m_live->at(liveBegin()).tMs : kNoLive;
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

qsizetype TelemetrySeriesData::historyLiveEnd() const
{
    const qint64 liveStart = liveStartMs();
    return std::lower_bound(m_historyPoints.begin(), m_historyPoints.end(), liveStart,
                            [](const TelemetryPoint &p, qint64 t) { return p.tMs < t; })
           - m_historyPoints.begin();
}

bool TelemetrySeriesData::isGapHistoryToLive(qsizetype h) const
{
    const auto stretch = std::upper_bound(m_historyStretches.begin(), m_historyStretches.end(), h) - 1;
    const auto historyTime = [this](qsizetype k) { return m_historyPoints[size_t(k)].tMs; };
    const auto liveTime = [this](qsizetype k) { return m_live->at(k).tMs; };
    const qsizetype begin = liveBegin();
    return GapDetector::isGapBetweenStretches(
        m_live->at(begin).tMs - m_historyPoints[size_t(h)].tMs, GapDetector::spacingBefore(historyTime, *stretch, h),
        GapDetector::spacingAfter(liveTime, begin, m_live->size()),
        m_historyNominal[size_t(stretch - m_historyStretches.begin())]);
}

bool TelemetrySeriesData::isLiveGapBefore(qsizetype i) const
{
    return GapDetector::isGapBefore([this](qsizetype k) { return m_live->at(k).tMs; }, 0, m_live->size(), i);
}

void TelemetrySeriesData::decimate(const MinMaxDecimator::Params &params, DecimatedSeries *out) const
{
    const QReadLocker locker(m_liveLock);  // null: no lock
    MinMaxDecimator decimator;
    decimator.begin(params, out);
    const bool haveLive = m_live && !m_live->isEmpty();
    if (params.gapMs >= 0) {  // a fixed threshold (0: none) for everything
        decimator.add(historySpan(params.fromMs, params.toMs));
        if (haveLive) {
            const auto [from, to] = m_live->rangeCovering(params.fromMs, params.toMs);
            decimator.add(*m_live, qMax(from, liveBegin()), to);
        }
        decimator.finish();
        return;
    }
    // The local rule. History only where the live buffer does not reach the left edge,
    // and live data only where history does not already reach past the right edge: the
    // decimator sees consecutive points only.
    auto [liveFrom, liveTo] = haveLive ? m_live->rangeCovering(params.fromMs, params.toMs)
                                       : std::pair<qsizetype, qsizetype>(0, 0);
    const qsizetype begin = haveLive ? liveBegin() : 0;
    if (haveLive && liveFrom <= begin) {  // the range starts before the live data used
        liveFrom = begin;
        liveTo = qMax(liveTo, begin + 1);  // its first point at least, to reach the edge
    }
    const PointSpan history = haveLive && liveFrom > begin ? PointSpan() : historySpan(params.fromMs, params.toMs);
    const qsizetype historyEnd = historyLiveEnd();
    qsizetype lastHistory = -1;
    if (!history.empty()) {
        const qsizetype first = history.data() - m_historyPoints.data();
        decimator.add(history, std::span<const quint8>(m_historyGap).subspan(size_t(first), history.size()));
        lastHistory = first + qsizetype(history.size()) - 1;
    }
    if (haveLive && liveFrom < liveTo && (history.empty() || lastHistory == historyEnd - 1)) {
        const bool firstGap = !history.empty()  ? isGapHistoryToLive(lastHistory)
                              : liveFrom > begin ? isLiveGapBefore(liveFrom)
                                                 : false;
        decimator.addLocal(*m_live, liveFrom, liveTo, firstGap);
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
    const qsizetype to = m_live->upperBound(toMs);
    return m_live->spans(qMin(to, qMax(liveBegin(), m_live->lowerBound(fromMs))), to);
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

std::optional<TelemetryPoint> TelemetrySeriesData::valueAt(qint64 tMs, qint64 toleranceMs) const
{
    const QReadLocker locker(m_liveLock);  // null: no lock
    // The points around tMs in the merged sequence (history before live start, then live):
    // before = newest at or before tMs, after = the next one, and whether a gap lies between.
    const qsizetype historyEnd = historyLiveEnd();
    const qsizetype liveSize = m_live ? m_live->size() : 0;
    const auto historyAfter = std::upper_bound(m_historyPoints.begin(), m_historyPoints.begin() + historyEnd, tMs,
                                               [](qint64 t, const TelemetryPoint &p) { return t < p.tMs; })
                              - m_historyPoints.begin();
    std::optional<TelemetryPoint> before;
    std::optional<TelemetryPoint> after;
    bool gap = false;
    qint64 spacing = 0;  // local spacing at the end, when there is no point after
    const auto historyTime = [this](qsizetype k) { return m_historyPoints[size_t(k)].tMs; };
    const auto liveTime = [this](qsizetype k) { return m_live->at(k).tMs; };
    const qsizetype liveFirst = liveSize > 0 ? liveBegin() : 0;
    const qsizetype liveAfter = liveSize > 0 ? m_live->upperBound(tMs) : 0;
    if (liveAfter > liveFirst) {  // inside or after the live data
        before = m_live->at(liveAfter - 1);
        if (liveAfter < liveSize) {
            after = m_live->at(liveAfter);
            gap = isLiveGapBefore(liveAfter);
        } else {
            spacing = GapDetector::spacingBefore(liveTime, 0, liveSize - 1);
        }
    } else {
        if (historyAfter > 0)
            before = m_historyPoints[size_t(historyAfter - 1)];
        if (historyAfter < historyEnd) {
            after = m_historyPoints[size_t(historyAfter)];
            gap = m_historyGap[size_t(historyAfter)] != 0;
        } else if (liveSize > 0) {
            after = m_live->at(liveFirst);
            gap = historyAfter > 0 && isGapHistoryToLive(historyAfter - 1);
        } else if (historyAfter > 0) {
            const auto stretch = std::upper_bound(m_historyStretches.begin(), m_historyStretches.end(),
                                                  historyAfter - 1) - 1;
            spacing = qMax(GapDetector::spacingBefore(historyTime, *stretch, historyAfter - 1),
                           m_historyNominal[size_t(stretch - m_historyStretches.begin())]);
        }
    }
    const auto valued = [](const std::optional<TelemetryPoint> &p) -> std::optional<TelemetryPoint> {
        return p && !std::isnan(p->value) ? p : std::nullopt;
    };
    if (!before)  // before the first point
        return after && after->tMs - tMs <= toleranceMs ? valued(after) : std::nullopt;
    if (!after)  // after the last point
        return tMs - before->tMs <= qMax(toleranceMs, spacing) ? valued(before) : std::nullopt;
    if (!gap)
        return valued(before);
    if (tMs - before->tMs <= toleranceMs)
        return valued(before);
    if (after->tMs - tMs <= toleranceMs)
        return valued(after);
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
