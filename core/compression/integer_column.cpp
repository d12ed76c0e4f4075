#include "core/compression/integer_column.h"

#include "core/compression/bit_reader.h"
#include "core/compression/bit_writer.h"
#include "core/compression/integer_code.h"

#include <algorithm>
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

qint64 median(std::vector<qint64> v)
{
    if (v.empty())
        return 0;
    const auto mid = v.begin() + std::ptrdiff_t(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

struct Plan
{
    Predictor predictor = Predictor::None;
    std::vector<qint64> head;  // written as signed wide codes, in order
    qint64 bias = 0;
    std::vector<quint64> codes;  // zigzagged residuals
    IntegerCode::Choice choice;
    qint64 bits = 0;
};

// Grid residuals for a given bias (the grid's restarts depend on it).
std::vector<qint64> gridResiduals(std::span<const qint64> x, qint64 period, qint64 bias)
{
    std::vector<qint64> out;
    out.reserve(x.size());
    const quint64 tolerance = gridTolerance(period);
    qint64 grid = x[0];
    for (std::size_t i = 1; i < x.size(); ++i) {
        const qint64 e = sub(x[i], add(add(grid, period), bias));
        out.push_back(e);
        grid = magnitude(e) > tolerance ? sub(x[i], bias) : add(grid, period);
    }
    return out;
}

Plan plan(std::span<const qint64> x, Predictor predictor)
{
    Plan p;
    p.predictor = predictor;
    std::vector<qint64> residuals;
    residuals.reserve(x.size());
    switch (predictor) {
    case Predictor::None:
        residuals.assign(x.begin(), x.end());
        break;
    case Predictor::Delta:
        p.head = {x[0]};
        for (std::size_t i = 1; i < x.size(); ++i)
            residuals.push_back(sub(x[i], x[i - 1]));
        break;
    case Predictor::DeltaOfDelta:
        p.head = {x[0]};
        if (x.size() >= 2)
            p.head.push_back(sub(x[1], x[0]));
        for (std::size_t i = 2; i < x.size(); ++i)
            residuals.push_back(sub(sub(x[i], x[i - 1]), sub(x[i - 1], x[i - 2])));
        break;
    case Predictor::Grid: {
        std::vector<qint64> deltas;
        deltas.reserve(x.size());
        for (std::size_t i = 1; i < x.size(); ++i)
            deltas.push_back(sub(x[i], x[i - 1]));
        const qint64 period = median(std::move(deltas));
        p.head = {x[0], period};
        p.bias = median(gridResiduals(x, period, 0));
        residuals = gridResiduals(x, period, p.bias);
        break;
    }
    }
    if (predictor != Predictor::Grid)
        p.bias = median(residuals);

    p.codes.reserve(residuals.size());
    for (qint64 r : residuals)
        p.codes.push_back(IntegerCode::zigzag(predictor == Predictor::Grid ? r : sub(r, p.bias)));
    p.choice = IntegerCode::choose(p.codes);
    p.bits = 2 + IntegerCode::wideBits(IntegerCode::zigzag(p.bias)) + IntegerCode::kParamBits + p.choice.bits;
    for (qint64 h : p.head)
        p.bits += IntegerCode::wideBits(IntegerCode::zigzag(h));
    return p;
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
    if (values.empty())
        return;
    Plan best = plan(values, Predictor::None);
    for (Predictor predictor : {Predictor::Delta, Predictor::DeltaOfDelta, Predictor::Grid}) {
        if (predictor == Predictor::Grid && values.size() < 3)
            break;
        Plan candidate = plan(values, predictor);
        if (candidate.bits < best.bits)
            best = std::move(candidate);
    }
    const qint64 start = w.bitCount();
    w.write(quint64(best.predictor), 2);
    for (qint64 h : best.head)
        IntegerCode::writeSignedWide(w, h);
    IntegerCode::writeSignedWide(w, best.bias);
    IntegerCode::writeParams(w, best.choice.params);
    for (quint64 u : best.codes)
        IntegerCode::write(w, u, best.choice.params);
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
