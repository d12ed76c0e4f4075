#pragma once

#include <QList>
#include <QString>
#include <QtGlobal>

namespace fd {

// Ticks of a time axis on round boundaries of local time, as the value axis has 1/2/5
// steps: every 1, 2, 5, 10, 15, 30 seconds or minutes, 1, 2, 3, 6, 12 hours, 1, 2, 7 days,
// the smallest step that leaves at least minSpacingPx between labels.
class TimeAxisTicks
{
public:
    struct Tick
    {
        qint64 tMs = 0;
        QString label;
    };

    // Step in ms for a range of rangeMs over widthPx pixels.
    static qint64 stepFor(qint64 rangeMs, int widthPx, int minSpacingPx = 90);
    // The ticks in [fromMs, toMs] (labels unique within the range).
    static QList<Tick> ticks(qint64 fromMs, qint64 toMs, int widthPx, int minSpacingPx = 90);
};

} // namespace fd
