#include "widgets/time_axis_ticks.h"

#include <QDateTime>
#include <QSet>

#include <array>

using namespace Qt::StringLiterals;

namespace fd {

namespace {
constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;
constexpr std::array<qint64, 20> kSteps = {
    kSecond,      2 * kSecond,  5 * kSecond,  10 * kSecond, 15 * kSecond, 30 * kSecond, kMinute,
    2 * kMinute,  5 * kMinute,  10 * kMinute, 15 * kMinute, 30 * kMinute, kHour,        2 * kHour,
    3 * kHour,    6 * kHour,    12 * kHour,   kDay,         2 * kDay,     7 * kDay};

qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
} // namespace

qint64 TimeAxisTicks::stepFor(qint64 rangeMs, int widthPx, int minSpacingPx)
{
    const int maxTicks = qMax(2, widthPx / qMax(1, minSpacingPx));
    for (const qint64 step : kSteps)
        if (rangeMs / step <= maxTicks)
            return step;
    // Beyond weeks: whole multiples of 7 days.
    return 7 * kDay * qMax<qint64>(1, rangeMs / (7 * kDay) / maxTicks + 1);
}

QList<TimeAxisTicks::Tick> TimeAxisTicks::ticks(qint64 fromMs, qint64 toMs, int widthPx, int minSpacingPx)
{
    QList<Tick> out;
    if (toMs <= fromMs)
        return out;
    const qint64 step = stepFor(toMs - fromMs, widthPx, minSpacingPx);
    // Round in local time (the offset at the start of the range; a DST change inside a
    // range moves the later ticks by the change, as a clock does).
    const qint64 offset = qint64(QDateTime::fromMSecsSinceEpoch(fromMs).offsetFromUtc()) * 1000;
    const qint64 align = step >= kDay ? kDay : step;
    qint64 t = (floorDiv(fromMs + offset, align) + 1) * align - offset;
    if (t - align >= fromMs)
        t -= align;
    if (step > kDay && step % kDay == 0) {
        // Several days: keep whole local days, on day numbers divisible by the step.
        const qint64 days = step / kDay;
        while (floorDiv(t + offset, kDay) % days != 0)
            t += kDay;
    }
    const QString format = step < kMinute                 ? u"HH:mm:ss"_s
                           : step >= kDay                 ? u"MM-dd"_s
                           : toMs - fromMs > 2 * kDay     ? u"MM-dd HH:mm"_s
                                                          : u"HH:mm"_s;
    QSet<QString> used;
    for (; t <= toMs; t += step) {
        const QDateTime time = QDateTime::fromMSecsSinceEpoch(t);
        // Midnight shows the date; a label seen before (a range over two days) too.
        QString label = step < kDay && time.time() == QTime(0, 0) ? time.toString(u"MM-dd"_s) : time.toString(format);
        if (used.contains(label))
            label = time.toString(u"MM-dd HH:mm"_s);
        used.insert(label);
        out.append({t, label});
    }
    return out;
}

} // namespace fd
