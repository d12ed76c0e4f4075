#include "core/protocol/telemetry_fast_parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace fd {

namespace {

class Scanner
{
public:
    explicit Scanner(QByteArrayView s) : p(s.data()), end(s.data() + s.size()) {}

    void skipWs()
    {
        while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
            ++p;
    }
    bool take(char c)
    {
        skipWs();
        if (p < end && *p == c) {
            ++p;
            return true;
        }
        return false;
    }
    bool peek(char c)
    {
        skipWs();
        return p < end && *p == c;
    }
    bool atEnd()
    {
        skipWs();
        return p == end;
    }

    // A string of printable ASCII without escapes (anything else: decline).
    bool plainString(QByteArrayView *out)
    {
        if (!take('"'))
            return false;
        const char *start = p;
        while (p < end) {
            const unsigned char c = static_cast<unsigned char>(*p);
            if (c == '"') {
                *out = QByteArrayView(start, p - start);
                ++p;
                return true;
            }
            if (c == '\\' || c < 0x20 || c >= 0x80)
                return false;
            ++p;
        }
        return false;
    }

    // A JSON number (RFC 8259 grammar), converted like QJsonDocument: finite doubles only.
    bool number(double *out)
    {
        skipWs();
        const char *start = p;
        if (p < end && *p == '-')
            ++p;
        if (p >= end)
            return false;
        if (*p == '0') {
            ++p;
        } else if (*p >= '1' && *p <= '9') {
            while (p < end && *p >= '0' && *p <= '9')
                ++p;
        } else {
            return false;
        }
        if (p < end && *p == '.') {
            ++p;
            if (!digits())
                return false;
        }
        if (p < end && (*p == 'e' || *p == 'E')) {
            ++p;
            if (p < end && (*p == '+' || *p == '-'))
                ++p;
            if (!digits())
                return false;
        }
        double v = 0;
        const auto r = std::from_chars(start, p, v, std::chars_format::general);
        if (r.ec != std::errc() || r.ptr != p || !std::isfinite(v))
            return false;
        // QJsonDocument keeps a whole number that fits as an integer, so "-0" and "-0.0" come
        // out of it as 0: without this, the fast path would give -0.0 where the general one
        // gives 0 (found by fuzz/fuzz_payload_parsers).
        if (v == 0)
            v = 0;
        *out = v;
        return true;
    }

private:
    bool digits()
    {
        const char *start = p;
        while (p < end && *p >= '0' && *p <= '9')
            ++p;
        return p > start;
    }

    const char *p;
    const char *end;
};

bool parseMetrics(Scanner &s, TelemetryFastParser::Metrics *metrics)
{
    if (!s.take('{'))
        return false;
    if (s.take('}'))
        return true;
    do {
        TelemetryFastParser::Metric m;
        if (!s.plainString(&m.name) || !s.take(':') || !s.number(&m.value))
            return false;
        metrics->append(m);
    } while (s.take(','));
    if (!s.take('}'))
        return false;
    // Sorted once, in name order (as QJsonObject iterates): n log n. Inserting each name at
    // its place was quadratic in the number of names, and one message may carry thousands.
    auto byName = [](const TelemetryFastParser::Metric &a, const TelemetryFastParser::Metric &b) {
        return a.name.compare(b.name) < 0;
    };
    std::sort(metrics->begin(), metrics->end(), byName);
    // A duplicate name declines (QJsonObject keeps one of them).
    return std::adjacent_find(metrics->begin(), metrics->end(),
                              [](const TelemetryFastParser::Metric &a, const TelemetryFastParser::Metric &b) {
                                  return a.name == b.name;
                              })
           == metrics->end();
}

} // namespace

bool TelemetryFastParser::parse(QByteArrayView payload, double *ts, double *seq, Metrics *metrics)
{
    metrics->clear();
    Scanner s(payload);
    if (!s.take('{'))
        return false;
    bool haveTs = false, haveSeq = false, haveMetrics = false;
    if (!s.peek('}')) {
        do {
            QByteArrayView key;
            if (!s.plainString(&key) || !s.take(':'))
                return false;
            if (key == QByteArrayView("ts")) {
                if (haveTs || !s.number(ts))
                    return false;
                haveTs = true;
            } else if (key == QByteArrayView("seq")) {
                if (haveSeq || !s.number(seq))
                    return false;
                haveSeq = true;
            } else if (key == QByteArrayView("metrics")) {
                if (haveMetrics || !parseMetrics(s, metrics))
                    return false;
                haveMetrics = true;
            } else {
                return false;  // unknown field: the general decoder skips it
            }
        } while (s.take(','));
    }
    return s.take('}') && s.atEnd() && haveTs && haveSeq && haveMetrics;
}

} // namespace fd
