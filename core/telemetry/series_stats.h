#pragma once

#include <QtGlobal>

#include <cmath>
#include <limits>

namespace fd {

// Summary of a series over a time range: number of samples, min, max, mean (weighted by
// the sample count of rollup buckets) and the newest value. Values are NaN when count == 0.
struct SeriesStats
{
    qint64 count = 0;
    double min = std::numeric_limits<double>::quiet_NaN();
    double max = std::numeric_limits<double>::quiet_NaN();
    double mean = std::numeric_limits<double>::quiet_NaN();
    double last = std::numeric_limits<double>::quiet_NaN();
    qint64 lastTMs = 0;

    bool isEmpty() const { return count == 0; }

    // Accumulation helpers: add() values (or buckets), then finish() computes the mean.
    void add(qint64 tMs, double value) { addBucket(tMs, value, value, value, 1); }
    void addBucket(qint64 tMs, double bucketMin, double bucketMax, double bucketMean, qint64 n)
    {
        if (n <= 0 || std::isnan(bucketMean))
            return;
        if (count == 0 || bucketMin < min)
            min = bucketMin;
        if (count == 0 || bucketMax > max)
            max = bucketMax;
        m_sum += bucketMean * double(n);
        count += n;
        last = bucketMean;
        lastTMs = tMs;
    }
    void finish() { mean = count > 0 ? m_sum / double(count) : std::numeric_limits<double>::quiet_NaN(); }

private:
    double m_sum = 0.0;
};

} // namespace fd
