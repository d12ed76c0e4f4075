#pragma once

#include "models/dragged_series.h"

#include <QByteArray>
#include <QList>
#include <QString>

class QMimeData;

namespace fd {

// The drag-and-drop format for telemetry series between FleetDeck's views (inventory rows,
// the detail panel's metrics, the Telemetry page's charts):
//
//   application/x-fleetdeck-series  UTF-8 JSON array, one object per series:
//     [{"device": "dev-00001", "metric": "temperature", "metrics": ["temperature", "rssi"]}]
//   "metric" is absent when the source does not know it (a device row), "metrics" lists
//   what the device reports. text/plain carries the same as lines "device metric" for
//   other applications.
//
// Decoding treats the data as untrusted: entries without a device id, with non-string
// values or over the length limits are skipped, at most kMaxEntries are read.
class SeriesMime
{
public:
    static constexpr qsizetype kMaxEntries = 1000;
    static constexpr qsizetype kMaxNameLength = 256;

    static QString mimeType();
    static QByteArray encode(const QList<DraggedSeries> &series);
    static QList<DraggedSeries> decode(const QByteArray &json);

    // A new QMimeData (the caller owns it) with both formats.
    static QMimeData *toMimeData(const QList<DraggedSeries> &series);
    static bool canDecode(const QMimeData *data);
    static QList<DraggedSeries> fromMimeData(const QMimeData *data);
};

} // namespace fd
