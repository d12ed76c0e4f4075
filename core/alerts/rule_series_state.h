#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <limits>
#include <vector>

namespace fd {

// The evaluation state of one rule on one device's series (SeriesRuleEvaluator). Small and
// plain: a device with 30 matching rules carries 30 of these.
struct RuleSeriesState
{
    static constexpr qint64 kNever = std::numeric_limits<qint64>::min();

    qint64 lastTs = kNever;      // saved only: the series' newest sample time (SeriesTrack)
    qint64 condSince = kNever;   // the condition holds since (pending while not firing)
    qint64 clearSince = kNever;  // the clear condition holds since (while firing)
    qint64 lastUpdateTs = kNever;  // last Update transition (throttle)
    qint64 lastReceiveMs = kNever; // saved only: the series' last receipt (SeriesTrack)
    double reference = std::numeric_limits<double>::quiet_NaN();  // Rate: previous value;
                                                                  // Stuck: value of the run
    std::vector<qint64> occurrences;  // Occurrences: newest `count` occurrence times, oldest first
    quint16 runSamples = 0;           // Stuck: samples in the current run of (nearly) equal values
    bool firing = false;
    bool dirty = false;          // changed in a way worth saving (not every sample)

    bool isPending() const { return !firing && condSince != kNever; }
    // Worth keeping across a restart: pending, firing, or counting occurrences.
    bool isInteresting() const { return firing || condSince != kNever || !occurrences.empty(); }
    // Nothing pending, firing or counted: only a value that meets the condition can change it
    // (SeriesRuleEvaluator::mayTrigger()).
    bool isQuiet() const { return !isInteresting(); }

    // Compact text form for the operations store; deserialize() returns false (and leaves
    // *out untouched) for anything it did not write.
    QByteArray serialize() const;
    static bool deserialize(const QByteArray &data, RuleSeriesState *out);
};

} // namespace fd
