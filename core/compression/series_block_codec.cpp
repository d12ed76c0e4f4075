#include "core/compression/series_block_codec.h"

#include "core/compression/bit_reader.h"
#include "core/compression/bit_writer.h"
#include "core/compression/integer_column.h"
#include "core/compression/number_column.h"
#include "core/compression/string_column.h"

#include <QLatin1StringView>

#include <algorithm>
#include <cmath>
#include <limits>

namespace fd {

namespace {

// A point's code in the block: MetricType, plus Int64Wide for integers a double cannot hold.
enum class Code : quint8 { Double = 0, Int64 = 1, Bool = 2, String = 3, Int64Wide = 4 };
constexpr int kCodeCount = 5;
constexpr quint64 kMixedFlag = 7;
constexpr quint64 kTypeMask = 7;
constexpr qint64 kTwoPow53 = qint64(1) << 53;
constexpr int kMaxCountBytes = 3;  // 7 bits each: kMaxPoints needs 17

Code codeOf(const SeriesPoint &p)
{
    switch (p.type) {
    case MetricType::Int64:
        return p.integer >= -kTwoPow53 && p.integer <= kTwoPow53 ? Code::Int64 : Code::Int64Wide;
    case MetricType::Bool: return Code::Bool;
    case MetricType::String: return Code::String;
    case MetricType::Double: break;
    }
    return Code::Double;
}

bool isNumberColumn(Code c)
{
    return c == Code::Double || c == Code::Int64 || c == Code::Bool;
}

bool failWith(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return false;
}

bool columnError(const BitReader &r, QString *error, QLatin1StringView column)
{
    return failWith(error, r.truncated() ? QStringLiteral("block ends early, in the %1").arg(column)
                                         : QStringLiteral("malformed %1").arg(column));
}

// The header: version, count, flags. Reads nothing past it.
bool readHeader(BitReader &r, int *count, quint64 *flags, QString *error)
{
    if (r.bitsLeft() == 0)
        return failWith(error, QStringLiteral("empty block"));
    const quint64 version = r.read(8);
    if (version != SeriesBlockCodec::kFormatVersion)
        return failWith(error, QStringLiteral("unknown block format version %1").arg(version));
    quint64 n = 0;
    for (int i = 0;; ++i) {
        if (i == kMaxCountBytes)
            return failWith(error, QStringLiteral("point count over the limit of %1").arg(SeriesBlockCodec::kMaxPoints));
        const quint64 byte = r.read(8);
        n |= (byte & 0x7f) << (7 * i);
        if ((byte & 0x80) == 0)
            break;
    }
    *flags = r.read(8);
    if (r.failed())
        return failWith(error, QStringLiteral("block ends inside its header"));
    if (n > quint64(SeriesBlockCodec::kMaxPoints))
        return failWith(error, QStringLiteral("point count %1 over the limit of %2").arg(n).arg(SeriesBlockCodec::kMaxPoints));
    if ((*flags & ~kTypeMask) != 0)
        return failWith(error, QStringLiteral("unknown block flags 0x%1").arg(*flags, 2, 16, QLatin1Char('0')));
    if ((*flags & kTypeMask) != kMixedFlag && (*flags & kTypeMask) >= kCodeCount)
        return failWith(error, QStringLiteral("unknown value type %1").arg(*flags & kTypeMask));
    *count = int(n);
    return true;
}

// Every column of a block, read and checked; strings only when asked for.
struct Columns
{
    std::vector<qint64> ts;
    std::vector<Code> codes;
    std::vector<double> numbers;  // the number column, in point order
    std::vector<qint64> wides;    // the wide Int64 column
    std::vector<QString> texts;   // the String column (empty without strings)
};

bool readColumns(QByteArrayView data, bool withText, Columns *c, QString *error)
{
    BitReader r(data);
    int n = 0;
    quint64 flags = 0;
    if (!readHeader(r, &n, &flags, error))
        return false;
    const std::size_t count = std::size_t(n);

    c->ts.resize(count);
    if (!IntegerColumn::decode(r, c->ts))
        return columnError(r, error, QLatin1StringView("timestamps"));

    if ((flags & kTypeMask) == kMixedFlag && count > 0) {
        std::vector<qint64> raw(count);
        if (!IntegerColumn::decode(r, raw))
            return columnError(r, error, QLatin1StringView("type codes"));
        c->codes.reserve(count);
        for (qint64 code : raw) {
            if (code < 0 || code >= kCodeCount)
                return failWith(error, QStringLiteral("unknown value type %1").arg(code));
            c->codes.push_back(Code(code));
        }
    } else {
        c->codes.assign(count, Code(flags & kTypeMask));
    }

    std::size_t numbers = 0;
    std::size_t wides = 0;
    std::size_t strings = 0;
    for (Code code : c->codes) {
        if (isNumberColumn(code))
            ++numbers;
        else if (code == Code::Int64Wide)
            ++wides;
        else
            ++strings;
    }

    c->numbers.resize(numbers);
    if (!NumberColumn::decode(r, c->numbers))
        return columnError(r, error, QLatin1StringView("number column"));
    std::size_t next = 0;
    for (Code code : c->codes) {
        if (!isNumberColumn(code))
            continue;
        double &v = c->numbers[next++];
        if (code == Code::Int64 && !(std::trunc(v) == v && std::fabs(v) <= double(kTwoPow53)))
            return failWith(error, QStringLiteral("an Int64 value that is not an integer within 2^53"));
        if (code == Code::Bool && !(v == 0.0 || v == 1.0))
            return failWith(error, QStringLiteral("a Bool value other than 0 and 1"));
        if (code != Code::Double && v == 0.0)
            v = 0.0;  // an integer has no -0 (the encoder never writes one)
    }

    c->wides.resize(wides);
    if (!IntegerColumn::decode(r, c->wides))
        return columnError(r, error, QLatin1StringView("wide integer column"));
    for (qint64 v : c->wides) {
        if (v >= -kTwoPow53 && v <= kTwoPow53)
            return failWith(error, QStringLiteral("a wide Int64 value within 2^53"));
    }

    if (withText) {
        c->texts.resize(strings);
        if (!StringColumn::decode(r, c->texts))
            return columnError(r, error, QLatin1StringView("string column"));
    } else if (!StringColumn::skip(r, strings)) {
        return columnError(r, error, QLatin1StringView("string column"));
    }

    if (!r.atPaddedEnd())
        return failWith(error, QStringLiteral("%1 bits after the end of the block").arg(r.bitsLeft()));
    return true;
}

} // namespace

QByteArray SeriesBlockCodec::encode(std::span<const SeriesPoint> points)
{
    if (points.size() > std::size_t(kMaxPoints))
        return {};
    const std::size_t n = points.size();
    // Per-thread scratch: a writer that encodes block after block allocates only the result.
    struct Scratch
    {
        std::vector<qint64> ts;
        std::vector<qint64> codes;
        std::vector<double> numbers;
        std::vector<qint64> wides;
        std::vector<QString> texts;
        BitWriter w;
    };
    thread_local Scratch scratch;
    std::vector<qint64> &ts = scratch.ts;
    std::vector<qint64> &codes = scratch.codes;
    std::vector<double> &numbers = scratch.numbers;
    std::vector<qint64> &wides = scratch.wides;
    std::vector<QString> &texts = scratch.texts;
    ts.clear();
    codes.clear();
    numbers.clear();
    wides.clear();
    texts.clear();
    ts.reserve(n);
    codes.reserve(n);
    numbers.reserve(n);
    bool mixed = false;
    for (const SeriesPoint &p : points) {
        const Code code = codeOf(p);
        ts.push_back(p.tsMs);
        mixed = mixed || (!codes.empty() && codes.front() != qint64(code));
        codes.push_back(qint64(code));
        switch (code) {
        case Code::Double: numbers.push_back(p.value); break;
        case Code::Int64: numbers.push_back(double(p.integer)); break;
        case Code::Bool: numbers.push_back(p.integer != 0 ? 1.0 : 0.0); break;
        case Code::Int64Wide: wides.push_back(p.integer); break;
        case Code::String: texts.push_back(p.text); break;
        }
    }

    BitWriter &w = scratch.w;
    w.clear();
    w.write(kFormatVersion, 8);
    quint64 count = n;
    do {
        const quint64 low = count & 0x7f;
        count >>= 7;
        w.write(low | (count ? 0x80 : 0), 8);
    } while (count);
    w.write(mixed ? kMixedFlag : (codes.empty() ? 0 : quint64(codes.front())), 8);

    IntegerColumn::encode(ts, w);
    if (mixed)
        IntegerColumn::encode(codes, w);
    NumberColumn::encode(numbers, w);
    IntegerColumn::encode(wides, w);
    StringColumn::encode(texts, w);
    texts.clear();  // no strings kept alive past the call
    return w.takeBytes();
}

bool SeriesBlockCodec::decode(QByteArrayView data, SeriesPoints *out, QString *error)
{
    if (!out)
        return failWith(error, QStringLiteral("no output"));
    Columns c;
    if (!readColumns(data, true, &c, error))
        return false;
    // Blocks are often appended one after the other: grow geometrically, not to fit.
    const std::size_t first = out->size();
    if (out->capacity() < first + c.ts.size())
        out->reserve(std::max(first + c.ts.size(), out->capacity() * 2));
    out->resize(first + c.ts.size());
    std::size_t number = 0;
    std::size_t wide = 0;
    std::size_t text = 0;
    for (std::size_t i = 0; i < c.ts.size(); ++i) {
        SeriesPoint &p = (*out)[first + i];
        p.tsMs = c.ts[i];
        switch (c.codes[i]) {
        case Code::Double:
            p.value = c.numbers[number++];
            break;
        case Code::Int64:
            p.type = MetricType::Int64;
            p.integer = qint64(c.numbers[number++]);
            p.value = double(p.integer);
            break;
        case Code::Bool:
            p.type = MetricType::Bool;
            p.integer = c.numbers[number++] != 0.0 ? 1 : 0;
            p.value = double(p.integer);
            break;
        case Code::Int64Wide:
            p.type = MetricType::Int64;
            p.integer = c.wides[wide++];
            p.value = double(p.integer);
            break;
        case Code::String:
            p.type = MetricType::String;
            p.text = std::move(c.texts[text++]);
            p.value = std::numeric_limits<double>::quiet_NaN();
            break;
        }
    }
    return true;
}

bool SeriesBlockCodec::decodeNumeric(QByteArrayView data, std::vector<qint64> *ts, std::vector<double> *values,
                                     QString *error)
{
    if (!ts || !values)
        return failWith(error, QStringLiteral("no output"));
    Columns c;
    if (!readColumns(data, false, &c, error))
        return false;
    ts->insert(ts->end(), c.ts.begin(), c.ts.end());
    if (c.numbers.size() == c.ts.size()) {  // only Double, Int64 and Bool: the number column as is
        values->insert(values->end(), c.numbers.begin(), c.numbers.end());
        return true;
    }
    values->reserve(values->size() + c.ts.size());
    std::size_t number = 0;
    std::size_t wide = 0;
    for (Code code : c.codes) {
        if (isNumberColumn(code))
            values->push_back(c.numbers[number++]);
        else if (code == Code::Int64Wide)
            values->push_back(double(c.wides[wide++]));
        else
            values->push_back(std::numeric_limits<double>::quiet_NaN());
    }
    return true;
}

bool SeriesBlockCodec::peekCount(QByteArrayView data, int *count)
{
    BitReader r(data);
    int n = 0;
    quint64 flags = 0;
    if (!readHeader(r, &n, &flags, nullptr))
        return false;
    if (count)
        *count = n;
    return true;
}

} // namespace fd
