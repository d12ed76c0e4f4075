// fd::SeriesBlockCodec (core/compression): lossless round trips of every type and edge value,
// timestamps in any order, mixed blocks, the point limit; malformed blocks (every truncation,
// random byte flips, garbage, bad headers, trailing bytes) decode to false with a reason and
// leave the output alone, or to points that survive another round trip. Also the building
// blocks (IntegerCode over all of quint64, BitReader bounds), sortAndDeduplicate, the size on
// simulator-like data and the decoding speed (printed with qInfo).

#include "core/compression/bit_reader.h"
#include "core/compression/bit_writer.h"
#include "core/compression/integer_code.h"
#include "core/compression/integer_column.h"
#include "core/compression/series_block_codec.h"
#include "core/domain/series_point.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

#include <bit>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <vector>

using namespace fd;

namespace {

constexpr qint64 kT0 = 1'700'000'000'000LL;
constexpr qint64 kMin64 = std::numeric_limits<qint64>::min();
constexpr qint64 kMax64 = std::numeric_limits<qint64>::max();
constexpr qint64 kTwo53 = qint64(1) << 53;

SeriesPoint dbl(qint64 ts, double v)
{
    return SeriesPoint::fromMetric(ts, MetricValue::ofDouble(QString(), v));
}

SeriesPoint i64(qint64 ts, qint64 v)
{
    return SeriesPoint::fromMetric(ts, MetricValue::ofInt64(QString(), v));
}

SeriesPoint boolean(qint64 ts, bool v)
{
    return SeriesPoint::fromMetric(ts, MetricValue::ofBool(QString(), v));
}

SeriesPoint str(qint64 ts, const QString &v)
{
    SeriesPoint p;
    p.tsMs = ts;
    p.type = MetricType::String;
    p.value = std::numeric_limits<double>::quiet_NaN();
    p.text = v;
    return p;
}

QString describe(const SeriesPoint &p)
{
    return QStringLiteral("{ts %1, %2, value %3 (0x%4), integer %5, text '%6'}")
        .arg(p.tsMs)
        .arg(metricTypeName(p.type))
        .arg(p.value, 0, 'g', 17)
        .arg(std::bit_cast<quint64>(p.value), 16, 16, QLatin1Char('0'))
        .arg(p.integer)
        .arg(p.text.left(40));
}

// Equal for the block: timestamp, type, the value the type says, and the derived fields.
bool samePoint(const SeriesPoint &a, const SeriesPoint &b)
{
    return a.tsMs == b.tsMs && a.sameValue(b);
}

// The numeric view decodeNumeric() gives for a point.
double numericView(const SeriesPoint &p)
{
    switch (p.type) {
    case MetricType::Int64: return double(p.integer);
    case MetricType::Bool: return p.integer != 0 ? 1.0 : 0.0;
    case MetricType::String: return std::numeric_limits<double>::quiet_NaN();
    case MetricType::Double: break;
    }
    return p.value;
}

bool sameBits(double a, double b)
{
    return std::bit_cast<quint64>(a) == std::bit_cast<quint64>(b) || (std::isnan(a) && std::isnan(b));
}

// Encodes, decodes both ways, and checks everything the codec promises for valid input.
QByteArray roundTrip(const SeriesPoints &points)
{
    const QByteArray block = SeriesBlockCodec::encode(points);
    [&] {
        QVERIFY(!block.isEmpty());
        int count = -1;
        QVERIFY(SeriesBlockCodec::peekCount(block, &count));
        QCOMPARE(count, int(points.size()));

        SeriesPoints out{dbl(-1, 42.0)};  // decode appends
        QString error;
        QVERIFY2(SeriesBlockCodec::decode(block, &out, &error), qPrintable(error));
        QCOMPARE(out.size(), points.size() + 1);
        QVERIFY(samePoint(out.front(), dbl(-1, 42.0)));
        for (std::size_t i = 0; i < points.size(); ++i) {
            const SeriesPoint &want = points[i];
            const SeriesPoint &got = out[i + 1];
            QVERIFY2(samePoint(got, want),
                     qPrintable(QStringLiteral("point %1: %2, want %3").arg(i).arg(describe(got), describe(want))));
            QVERIFY2(sameBits(got.value, numericView(want)), qPrintable(describe(got)));
            if (want.type == MetricType::Double && !std::isnan(want.value))
                QCOMPARE(std::bit_cast<quint64>(got.value), std::bit_cast<quint64>(want.value));
        }

        std::vector<qint64> ts{7};
        std::vector<double> values{7.0};
        QVERIFY2(SeriesBlockCodec::decodeNumeric(block, &ts, &values, &error), qPrintable(error));
        QCOMPARE(ts.size(), points.size() + 1);
        QCOMPARE(values.size(), points.size() + 1);
        for (std::size_t i = 0; i < points.size(); ++i) {
            QCOMPARE(ts[i + 1], points[i].tsMs);
            QVERIFY2(sameBits(values[i + 1], numericView(points[i])), qPrintable(describe(points[i])));
        }
    }();
    return block;
}

// A decode that fails must say why in one line and leave the outputs as they were; one that
// succeeds must give points that survive encode -> decode, and agree with decodeNumeric.
void checkUntrusted(QByteArrayView bytes)
{
    SeriesPoints out{dbl(1, 2.0)};
    QString error;
    const bool ok = SeriesBlockCodec::decode(bytes, &out, &error);
    std::vector<qint64> ts{3};
    std::vector<double> values{4.0};
    QString numericError;
    const bool numericOk = SeriesBlockCodec::decodeNumeric(bytes, &ts, &values, &numericError);
    if (!ok) {
        QCOMPARE(out.size(), std::size_t(1));
        QVERIFY(samePoint(out.front(), dbl(1, 2.0)));
        QVERIFY(!error.isEmpty());
        QVERIFY(!error.contains(QLatin1Char('\n')));
    }
    if (!numericOk) {
        QCOMPARE(ts.size(), std::size_t(1));
        QCOMPARE(values.size(), std::size_t(1));
        QVERIFY(!numericError.isEmpty());
        QVERIFY(!ok);  // decodeNumeric skips only the UTF-8 check
    }
    if (!ok)
        return;
    QVERIFY(numericOk);
    QCOMPARE(ts.size(), out.size());
    const SeriesPoints decoded(out.begin() + 1, out.end());
    QVERIFY(decoded.size() <= std::size_t(SeriesBlockCodec::kMaxPoints));
    for (std::size_t i = 0; i < decoded.size(); ++i) {
        QCOMPARE(ts[i + 1], decoded[i].tsMs);
        QVERIFY(sameBits(values[i + 1], numericView(decoded[i])));
    }
    SeriesPoints again;
    QVERIFY2(SeriesBlockCodec::decode(SeriesBlockCodec::encode(decoded), &again, &error), qPrintable(error));
    QCOMPARE(again.size(), decoded.size());
    for (std::size_t i = 0; i < decoded.size(); ++i)
        QVERIFY(samePoint(again[i], decoded[i]));
}

SeriesPoints randomMixed(QRandomGenerator &rng, int n)
{
    static const QStringList words = {QString(), QStringLiteral("ok"), QStringLiteral("fault"),
                                      QStringLiteral("Grüße 🚀"), QStringLiteral("状態")};
    SeriesPoints points;
    qint64 t = kT0;
    for (int i = 0; i < n; ++i) {
        t += rng.bounded(10) == 0 ? qint64(rng.bounded(-5000, 60000)) : 1000 + rng.bounded(-4, 5);
        switch (rng.bounded(9)) {
        case 0: points.push_back(dbl(t, std::bit_cast<double>(rng.generate64()))); break;
        case 1: points.push_back(i64(t, qint64(rng.generate64()))); break;
        case 2: points.push_back(i64(t, rng.bounded(-1000, 1000))); break;
        case 3: points.push_back(boolean(t, rng.bounded(2) == 1)); break;
        case 4: points.push_back(str(t, words.at(rng.bounded(int(words.size()))))); break;
        default: points.push_back(dbl(t, std::round(rng.bounded(1000.0)) / 10)); break;
        }
        // Runs of one type, as a series mostly has.
        if (rng.bounded(4) != 0 && !points.empty() && i + 1 < n) {
            SeriesPoint copy = points.back();
            copy.tsMs += 1000;
            points.push_back(copy);
            ++i;
        }
    }
    return points;
}

// Simulator-like series (simulator/simulated_device.cpp): 1 Hz, mean-reverting random walks.
enum class SeriesKind { Temperature, Humidity, Battery, Rssi };
enum class Clock { Exact, Jitter, Drift };

SeriesPoints simulated(SeriesKind kind, Clock clock, int n, quint64 seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> noise(0.0, 1.0);
    std::uniform_int_distribution<int> jitter(-3, 3);
    const double base = kind == SeriesKind::Temperature ? 21.0 : kind == SeriesKind::Humidity ? 50.0 : -65.0;
    double x = kind == SeriesKind::Battery ? 87.0 : base;
    SeriesPoints points;
    points.reserve(std::size_t(n));
    qint64 drifting = kT0;
    for (int i = 0; i < n; ++i) {
        qint64 ts = kT0 + qint64(i) * 1000;
        if (clock == Clock::Jitter)
            ts += jitter(rng);  // a few ms of latency around an exact 1 s clock
        if (clock == Clock::Drift)
            ts = drifting += 1000 + jitter(rng);  // each interval jitters: the error accumulates
        double v = 0;
        switch (kind) {
        case SeriesKind::Temperature:
            x += 0.03 * (base - x) + 0.12 * noise(rng);
            v = std::round((x + 0.05 * noise(rng)) * 10) / 10;
            break;
        case SeriesKind::Humidity:
            x = std::clamp(x + 0.02 * (base - x) + 0.25 * noise(rng), 0.0, 100.0);
            v = std::round(x * 10) / 10;
            break;
        case SeriesKind::Battery:
            x -= 0.002 + 0.001 * std::abs(noise(rng));
            v = std::round(x * 100) / 100;
            break;
        case SeriesKind::Rssi:
            x = std::clamp(x + 0.05 * (base - x) + 0.8 * noise(rng), -120.0, -30.0);
            v = std::round(x);
            break;
        }
        points.push_back(kind == SeriesKind::Rssi && seed % 2 ? i64(ts, qint64(v)) : dbl(ts, v));
    }
    return points;
}

const char *kindName(SeriesKind kind)
{
    switch (kind) {
    case SeriesKind::Temperature: return "temperature (1 decimal)";
    case SeriesKind::Humidity: return "humidity (1 decimal)";
    case SeriesKind::Battery: return "battery (2 decimals, falling)";
    case SeriesKind::Rssi: return "rssi (integer)";
    }
    return "";
}

const char *clockName(Clock clock)
{
    switch (clock) {
    case Clock::Exact: return "exact 1 s";
    case Clock::Jitter: return "1 s +-3 ms jitter";
    case Clock::Drift: return "1 s +-3 ms per interval, accumulating";
    }
    return "";
}

} // namespace

class TestSeriesBlockCodec : public QObject
{
    Q_OBJECT

private slots:
    void bitStreamsRoundTripAndStopAtTheEnd();
    void integerCodesAreTotal();
    void integerColumnsWrapAround();
    void emptyOneAndTwoPoints();
    void doublesAreBitExact();
    void integersAtTheEdges();
    void bools();
    void strings();
    void timestampsInAnyOrder();
    void mixedTypes();
    void maxPoints();
    void sortAndDeduplicateKeepsTheLastWrite();
    void fromMetricAndToMetric();
    void malformedHeaders();
    void everyTruncationFails();
    void randomByteFlips();
    void randomGarbage();
    void compressesSimulatorData();
    void decodingSpeed();
    void writeFuzzSeeds();
};

void TestSeriesBlockCodec::bitStreamsRoundTripAndStopAtTheEnd()
{
    QRandomGenerator rng(1);
    BitWriter w;
    std::vector<std::pair<quint64, int>> written;
    for (int i = 0; i < 2000; ++i) {
        const int count = rng.bounded(65);
        const quint64 v = rng.generate64() & (count == 64 ? ~quint64(0) : (quint64(1) << count) - 1);
        w.write(v, count);
        written.emplace_back(v, count);
    }
    const qint64 bits = w.bitCount();
    const QByteArray bytes = w.takeBytes();
    QCOMPARE(bytes.size(), (bits + 7) / 8);
    BitReader r(bytes);
    for (const auto &[v, count] : written)
        QCOMPARE(r.read(count), v);
    QVERIFY(!r.failed());
    QVERIFY(r.atPaddedEnd());
    QCOMPARE(r.read(8), quint64(0));
    QVERIFY(r.failed());
    QVERIFY(r.truncated());

    BitReader ones(QByteArrayView("\xff\xff", 2));
    QCOMPARE(ones.readOnes(10), 10);
    QCOMPARE(ones.readOnes(10), 0);  // 6 ones, then the end: no terminating zero
    QVERIFY(ones.failed());
    BitReader empty{QByteArrayView()};
    QCOMPARE(empty.read(64), quint64(0));
    QVERIFY(empty.failed());
    BitReader skipping(QByteArrayView("\x01\x02\x03", 3));
    skipping.skip(23);
    QCOMPARE(skipping.read(1), quint64(1));
    skipping.skip(1);
    QVERIFY(skipping.failed());
}

void TestSeriesBlockCodec::integerCodesAreTotal()
{
    std::vector<quint64> values = {0, 1, 2, 15, 16, 17, 31, 1000, quint64(1) << 32, (quint64(1) << 63) - 1,
                                   quint64(1) << 63, ~quint64(0) - 16, ~quint64(0) - 1, ~quint64(0)};
    QRandomGenerator rng(2);
    for (int i = 0; i < 64; ++i)
        values.push_back(rng.generate64() >> rng.bounded(64));
    for (auto family : {IntegerCode::Family::Rice, IntegerCode::Family::ExpGolomb}) {
        for (int k = 0; k < 64; ++k) {
            const IntegerCode::Params params{family, k};
            BitWriter w;
            for (quint64 u : values) {
                const qint64 before = w.bitCount();
                IntegerCode::write(w, u, params);
                const int expected = family == IntegerCode::Family::Rice ? IntegerCode::riceBits(u, k)
                                                                         : IntegerCode::expGolombBits(u, k);
                QCOMPARE(w.bitCount() - before, qint64(expected));
            }
            for (quint64 u : values)
                IntegerCode::writeWide(w, u);
            const QByteArray bytes = w.takeBytes();
            BitReader r(bytes);
            for (quint64 u : values)
                QCOMPARE(IntegerCode::read(r, params), u);
            for (quint64 u : values)
                QCOMPARE(IntegerCode::readWide(r), u);
            QVERIFY(!r.failed());
        }
    }
    for (qint64 v : {qint64(0), qint64(-1), qint64(1), kMin64, kMax64})
        QCOMPARE(IntegerCode::unzigzag(IntegerCode::zigzag(v)), v);
    QCOMPARE(IntegerCode::zigzag(kMin64), ~quint64(0));

    // Codes that would overflow 64 bits are refused, not wrapped.
    BitWriter w;
    w.writeOnes(65);
    const QByteArray sixtyFiveOnes = w.takeBytes();  // BitReader only views its bytes
    BitReader r(sixtyFiveOnes);
    QCOMPARE(IntegerCode::readExpGolomb(r, 0), quint64(0));
    QVERIFY(r.failed());
    QVERIFY(!r.truncated());
    BitWriter w2;
    IntegerCode::write(w2, ~quint64(0), {IntegerCode::Family::ExpGolomb, 0});
    const QByteArray widest = w2.takeBytes();
    BitReader r2(widest);
    static_cast<void>(IntegerCode::readExpGolomb(r2, 1));  // width 64 + k 1: too wide
    QVERIFY(r2.failed());
}

void TestSeriesBlockCodec::integerColumnsWrapAround()
{
    const std::vector<std::vector<qint64>> cases = {
        {kMin64, kMax64, kMin64, kMax64, 0, kMin64, kMin64, kMax64},
        {kMax64, kMax64 - 1000, kMax64 - 2000, kMin64, kMin64 + 1000, kMin64 + 2000},
        {0, 1000, 2001, 2999, 4000, 5002, 64000, 65001, 65999, 10, 1010, 2010},
        {5}, {kMin64}, {1, 2}, {kMax64, kMin64}, {7, 7, 7, 7, 7, 7, 7},
    };
    for (const auto &values : cases) {
        BitWriter w;
        IntegerColumn::encode(values, w);
        w.write(0b101, 3);  // what follows is read exactly where the column ends
        const QByteArray bytes = w.takeBytes();
        BitReader r(bytes);
        std::vector<qint64> out(values.size());
        QVERIFY(IntegerColumn::decode(r, out));
        QCOMPARE(out, values);
        QCOMPARE(r.read(3), quint64(0b101));
        QVERIFY(r.atPaddedEnd());
    }
}

void TestSeriesBlockCodec::emptyOneAndTwoPoints()
{
    const QByteArray empty = roundTrip({});
    QCOMPARE(empty.size(), 3);  // version, count, flags
    for (const SeriesPoint &p : {dbl(kT0, 21.5), i64(kT0, -7), boolean(kT0, true), str(kT0, QStringLiteral("on")),
                                 i64(kT0, kMin64), dbl(0, std::numeric_limits<double>::quiet_NaN())}) {
        roundTrip({p});
        SeriesPoint later = p;
        later.tsMs += 1000;
        roundTrip({p, later});
        roundTrip({later, p});
    }
}

void TestSeriesBlockCodec::doublesAreBitExact()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<double> specials = {
        0.0, -0.0, nan, -nan, std::bit_cast<double>(quint64(0x7ff0000000000001)) /* signalling */,
        std::bit_cast<double>(quint64(0x7ff8dead0000beef)), inf, -inf, DBL_MAX, -DBL_MAX, DBL_MIN, -DBL_MIN,
        std::numeric_limits<double>::denorm_min(), -std::numeric_limits<double>::denorm_min(), 2.5e-310,
        9007199254740992.0, 9007199254740993.0, 0.1, 0.1 + 0.2, 1e300, -1e-300, std::numbers::pi, 21.5, 21.5, 21.4};
    SeriesPoints points;
    for (std::size_t i = 0; i < specials.size(); ++i)
        points.push_back(dbl(kT0 + qint64(i) * 1000, specials[i]));
    roundTrip(points);
    // Each special in a block of its own and amid readings that scale decimally.
    for (double v : specials) {
        roundTrip({dbl(kT0, v), dbl(kT0 + 1, v)});
        roundTrip({dbl(kT0, 21.5), dbl(kT0 + 1000, v), dbl(kT0 + 2000, 21.6)});
    }
    // Decimal readings of every precision up to 9 decimals and beyond.
    QRandomGenerator rng(3);
    for (int decimals = 0; decimals <= 12; ++decimals) {
        SeriesPoints readings;
        const double scale = std::pow(10.0, decimals);
        for (int i = 0; i < 200; ++i)
            readings.push_back(dbl(kT0 + i * 1000, std::round(rng.bounded(2000.0) * scale - 1000 * scale) / scale));
        roundTrip(readings);
    }
}

void TestSeriesBlockCodec::integersAtTheEdges()
{
    const std::vector<qint64> edges = {0, 1, -1, kTwo53 - 1, kTwo53, kTwo53 + 1, -kTwo53 + 1, -kTwo53, -kTwo53 - 1,
                                       kMax64, kMin64, kMax64 - 1, kMin64 + 1, 1000, -1000};
    SeriesPoints points;
    for (std::size_t i = 0; i < edges.size(); ++i)
        points.push_back(i64(kT0 + qint64(i), edges[i]));
    roundTrip(points);
    for (qint64 a : edges) {
        for (qint64 b : edges)
            roundTrip({i64(kT0, a), i64(kT0 + 1, b), i64(kT0 + 2, a)});
    }
    SeriesPoints counter;
    for (qint64 i = 0; i < 500; ++i)
        counter.push_back(i64(kT0 + i * 1000, kMax64 - 500 + i));  // only wide values
    roundTrip(counter);
}

void TestSeriesBlockCodec::bools()
{
    SeriesPoints points;
    for (int i = 0; i < 300; ++i)
        points.push_back(boolean(kT0 + i * 1000, (i / 7) % 2 == 0));
    roundTrip(points);
    SeriesPoint odd = boolean(kT0, true);
    odd.integer = 5;  // any non-zero is true; it comes back as 1
    SeriesPoints out;
    QString error;
    QVERIFY(SeriesBlockCodec::decode(SeriesBlockCodec::encode(std::vector{odd}), &out, &error));
    QCOMPARE(out.at(0).integer, qint64(1));
    QCOMPARE(out.at(0).value, 1.0);
}

void TestSeriesBlockCodec::strings()
{
    const QString kib(1024, QLatin1Char('x'));
    const QString unicode = QStringLiteral("Grüße, 温度計 🌡️ e\u0301 \u200d");
    const QString bom = QString(QChar(0xfeff)) + QStringLiteral("bom first");
    SeriesPoints points = {str(kT0, QString()), str(kT0 + 1, kib), str(kT0 + 2, unicode), str(kT0 + 3, bom),
                           str(kT0 + 4, QString()), str(kT0 + 5, unicode), str(kT0 + 6, QString(QChar(0)) + QStringLiteral("nul"))};
    roundTrip(points);
    SeriesPoints runs;
    for (int i = 0; i < 1000; ++i)
        runs.push_back(str(kT0 + i * 1000, (i / 100) % 2 ? QStringLiteral("online") : QStringLiteral("offline")));
    const QByteArray block = roundTrip(runs);
    QVERIFY2(block.size() < 200, qPrintable(QString::number(block.size())));

    // Invalid UTF-8 in a dictionary: decode refuses, decodeNumeric (no strings) does not care.
    BitWriter w;  // a block of one String point, by hand: version, count, flags, columns
    w.write(SeriesBlockCodec::kFormatVersion, 8);
    w.write(1, 8);
    w.write(quint64(MetricType::String), 8);
    IntegerColumn::encode(std::vector{kT0}, w);
    IntegerCode::writeWide(w, 1);  // dictionary size
    IntegerCode::writeWide(w, 2);  // byte length
    w.write(0xc3, 8);              // a lead byte without its continuation
    w.write('(', 8);
    IntegerColumn::encode(std::vector<qint64>{0}, w);
    const QByteArray bad = w.takeBytes();
    SeriesPoints out;
    QString error;
    QVERIFY(!SeriesBlockCodec::decode(bad, &out, &error));
    QVERIFY(out.empty());
    QVERIFY(!error.isEmpty());
    std::vector<qint64> ts;
    std::vector<double> values;
    QVERIFY(SeriesBlockCodec::decodeNumeric(bad, &ts, &values, &error));
    QCOMPARE(values.size(), std::size_t(1));
    QVERIFY(std::isnan(values[0]));
}

void TestSeriesBlockCodec::timestampsInAnyOrder()
{
    const std::vector<std::vector<qint64>> cases = {
        {kT0, kT0, kT0, kT0},
        {kT0 + 3000, kT0 + 1000, kT0 + 2000, kT0, kT0 + 1000},
        {kMin64, kMax64, 0, kMin64, kMax64, -1, 1},
        {kMax64 - 2, kMax64 - 1, kMax64},
        {kMin64, kMin64 + 1, kMin64 + 2},
        {0, 1000, 2000, 61000, 62000, 63000, 62500, 64000},
    };
    for (const auto &stamps : cases) {
        SeriesPoints points;
        for (std::size_t i = 0; i < stamps.size(); ++i)
            points.push_back(dbl(stamps[i], double(i) / 10));
        roundTrip(points);
    }
    // Duplicates are kept as given (sorting and deduplicating is the caller's business).
    roundTrip({dbl(kT0, 1.0), dbl(kT0, 2.0), dbl(kT0, 1.0)});
}

void TestSeriesBlockCodec::mixedTypes()
{
    roundTrip({dbl(kT0, 1.5), i64(kT0 + 1, 3), boolean(kT0 + 2, true), str(kT0 + 3, QStringLiteral("x")),
               i64(kT0 + 4, kMax64), dbl(kT0 + 5, -0.0), str(kT0 + 6, QString()), i64(kT0 + 7, -kTwo53 - 5),
               boolean(kT0 + 8, false)});
    QRandomGenerator rng(4);
    for (int i = 0; i < 50; ++i)
        roundTrip(randomMixed(rng, rng.bounded(1, 400)));
}

void TestSeriesBlockCodec::maxPoints()
{
    QRandomGenerator rng(5);
    SeriesPoints points = randomMixed(rng, SeriesBlockCodec::kMaxPoints);
    points.resize(std::size_t(SeriesBlockCodec::kMaxPoints));
    roundTrip(points);
    SeriesPoints readings;
    for (int i = 0; i < SeriesBlockCodec::kMaxPoints; ++i)
        readings.push_back(dbl(kT0 + i * 1000, 20 + (i % 100) / 10.0));
    roundTrip(readings);
    readings.push_back(dbl(kT0, 1));
    QVERIFY(SeriesBlockCodec::encode(readings).isEmpty());  // refused: never a valid block
}

void TestSeriesBlockCodec::sortAndDeduplicateKeepsTheLastWrite()
{
    SeriesPoints points = {dbl(30, 1), dbl(10, 2), dbl(20, 3), dbl(10, 4), dbl(30, 5), dbl(10, 6), dbl(40, 7)};
    sortAndDeduplicate(points);
    QCOMPARE(points.size(), std::size_t(4));
    const std::vector<std::pair<qint64, double>> want = {{10, 6}, {20, 3}, {30, 5}, {40, 7}};
    for (std::size_t i = 0; i < want.size(); ++i) {
        QCOMPARE(points[i].tsMs, want[i].first);
        QCOMPARE(points[i].value, want[i].second);
    }
    SeriesPoints none;
    sortAndDeduplicate(none);
    QVERIFY(none.empty());
    SeriesPoints same = {str(5, QStringLiteral("a")), str(5, QStringLiteral("b")), str(5, QStringLiteral("c"))};
    sortAndDeduplicate(same);
    QCOMPARE(same.size(), std::size_t(1));
    QCOMPARE(same[0].text, QStringLiteral("c"));
}

void TestSeriesBlockCodec::fromMetricAndToMetric()
{
    const QString name = QStringLiteral("temperature");
    for (const MetricValue &m : {MetricValue::ofDouble(name, 21.5), MetricValue::ofInt64(name, kMax64),
                                 MetricValue::ofBool(name, true), MetricValue::ofString(name, QStringLiteral("on"))}) {
        const SeriesPoint p = SeriesPoint::fromMetric(kT0, m);
        QCOMPARE(p.tsMs, kT0);
        QCOMPARE(p.type, m.type);
        QVERIFY(p.toMetric(name) == m);
    }
    QVERIFY(!dbl(0, 0.0).sameValue(dbl(0, -0.0)));
    QVERIFY(dbl(0, std::numeric_limits<double>::quiet_NaN()).sameValue(dbl(1, -std::numeric_limits<double>::quiet_NaN())));
    QVERIFY(!dbl(0, 1.0).sameValue(i64(0, 1)));
    QVERIFY(!str(0, QString()).sameValue(str(0, QStringLiteral("a"))));
}

void TestSeriesBlockCodec::malformedHeaders()
{
    const QByteArray valid = SeriesBlockCodec::encode(std::vector{dbl(kT0, 1.5), dbl(kT0 + 1000, 1.6)});
    auto refused = [](const QByteArray &bytes, const char *what) {
        SeriesPoints out;
        QString error;
        QVERIFY2(!SeriesBlockCodec::decode(bytes, &out, &error), what);
        QVERIFY(out.empty());
        QVERIFY(!error.isEmpty());
        qDebug("%s: %s", what, qPrintable(error));
        checkUntrusted(bytes);
    };
    refused(QByteArray(), "empty");
    QByteArray version = valid;
    version[0] = 2;
    refused(version, "version 2");
    int count = 0;
    QVERIFY(!SeriesBlockCodec::peekCount(version, &count));
    refused(QByteArray("\x01\x81\x80\x04\x00", 5), "count 65537");
    refused(QByteArray("\x01\xff\xff\xff\xff\x0f\x00", 7), "huge count");
    refused(QByteArray("\x01\x00\x08", 3), "unknown flag");
    refused(QByteArray("\x01\x00\x05", 3), "unknown type");
    refused(valid + QByteArray(1, '\0'), "a trailing zero byte");
    refused(valid + "garbage", "trailing garbage");
    QByteArray padding = valid;
    padding[padding.size() - 1] = char(padding.back() | 1);  // a padding bit set, or a changed value
    checkUntrusted(padding);
    QVERIFY(SeriesBlockCodec::peekCount(QByteArray("\x01\x80\x80\x04\x00", 5), &count));
    QCOMPARE(count, SeriesBlockCodec::kMaxPoints);
    // A header that claims the maximum and nothing else fails quickly and cleanly.
    refused(QByteArray("\x01\x80\x80\x04\x07", 5), "count without columns");
}

void TestSeriesBlockCodec::everyTruncationFails()
{
    QRandomGenerator rng(6);
    std::vector<SeriesPoints> blocks = {randomMixed(rng, 120), simulated(SeriesKind::Temperature, Clock::Jitter, 300, 1)};
    blocks.push_back({dbl(kT0, std::numeric_limits<double>::quiet_NaN()), dbl(kT0 + 1, 0.1 + 0.2)});
    blocks.push_back({str(kT0, QStringLiteral("status: all good"))});
    for (const SeriesPoints &points : blocks) {
        const QByteArray block = SeriesBlockCodec::encode(points);
        for (qsizetype size = 0; size < block.size(); ++size) {
            SeriesPoints out;
            QString error;
            const QByteArrayView prefix = QByteArrayView(block).first(size);
            QVERIFY2(!SeriesBlockCodec::decode(prefix, &out, &error), qPrintable(QString::number(size)));
            QVERIFY(out.empty());
            QVERIFY(!error.isEmpty());
            std::vector<qint64> ts;
            std::vector<double> values;
            QVERIFY(!SeriesBlockCodec::decodeNumeric(prefix, &ts, &values, &error));
            QVERIFY(ts.empty() && values.empty());
        }
    }
}

void TestSeriesBlockCodec::randomByteFlips()
{
    QRandomGenerator rng(7);
    int accepted = 0;
    int total = 0;
    for (int round = 0; round < 60; ++round) {
        const QByteArray block = SeriesBlockCodec::encode(randomMixed(rng, rng.bounded(1, 200)));
        for (int flip = 0; flip < 40; ++flip) {
            QByteArray bytes = block;
            const int flips = rng.bounded(1, 4);
            for (int f = 0; f < flips; ++f) {
                const qsizetype at = rng.bounded(qsizetype(bytes.size()));
                bytes[at] = rng.bounded(2) ? char(bytes[at] ^ (1 << rng.bounded(8))) : char(rng.bounded(256));
            }
            SeriesPoints out;
            QString error;
            accepted += SeriesBlockCodec::decode(bytes, &out, &error) ? 1 : 0;
            ++total;
            checkUntrusted(bytes);
            if (QTest::currentTestFailed())
                return;
        }
    }
    qInfo("random byte flips: %d of %d damaged blocks still decode (to points that round-trip)", accepted, total);
}

void TestSeriesBlockCodec::randomGarbage()
{
    QRandomGenerator rng(8);
    for (int i = 0; i < 3000; ++i) {
        QByteArray bytes(rng.bounded(64), Qt::Uninitialized);
        for (char &c : bytes)
            c = char(rng.bounded(256));
        if (!bytes.isEmpty() && rng.bounded(2))
            bytes[0] = char(SeriesBlockCodec::kFormatVersion);
        checkUntrusted(bytes);
        if (QTest::currentTestFailed())
            return;
    }
}

void TestSeriesBlockCodec::compressesSimulatorData()
{
    constexpr int kPoints = 3600;  // an hour at 1 Hz
    for (Clock clock : {Clock::Exact, Clock::Jitter, Clock::Drift}) {
        for (SeriesKind kind : {SeriesKind::Temperature, SeriesKind::Humidity, SeriesKind::Battery, SeriesKind::Rssi}) {
            qint64 bytes = 0;
            constexpr int kSeeds = 4;  // odd seeds: rssi as Int64, even: as Double
            for (int seed = 1; seed <= kSeeds; ++seed)
                bytes += roundTrip(simulated(kind, clock, kPoints, quint64(seed) * 7919 + quint64(kind))).size();
            const double perPoint = double(bytes) / (kSeeds * kPoints);
            qInfo("%-32s %-40s %.3f bytes/point", kindName(kind), clockName(clock), perPoint);
            QVERIFY2(perPoint < (clock == Clock::Exact ? 0.7 : 1.2), kindName(kind));
        }
    }
}

void TestSeriesBlockCodec::decodingSpeed()
{
    // A day at 1 Hz (86,400 points) as 24 blocks of an hour.
    std::vector<SeriesPoints> hours;
    for (int hour = 0; hour < 24; ++hour)
        hours.push_back(simulated(SeriesKind::Humidity, Clock::Jitter, 3600, quint64(hour)));
    std::vector<QByteArray> blocks;
    qint64 bytes = 0;
    QElapsedTimer timer;
    const int runs = qEnvironmentVariableIntValue("FD_CODEC_BENCH_RUNS") > 0 ? qEnvironmentVariableIntValue("FD_CODEC_BENCH_RUNS") : 5;
    qint64 encodeNs = std::numeric_limits<qint64>::max();
    for (int run = 0; run < runs; ++run) {
        blocks.clear();
        bytes = 0;
        timer.start();
        for (const SeriesPoints &points : hours) {
            blocks.push_back(SeriesBlockCodec::encode(points));
            bytes += blocks.back().size();
        }
        encodeNs = std::min(encodeNs, timer.nsecsElapsed());
    }
    std::vector<qint64> ts;
    std::vector<double> values;
    qint64 bestNumeric = std::numeric_limits<qint64>::max();
    qint64 bestFull = std::numeric_limits<qint64>::max();
    for (int run = 0; run < runs; ++run) {
        ts.clear();
        values.clear();
        timer.start();
        for (const QByteArray &block : blocks)
            QVERIFY(SeriesBlockCodec::decodeNumeric(block, &ts, &values, nullptr));
        bestNumeric = std::min(bestNumeric, timer.nsecsElapsed());
        SeriesPoints points;
        timer.start();
        for (const QByteArray &block : blocks)
            QVERIFY(SeriesBlockCodec::decode(block, &points, nullptr));
        bestFull = std::min(bestFull, timer.nsecsElapsed());
        QCOMPARE(points.size(), std::size_t(86400));
    }
    QCOMPARE(values.size(), std::size_t(86400));
    qInfo("86,400 points in %lld bytes (%.3f bytes/point): decodeNumeric %.2f ms (%.1f ns/point), decode %.2f ms "
          "(%.1f ns/point)",
          bytes, double(bytes) / 86400, bestNumeric / 1e6, double(bestNumeric) / 86400, bestFull / 1e6,
          double(bestFull) / 86400);
    qInfo("encode (best of %d): %.2f ms (%.0f ns/point)", runs, encodeNs / 1e6, double(encodeNs) / 86400);
}

// FD_WRITE_FUZZ_SEEDS=fuzz/corpus/fuzz_series_block test_series_block_codec writeFuzzSeeds
// (re)writes the fuzz target's seeds: small valid blocks of every kind of column.
void TestSeriesBlockCodec::writeFuzzSeeds()
{
    const QString dir = qEnvironmentVariable("FD_WRITE_FUZZ_SEEDS");
    if (dir.isEmpty())
        QSKIP("set FD_WRITE_FUZZ_SEEDS to a folder to write the fuzz seeds there");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QRandomGenerator rng(9);
    SeriesPoints strings;
    for (int i = 0; i < 12; ++i)
        strings.push_back(str(kT0 + i * 1000, i % 5 < 3 ? QStringLiteral("ok") : QStringLiteral("Grüße 🚀")));
    SeriesPoints bools;
    for (int i = 0; i < 40; ++i)
        bools.push_back(boolean(kT0 + i * 1000 + rng.bounded(-3, 4), (i / 6) % 2 == 0));
    const std::vector<std::pair<const char *, SeriesPoints>> seeds = {
        {"empty", {}},
        {"one_double", {dbl(kT0, 21.5)}},
        {"temperature_jitter", simulated(SeriesKind::Temperature, Clock::Jitter, 60, 1)},
        {"battery_exact", simulated(SeriesKind::Battery, Clock::Exact, 60, 2)},
        {"rssi_int64_drift", simulated(SeriesKind::Rssi, Clock::Drift, 60, 3)},
        {"xor_specials", {dbl(kT0, 0.1 + 0.2), dbl(kT0 + 1, -0.0), dbl(kT0 + 2, nan), dbl(kT0 + 3, DBL_MAX),
                          dbl(kT0 + 4, std::numeric_limits<double>::denorm_min()),
                          dbl(kT0 + 5, -std::numeric_limits<double>::infinity()), dbl(kT0 + 6, 0.3)}},
        {"int64_wide", {i64(kT0, kMax64), i64(kT0 + 1, kMin64), i64(kT0 + 2, kTwo53 + 1), i64(kT0 + 3, -kTwo53 - 1)}},
        {"bools", bools},
        {"strings", strings},
        {"timestamps_extreme", {dbl(kMin64, 1), dbl(kMax64, 2), dbl(0, 3), dbl(kMax64, 4), dbl(kMin64, 5)}},
        {"mixed", randomMixed(rng, 30)},
    };
    QVERIFY(QDir().mkpath(dir));
    for (const auto &[name, points] : seeds) {
        QFile file(QDir(dir).filePath(QLatin1StringView(name)));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QVERIFY(file.write(roundTrip(points)) > 0);
    }
}

QTEST_GUILESS_MAIN(TestSeriesBlockCodec)
#include "test_series_block_codec.moc"
