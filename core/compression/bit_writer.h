#pragma once

#include <QByteArray>

namespace fd {

// An append-only stream of bits, most significant bit first, collected in a 64-bit
// accumulator that goes to the byte array eight bytes at a time. takeBytes() pads the last
// byte with zero bits (BitReader reads the same bits back).
class BitWriter
{
public:
    // Appends the low `count` bits of `bits` (count 0..64; higher bits are ignored).
    void write(quint64 bits, int count);
    // Appends `count` one bits (any count >= 0).
    void writeOnes(int count);
    // Appends every bit written to `other` (not its padding).
    void append(const BitWriter &other);

    [[nodiscard]] qint64 bitCount() const { return qint64(m_bytes.size()) * 8 + m_fill; }
    // The bytes, the last one padded with zero bits; the writer is empty afterwards.
    [[nodiscard]] QByteArray takeBytes();

private:
    void flushWord(quint64 word);

    QByteArray m_bytes;
    quint64 m_acc = 0;  // the low m_fill bits are pending, oldest highest
    int m_fill = 0;     // 0..63
};

} // namespace fd
