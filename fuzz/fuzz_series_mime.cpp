// Fuzz target: SeriesMime, the drag-and-drop format of chart series
// (application/x-fleetdeck-series). A drop may come from any application, so decoding treats
// the bytes as untrusted. Input: the MIME data's bytes.
//
// Checked per input:
//  - decode() never reads more than kMaxEntries entries; every entry it keeps has a device
//    id and a source of 1 to kMaxNameLength characters, a metric that is empty or of 1 to
//    kMaxNameLength characters, at most 64 distinct reported metrics of valid length, and no
//    two entries name the same (source, device, metric).
//  - What decode() keeps is a fixed point: encode() -> decode() gives it back unchanged, and
//    so does the QMimeData round trip (toMimeData() -> fromMimeData()), whose text/plain is
//    empty exactly when there is nothing to drag.
#include "fuzz_support.h"

#include "models/series_mime.h"

#include <QMimeData>
#include <QSet>

#include <memory>
#include <utility>

using namespace fd;

namespace {

bool validLength(const QString &s)
{
    return !s.isEmpty() && s.size() <= SeriesMime::kMaxNameLength;
}

void checkEntries(const QList<DraggedSeries> &list)
{
    FD_FUZZ_CHECK(list.size() <= SeriesMime::kMaxEntries, "more entries than the limit");
    QSet<std::pair<DeviceKey, QString>> seen;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const DraggedSeries &s = list.at(i);
        FD_FUZZ_CHECK(validLength(s.deviceId), "an entry's device id is empty or too long");
        FD_FUZZ_CHECK(validLength(s.source), "an entry's source is empty or too long");
        FD_FUZZ_CHECK(s.metric.isEmpty() || validLength(s.metric), "an entry's metric is too long");
        FD_FUZZ_CHECK(s.metrics.size() <= 64, "an entry reports more than 64 metrics");
        for (qsizetype m = 0; m < s.metrics.size(); ++m) {
            FD_FUZZ_CHECK(validLength(s.metrics.at(m)), "a reported metric is empty or too long");
            FD_FUZZ_CHECK(s.metrics.indexOf(s.metrics.at(m)) == m, "a reported metric is listed twice");
        }
        FD_FUZZ_CHECK(!seen.contains({s.device(), s.metric}), "two entries name the same series");
        seen.insert({s.device(), s.metric});
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = fd::fuzz::inputBytes(data, size).toByteArray();
    const QList<DraggedSeries> decoded = SeriesMime::decode(bytes);
    checkEntries(decoded);

    FD_FUZZ_CHECK(SeriesMime::decode(SeriesMime::encode(decoded)) == decoded,
                  "decoded entries change in encode -> decode");

    const std::unique_ptr<QMimeData> mime(SeriesMime::toMimeData(decoded));
    FD_FUZZ_CHECK(SeriesMime::canDecode(mime.get()), "toMimeData() without the series format");
    FD_FUZZ_CHECK(SeriesMime::fromMimeData(mime.get()) == decoded, "decoded entries change in the QMimeData round trip");
    FD_FUZZ_CHECK(mime->text().isEmpty() == decoded.isEmpty(), "text/plain does not match the entries");
    return 0;
}
