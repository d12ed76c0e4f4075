// Fuzz target: MetricCatalogueJson::read, the metric catalogue file (docs/metric-catalogue.md)
// that Settings > Metric Catalogue > Import… reads (a file from anywhere) and FleetDeck reads
// back from its settings at every start (MetricCatalogueSettings), and what the catalogue
// then shows with it (MetricCatalogue::formatValue, axisTitle).
// Input: the file's bytes.
//
// Checked per input:
//  - All or nothing: ok() exactly when there is no error; a refused file gives no entry and
//    one error of one line.
//  - An accepted file: at most kMaxEntries entries with unique names; name 1..200,
//    display name at most 200, unit at most 32 characters, trimmed, without control, format
//    (bidirectional overrides) or surrogate characters; precision -1..9; scale finite and not
//    0; min and max finite, min < max when both are given.
//  - Export -> import: write() of the entries reads back to the same entries in the same
//    order.
//  - Shown: with the entries in a MetricCatalogue, formatValue and axisTitle of each metric
//    work for ordinary and extreme values (0, negatives that round to 0, 1e308, infinities,
//    NaN), and a value that rounds to zero never shows as "-0".
#include "fuzz_support.h"

#include "core/domain/metric_catalogue.h"
#include "core/domain/metric_catalogue_json.h"

#include <QLocale>
#include <QSet>

#include <cmath>
#include <limits>

using namespace fd;

namespace {

bool isCleanText(const QString &s)
{
    for (QChar c : s) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format || c.isSurrogate())
            return false;
    }
    return s == s.trimmed();
}

bool isOneLine(const QString &s)
{
    for (QChar c : s) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Separator_Line
            || c.category() == QChar::Separator_Paragraph)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fd::fuzz::quietLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = fd::fuzz::inputBytes(data, size).toByteArray();
    const MetricCatalogueJson::ReadResult r = MetricCatalogueJson::read(bytes);
    if (!r.ok()) {
        FD_FUZZ_CHECK(r.entries.isEmpty(), "a refused file gave entries");
        FD_FUZZ_CHECK(r.error.size() <= 512 && isOneLine(r.error), "an error that is too long or not one line");
        return 0;
    }
    FD_FUZZ_CHECK(bytes.size() <= MetricCatalogueJson::kMaxFileBytes, "a file over the limit accepted");
    FD_FUZZ_CHECK(r.entries.size() <= MetricCatalogueJson::kMaxEntries, "more entries than the limit");

    QSet<QString> names;
    for (const MetricInfo &m : r.entries) {
        FD_FUZZ_CHECK(!m.name.isEmpty() && m.name.size() <= MetricInfo::kMaxNameLength && isCleanText(m.name),
                      "a name that is empty, too long, untrimmed or with control, format or surrogate characters");
        FD_FUZZ_CHECK(!names.contains(m.name), "one name twice");
        names.insert(m.name);
        FD_FUZZ_CHECK(m.displayName.size() <= MetricInfo::kMaxNameLength && isCleanText(m.displayName),
                      "a display name that is too long, untrimmed or with control characters");
        FD_FUZZ_CHECK(m.unit.size() <= MetricInfo::kMaxUnitLength && isCleanText(m.unit),
                      "a unit that is too long, untrimmed or with control characters");
        FD_FUZZ_CHECK(m.precision >= -1 && m.precision <= MetricInfo::kMaxPrecision, "a precision outside -1..9");
        FD_FUZZ_CHECK(std::isfinite(m.scale) && m.scale != 0.0, "a scale that is 0 or not finite");
        FD_FUZZ_CHECK(!m.expectedMin || std::isfinite(*m.expectedMin), "a min that is not finite");
        FD_FUZZ_CHECK(!m.expectedMax || std::isfinite(*m.expectedMax), "a max that is not finite");
        FD_FUZZ_CHECK(!m.expectedMin || !m.expectedMax || *m.expectedMin < *m.expectedMax, "min is not below max");
    }

    const MetricCatalogueJson::ReadResult back = MetricCatalogueJson::read(MetricCatalogueJson::write(r.entries));
    FD_FUZZ_CHECK(back.ok(), "the exported catalogue does not import");
    FD_FUZZ_CHECK(back.entries == r.entries, "export -> import changed the entries");

    MetricCatalogue catalogue;
    catalogue.setEntries(r.entries);
    const QLocale locale;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    for (const MetricInfo &m : r.entries) {
        FD_FUZZ_CHECK(catalogue.info(m.name) == m, "the catalogue does not hold an imported entry");
        FD_FUZZ_CHECK(!catalogue.axisTitle(m.name).isEmpty(), "an empty axis title");
        for (double v : {0.0, -0.0, -1e-300, -0.0004, 1.5, -123.456, 1e308, -1e308, kInf, -kInf, std::nan("")}) {
            const QString number = catalogue.formatNumber(m.name, v);
            FD_FUZZ_CHECK(!number.isEmpty() && !catalogue.formatValue(m.name, v).isEmpty(), "an empty formatted value");
            bool ok = false;
            const double shown = locale.toDouble(number, &ok);
            FD_FUZZ_CHECK(!(ok && shown == 0.0 && number.startsWith(locale.negativeSign())), "a value shown as -0");
        }
    }
    return 0;
}
