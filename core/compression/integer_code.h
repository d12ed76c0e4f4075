#pragma once

#include "core/compression/bit_reader.h"

#include <QtGlobal>

#include <limits>
#include <span>

namespace fd {

class BitWriter;

// Variable-length codes for unsigned 64-bit integers, total over all of quint64 (no value
// overflows), with a parameter the encoder picks per stream to minimise its size:
//  - Rice(k): q = u >> k; q < 16: q ones, a zero; else 16 ones and ExpGolomb(0) of q - 16;
//    then the k low bits of u. Near optimal for geometric (Laplace after zigzag) data.
//  - ExpGolomb(k): h = u >> k, w = bit_width(h) (0..64): w ones, a zero, the low w - 1 bits
//    of h (its top bit is implicit), then the k low bits of u. Robust to long tails.
//  - Zero: every value of the stream is 0; nothing is written per value.
// Plus a "wide" code for the odd header value: 7 bits of bit width, then the value's bits
// below its top bit. Signed values go through zigzag (0, -1, 1, -2, ... -> 0, 1, 2, 3, ...).
// Readers mark the BitReader failed on an invalid code and then return 0.
class IntegerCode
{
public:
    enum class Family : quint8 { Zero = 0, Rice = 1, ExpGolomb = 2 };

    struct Params
    {
        Family family = Family::Zero;
        int k = 0;  // 0..63
    };

    struct Choice
    {
        Params params;
        qint64 bits = 0;  // the values' total size (without writeParams())
    };

    static constexpr int kParamBits = 8;  // writeParams(): 2 bits family, 6 bits k
    static constexpr int kRiceEscape = 16;

    [[nodiscard]] static constexpr quint64 zigzag(qint64 v) { return (quint64(v) << 1) ^ quint64(v >> 63); }
    [[nodiscard]] static constexpr qint64 unzigzag(quint64 u) { return qint64((u >> 1) ^ (quint64(0) - (u & 1))); }

    [[nodiscard]] static int riceBits(quint64 u, int k);
    [[nodiscard]] static int expGolombBits(quint64 u, int k);
    // The cheapest parameters for these values (exact sizes: a bit-width histogram for
    // ExpGolomb, k = 0..63; Rice tried around the best ExpGolomb k).
    [[nodiscard]] static Choice choose(std::span<const quint64> values);

    static void writeParams(BitWriter &w, Params params);
    [[nodiscard]] static Params readParams(BitReader &r);  // fails r on an unknown family

    static void write(BitWriter &w, quint64 u, Params params);
    // write() for every value (the encoders' inner loop).
    static void writeAll(BitWriter &w, std::span<const quint64> values, Params params);
    // Inline: the decoders' inner loops.
    [[nodiscard]] static quint64 readExpGolomb(BitReader &r, int k)
    {
        const int width = r.readOnes(65);
        if (width + k > 64) {  // 65 ones, or a value that does not fit 64 bits
            r.fail();
            return 0;
        }
        const quint64 h = width == 0 ? 0 : (quint64(1) << (width - 1)) | r.read(width - 1);
        return (h << k) | r.read(k);
    }

    [[nodiscard]] static quint64 readRice(BitReader &r, int k)
    {
        quint64 q = quint64(r.readOnes(kRiceEscape));
        if (q == quint64(kRiceEscape)) {
            const quint64 rest = readExpGolomb(r, 0);
            if (rest > std::numeric_limits<quint64>::max() - kRiceEscape) {
                r.fail();
                return 0;
            }
            q += rest;
        }
        if (k > 0 && (q >> (64 - k)) != 0) {  // q << k would lose bits
            r.fail();
            return 0;
        }
        return (q << k) | r.read(k);
    }

    [[nodiscard]] static quint64 read(BitReader &r, Params params)
    {
        switch (params.family) {
        case Family::Zero: return 0;
        case Family::Rice: return readRice(r, params.k);
        case Family::ExpGolomb: return readExpGolomb(r, params.k);
        }
        return 0;
    }

    static constexpr int kMaxWideBits = 7 + 63;
    static void writeWide(BitWriter &w, quint64 u);
    [[nodiscard]] static quint64 readWide(BitReader &r);
    static void writeSignedWide(BitWriter &w, qint64 v) { writeWide(w, zigzag(v)); }
    [[nodiscard]] static qint64 readSignedWide(BitReader &r) { return unzigzag(readWide(r)); }
    [[nodiscard]] static int wideBits(quint64 u);
};

} // namespace fd
