#include "core/compression/integer_code.h"

#include "core/compression/bit_reader.h"
#include "core/compression/bit_writer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <limits>
#include <vector>

namespace fd {

namespace {

constexpr int kMaxK = 63;

// Size of ExpGolomb(k) for a value of bit width `width`.
constexpr int expGolombBitsForWidth(int width, int k)
{
    const int w = std::max(0, width - k);
    return w + 1 + std::max(0, w - 1) + k;
}

inline void writeExpGolomb(BitWriter &w, quint64 u, int k)
{
    const quint64 h = u >> k;
    const int width = std::bit_width(h);
    if (2 * width + k <= 64) {
        // Common case, one write: `width` ones, a zero, then the low width - 1 + k bits of u
        // (h's bits below its implicit top bit, then u's k low bits).
        if (width == 0) {
            w.write(u, 1 + k);  // u < 2^k: a zero, then its k bits
            return;
        }
        const int low = width - 1 + k;  // <= 62
        w.write((((quint64(1) << width) - 1) << (low + 1)) | (u & ((quint64(1) << low) - 1)), 2 * width + k);
        return;
    }
    w.writeOnes(width);
    w.write(0, 1);
    if (width > 1)
        w.write(h, width - 1);  // write() keeps the low bits: the top bit is implicit
    w.write(u, k);
}

} // namespace

int IntegerCode::expGolombBits(quint64 u, int k)
{
    return expGolombBitsForWidth(std::bit_width(u), k);
}

int IntegerCode::riceBits(quint64 u, int k)
{
    const quint64 q = u >> k;
    if (q < quint64(kRiceEscape))
        return int(q) + 1 + k;
    return kRiceEscape + expGolombBits(q - kRiceEscape, 0) + k;
}

IntegerCode::Choice IntegerCode::choose(std::span<const quint64> values)
{
    // By bit width; four interleaved tables, so that runs of equal widths (the usual case)
    // do not wait on one counter.
    std::array<std::array<quint32, 65>, 4> partial{};
    const std::size_t n = values.size();
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        ++partial[0][std::size_t(std::bit_width(values[i]))];
        ++partial[1][std::size_t(std::bit_width(values[i + 1]))];
        ++partial[2][std::size_t(std::bit_width(values[i + 2]))];
        ++partial[3][std::size_t(std::bit_width(values[i + 3]))];
    }
    for (; i < n; ++i)
        ++partial[0][std::size_t(std::bit_width(values[i]))];
    std::array<qint64, 65> histogram{};
    for (std::size_t width = 0; width < histogram.size(); ++width)
        histogram[width] = qint64(partial[0][width]) + partial[1][width] + partial[2][width] + partial[3][width];
    if (histogram[0] == qint64(values.size()))
        return {};  // Zero: nothing per value
    int maxWidth = 64;
    while (histogram[std::size_t(maxWidth)] == 0)
        --maxWidth;

    Choice best{{Family::ExpGolomb, 0}, std::numeric_limits<qint64>::max()};
    // Beyond the widest value a larger k only adds bits.
    for (int k = 0; k <= std::min(kMaxK, maxWidth); ++k) {
        qint64 bits = 0;
        for (int width = 0; width <= maxWidth; ++width)
            bits += histogram[std::size_t(width)] * expGolombBitsForWidth(width, k);
        if (bits < best.bits)
            best = {{Family::ExpGolomb, k}, bits};
    }

    // Rice's best k lies at or a little above ExpGolomb's for the data it suits. Its exact
    // sizes for k = from..to come from one histogram of v = u >> from (u >> k = v >> (k - from)),
    // exact up to kBins; the few values beyond are kept aside and sized one by one.
    const int from = std::max(0, best.params.k - 1);
    const int to = std::min(kMaxK, best.params.k + 4);
    constexpr quint64 kBins = quint64(kRiceEscape) << 5;  // to - from <= 5
    std::array<std::array<quint32, kBins>, 2> bins2{};  // two interleaved tables
    thread_local std::vector<quint64> beyond;
    beyond.clear();
    quint64 top = 0;  // the largest binned v
    for (std::size_t j = 0; j < n; ++j) {
        const quint64 u = values[j];
        const quint64 v = u >> from;
        if (v < kBins) {
            ++bins2[j & 1][std::size_t(v)];
            top = std::max(top, v);
        } else {
            beyond.push_back(u);
        }
    }
    std::array<quint32, kBins> bins;
    for (std::size_t v = 0; v <= top; ++v)
        bins[v] = bins2[0][v] + bins2[1][v];
    for (int k = from; k <= to; ++k) {
        const int shift = k - from;
        qint64 bits = 0;
        for (quint64 v = 0; v <= top; ++v) {
            const quint32 count = bins[std::size_t(v)];
            if (count == 0)
                continue;
            const quint64 q = v >> shift;
            const int size = q < quint64(kRiceEscape) ? int(q) + 1 + k : kRiceEscape + expGolombBits(q - kRiceEscape, 0) + k;
            bits += qint64(count) * size;
        }
        for (quint64 u : beyond)
            bits += riceBits(u, k);
        if (bits < best.bits)
            best = {{Family::Rice, k}, bits};
    }
    return best;
}

void IntegerCode::writeParams(BitWriter &w, Params params)
{
    w.write(quint64(params.family), 2);
    w.write(quint64(params.k), 6);
}

IntegerCode::Params IntegerCode::readParams(BitReader &r)
{
    const quint64 family = r.read(2);
    const int k = int(r.read(6));
    if (family > quint64(Family::ExpGolomb)) {
        r.fail();
        return {};
    }
    return {Family(family), k};
}

namespace {

inline void writeRice(BitWriter &w, quint64 u, int k)
{
    constexpr int kRiceEscape = IntegerCode::kRiceEscape;
    const quint64 q = u >> k;
    if (q < quint64(kRiceEscape)) {
        const int count = int(q) + 1 + k;
        if (count <= 64) {  // one write: q ones, a zero, the k low bits of u
            const quint64 low = k == 0 ? 0 : u & (~quint64(0) >> (64 - k));
            const quint64 ones = q == 0 ? 0 : ((quint64(1) << q) - 1) << (k + 1);  // k + 1 < 64 here
            w.write(ones | low, count);
            return;
        }
        w.writeOnes(int(q));
        w.write(0, 1);
    } else {
        w.writeOnes(kRiceEscape);
        writeExpGolomb(w, q - kRiceEscape, 0);
    }
    w.write(u, k);
}

} // namespace

void IntegerCode::write(BitWriter &w, quint64 u, Params params)
{
    switch (params.family) {
    case Family::Zero: Q_ASSERT(u == 0); return;
    case Family::ExpGolomb: writeExpGolomb(w, u, params.k); return;
    case Family::Rice: writeRice(w, u, params.k); return;
    }
}

void IntegerCode::writeAll(BitWriter &w, std::span<const quint64> values, Params params)
{
    switch (params.family) {
    case Family::Zero: return;
    case Family::Rice:
        for (quint64 u : values)
            writeRice(w, u, params.k);
        return;
    case Family::ExpGolomb:
        for (quint64 u : values)
            writeExpGolomb(w, u, params.k);
        return;
    }
}

int IntegerCode::wideBits(quint64 u)
{
    return 7 + std::max(0, int(std::bit_width(u)) - 1);
}

void IntegerCode::writeWide(BitWriter &w, quint64 u)
{
    const int width = std::bit_width(u);
    w.write(quint64(width), 7);
    if (width > 1)
        w.write(u, width - 1);
}

quint64 IntegerCode::readWide(BitReader &r)
{
    const int width = int(r.read(7));
    if (width > 64) {
        r.fail();
        return 0;
    }
    if (width == 0)
        return 0;
    return (quint64(1) << (width - 1)) | r.read(width - 1);
}

} // namespace fd
