#include "core/compression/integer_column.h"

#include "core/compression/bit_reader.h"
#include "core/compression/bit_writer.h"
#include "core/compression/integer_code.h"

#include <algorithm>
#include <array>
#include <limits>
#include <vector>

namespace fd {

namespace {

using Predictor = IntegerColumn::Predictor;

// Wrapping arithmetic on the two's complement bits: defined for every input.
constexpr qint64 add(qint64 a, qint64 b) { return qint64(quint64(a) + quint64(b)); }
constexpr qint64 sub(qint64 a, qint64 b) { return qint64(quint64(a) - quint64(b)); }

constexpr quint64 magnitude(qint64 v) { return v < 0 ? quint64(0) - quint64(v) : quint64(v); }

// A residual this far from the grid restarts it (so a gap costs one large residual).
constexpr quint64 gridTolerance(qint64 period) { return magnitude(period) / 2; }

// Columns longer than this choose their predictor on a prefix of kSample values.
constexpr std::size_t kSampleFrom = 2048;
constexpr std::size_t kSample = 512;

// Scratch buffers reused per thread: encoding a column allocates nothing once they have grown.
struct Scratch
{
    std::vector<qint64> deltas;     // x[i + 1] - x[i]
    std::vector<qint64> residuals;  // the predictor being tried (None, DeltaOfDelta, Grid)
    std::vector<quint64> codes;     // its zigzagged residuals
    std::vector<quint64> bestCodes; // the best predictor's so far
    std::vector<qint64> sample;     // for medians of wide-ranging values
    qint64 deltaMedian = 0;         // median(deltas)
};

Scratch &scratch()
{
    thread_local Scratch s;
    return s;
}

template<typename T>
T *ensure(std::vector<T> &v, std::size_t n)
{
    if (v.size() < n)
        v.resize(n);
    return v.data();
}

// The element nth_element would put at v.size() / 2, found in O(n) with a histogram when the
// values span a narrow range (residuals of a good predictor nearly always do); otherwise
// exactly on small inputs, else the median of an evenly spaced sample (any bias decodes: a
// near-median one costs a few bits at most on such values).
qint64 median(std::span<const qint64> v, std::vector<qint64> &sample)
{
    const std::size_t n = v.size();
    if (n == 0)
        return 0;
    qint64 lo = v[0];
    qint64 hi = v[0];
    for (qint64 x : v) {
        lo = std::min(lo, x);
        hi = std::max(hi, x);
    }
    const std::size_t rank = n / 2;
    constexpr quint64 kHistogram = 1024;
    const quint64 range = quint64(hi) - quint64(lo);  // hi >= lo: no wrap
    if (range < kHistogram) {
        std::array<quint32, kHistogram> counts;
        std::fill_n(counts.begin(), std::size_t(range) + 1, 0);
        for (qint64 x : v)
            ++counts[std::size_t(quint64(x) - quint64(lo))];
        std::size_t seen = 0;
        for (std::size_t i = 0;; ++i) {
            seen += counts[i];
            if (seen > rank)
                return add(lo, qint64(i));
        }
    }
    constexpr std::size_t kExactUpTo = 1024;
    constexpr std::size_t kSample = 511;
    if (n <= kExactUpTo) {
        sample.assign(v.begin(), v.end());
    } else {
        sample.resize(kSample);
        for (std::size_t i = 0; i < kSample; ++i)
            sample[i] = v[i * n / kSample];
    }
    const auto mid = sample.begin() + std::ptrdiff_t(sample.size() / 2);
    std::nth_element(sample.begin(), mid, sample.end());
    return *mid;
}

struct Candidate
{
    Predictor predictor = Predictor::None;
    std::array<qint64, 2> head{};  // written as signed wide codes, in order
    int headCount = 0;
    qint64 bias = 0;
    IntegerCode::Choice choice;
    qint64 bits = std::numeric_limits<qint64>::max();
};

// Grid residuals for a given bias (the grid's restarts depend on it).
void gridResiduals(std::span<const qint64> x, qint64 period, qint64 bias, qint64 *out)
{
    const quint64 tolerance = gridTolerance(period);
    qint64 grid = x[0];
    for (std::size_t i = 1; i < x.size(); ++i) {
        const qint64 e = sub(x[i], add(add(grid, period), bias));
        out[i - 1] = e;
        grid = magnitude(e) > tolerance ? sub(x[i], bias) : add(grid, period);
    }
}

// Sizes one predictor (x.size() >= 1; s.deltas holds x's deltas); its codes go to s.codes.
Candidate evaluate(std::span<const qint64> x, Predictor predictor, Scratch &s)
{
    const std::size_t n = x.size();
    Candidate c;
    c.predictor = predictor;
    std::span<const qint64> residuals;
    qint64 *r = ensure(s.residuals, n);
    switch (predictor) {
    case Predictor::None:
        residuals = x;
        c.bias = median(residuals, s.sample);
        break;
    case Predictor::Delta:
        c.head[c.headCount++] = x[0];
        residuals = std::span<const qint64>(s.deltas.data(), n - 1);
        c.bias = s.deltaMedian;
        break;
    case Predictor::DeltaOfDelta:
        c.head[c.headCount++] = x[0];
        if (n >= 2)
            c.head[c.headCount++] = s.deltas[0];
        for (std::size_t i = 2; i < n; ++i)
            r[i - 2] = sub(s.deltas[i - 1], s.deltas[i - 2]);
        residuals = std::span<const qint64>(r, n >= 2 ? n - 2 : 0);
        c.bias = median(residuals, s.sample);
        break;
    case Predictor::Grid: {
        const qint64 period = s.deltaMedian;  // the median delta
        c.head[c.headCount++] = x[0];
        c.head[c.headCount++] = period;
        gridResiduals(x, period, 0, r);
        c.bias = median(std::span<const qint64>(r, n - 1), s.sample);
        gridResiduals(x, period, c.bias, r);
        residuals = std::span<const qint64>(r, n - 1);
        break;
    }
    }

    const qint64 bias = predictor == Predictor::Grid ? 0 : c.bias;  // Grid's residuals include it
    quint64 *codes = ensure(s.codes, n);
    for (std::size_t i = 0; i < residuals.size(); ++i)
        codes[i] = IntegerCode::zigzag(sub(residuals[i], bias));
    c.choice = IntegerCode::choose(std::span<const quint64>(codes, residuals.size()));
    c.bits = 2 + IntegerCode::wideBits(IntegerCode::zigzag(c.bias)) + IntegerCode::kParamBits + c.choice.bits;
    for (int i = 0; i < c.headCount; ++i)
        c.bits += IntegerCode::wideBits(IntegerCode::zigzag(c.head[std::size_t(i)]));
    return c;
}

// The values from their residuals; `next` reads one (one instantiation per code family, so
// the inner loops inline the reader).
template<typename Next>
void decodeResiduals(Predictor predictor, qint64 head0, qint64 head1, qint64 bias, std::span<qint64> values, Next next)
{
    const std::size_t n = values.size();
    switch (predictor) {
    case Predictor::None:
        for (std::size_t i = 0; i < n; ++i)
            values[i] = add(next(), bias);
        break;
    case Predictor::Delta:
        values[0] = head0;
        for (std::size_t i = 1; i < n; ++i)
            values[i] = add(values[i - 1], add(next(), bias));
        break;
    case Predictor::DeltaOfDelta: {
        values[0] = head0;
        if (n >= 2)
            values[1] = add(head0, head1);
        qint64 delta = head1;
        for (std::size_t i = 2; i < n; ++i) {
            delta = add(delta, add(next(), bias));
            values[i] = add(values[i - 1], delta);
        }
        break;
    }
    case Predictor::Grid: {
        const qint64 period = head1;
        const quint64 tolerance = gridTolerance(period);
        values[0] = head0;
        qint64 grid = head0;
        for (std::size_t i = 1; i < n; ++i) {
            const qint64 e = next();
            values[i] = add(add(add(grid, period), bias), e);
            grid = magnitude(e) > tolerance ? sub(values[i], bias) : add(grid, period);
        }
        break;
    }
    }
}

} // namespace

void IntegerColumn::encode(std::span<const qint64> values, BitWriter &w)
{
    const std::size_t n = values.size();
    if (n == 0)
        return;
    Scratch &s = scratch();
    qint64 *deltas = ensure(s.deltas, n);
    for (std::size_t i = 1; i < n; ++i)
        deltas[i - 1] = sub(values[i], values[i - 1]);
    s.deltaMedian = median(std::span<const qint64>(deltas, n - 1), s.sample);

    constexpr std::array kPredictors{Predictor::None, Predictor::Delta, Predictor::DeltaOfDelta, Predictor::Grid};
    const std::size_t predictorCount = n < 3 ? 3 : 4;  // Grid needs two deltas
    std::array<bool, 4> tried{true, true, true, true};
    if (n > kSampleFrom) {
        // A long column: size every predictor on a prefix, and then only the ones that come
        // close to the best there on the whole column.
        const std::span<const qint64> prefix = values.first(kSample);
        const qint64 deltaMedian = s.deltaMedian;
        s.deltaMedian = median(std::span<const qint64>(deltas, kSample - 1), s.sample);
        std::array<qint64, 4> bits{};
        for (std::size_t i = 0; i < predictorCount; ++i)
            bits[i] = evaluate(prefix, kPredictors[i], s).bits;
        s.deltaMedian = deltaMedian;
        const qint64 least = *std::min_element(bits.begin(), bits.begin() + std::ptrdiff_t(predictorCount));
        for (std::size_t i = 0; i < predictorCount; ++i)
            tried[i] = bits[i] <= least + least / 8;
    }

    Candidate best;
    std::size_t codeCount = 0;
    for (std::size_t i = 0; i < predictorCount; ++i) {
        if (!tried[i])
            continue;
        const Predictor predictor = kPredictors[i];
        const Candidate candidate = evaluate(values, predictor, s);
        if (candidate.bits < best.bits) {
            best = candidate;
            codeCount = predictor == Predictor::None ? n : predictor == Predictor::DeltaOfDelta ? (n >= 2 ? n - 2 : 0) : n - 1;
            std::swap(s.codes, s.bestCodes);
        }
    }

    const qint64 start = w.bitCount();
    w.write(quint64(best.predictor), 2);
    for (int i = 0; i < best.headCount; ++i)
        IntegerCode::writeSignedWide(w, best.head[std::size_t(i)]);
    IntegerCode::writeSignedWide(w, best.bias);
    IntegerCode::writeParams(w, best.choice.params);
    IntegerCode::writeAll(w, std::span<const quint64>(s.bestCodes.data(), codeCount), best.choice.params);
    Q_ASSERT(w.bitCount() - start == best.bits);
    static_cast<void>(start);
}

bool IntegerColumn::decode(BitReader &r, std::span<qint64> values)
{
    const std::size_t n = values.size();
    if (n == 0)
        return true;
    const auto predictor = Predictor(r.read(2));
    qint64 head0 = 0;  // x[0]
    qint64 head1 = 0;  // DeltaOfDelta: x[1] - x[0]; Grid: the period
    if (predictor != Predictor::None)
        head0 = IntegerCode::readSignedWide(r);
    if ((predictor == Predictor::DeltaOfDelta && n >= 2) || predictor == Predictor::Grid)
        head1 = IntegerCode::readSignedWide(r);
    const qint64 bias = IntegerCode::readSignedWide(r);
    const IntegerCode::Params params = IntegerCode::readParams(r);
    if (r.failed())
        return false;
    BitReader local = r;  // a local copy keeps the reader's state in registers in the loops
    switch (params.family) {
    case IntegerCode::Family::Zero:
        decodeResiduals(predictor, head0, head1, bias, values, [] { return qint64(0); });
        break;
    case IntegerCode::Family::Rice:
        decodeResiduals(predictor, head0, head1, bias, values,
                        [&local, k = params.k] { return IntegerCode::unzigzag(IntegerCode::readRice(local, k)); });
        break;
    case IntegerCode::Family::ExpGolomb:
        decodeResiduals(predictor, head0, head1, bias, values,
                        [&local, k = params.k] { return IntegerCode::unzigzag(IntegerCode::readExpGolomb(local, k)); });
        break;
    }
    r = local;
    return !r.failed();
}

} // namespace fd
