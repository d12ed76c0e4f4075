#pragma once

#include <QElapsedTimer>

#include <algorithm>
#include <functional>
#include <limits>

namespace fd::test {

// Whether some work costs linear time, measured without a fixed time bound: the cost per
// unit of work (a metric, a name) at a small and at a large size. Linear work costs about
// the same per unit at both sizes; quadratic work costs (large / small) times more per unit
// at the large size. Each measurement is the best of several runs (another process taking
// the CPU only makes a run slower), and each run repeats the work until it has lasted
// minNs, so the clock's resolution does not matter.
inline double bestNsPerUnit(const std::function<void()> &work, qint64 unitsPerCall, int runs = 5,
                            qint64 minNs = 20'000'000)
{
    double best = std::numeric_limits<double>::infinity();
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        qint64 units = 0;
        do {
            work();
            units += unitsPerCall;
        } while (timer.nsecsElapsed() < minNs);
        best = std::min(best, double(timer.nsecsElapsed()) / double(units));
    }
    return best;
}

} // namespace fd::test
