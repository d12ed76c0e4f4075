#pragma once

#include <QByteArray>

#include <vector>

namespace fd {

// An append-only stream of bits, most significant bit first, collected in a 64-bit
// accumulator that goes to the byte buffer eight bytes at a time. takeBytes() pads the last
// byte with zero bits (BitReader reads the same bits back). The common write is inline (the
// encoders write one or two codes per value); the buffer keeps its capacity across clear()
// and takeBytes(), so a writer reused per thread does not allocate per block.
class BitWriter
{
public:
    // Appends the low `count` bits of `bits` (count 0..64; higher bits are ignored).
    void write(quint64 bits, int count)
    {
        Q_ASSERT(count >= 0 && count <= 64);
        if (count < 64 - m_fill) {  // fits the accumulator (count < 64 here)
            m_acc = (m_acc << count) | (bits & ((quint64(1) << count) - 1));
            m_fill += count;
            return;
        }
        writeSpill(bits, count);
    }
    // Appends `count` one bits (any count >= 0).
    void writeOnes(int count);
    // Appends every bit written to `other` (not its padding).
    void append(const BitWriter &other);

    [[nodiscard]] qint64 bitCount() const { return qint64(m_bytes.size()) * 8 + m_fill; }
    // Room for this many bytes without reallocating.
    void reserve(qsizetype bytes) { m_bytes.reserve(std::size_t(bytes)); }
    // Forgets every bit written (keeps the buffer's capacity).
    void clear()
    {
        m_bytes.clear();
        m_acc = 0;
        m_fill = 0;
    }
    // The bytes, the last one padded with zero bits; the writer is empty afterwards.
    [[nodiscard]] QByteArray takeBytes();

private:
    void writeSpill(quint64 bits, int count);  // fills the accumulator and flushes it
    void flushWord(quint64 word);

    std::vector<char> m_bytes;
    quint64 m_acc = 0;  // the low m_fill bits are pending, oldest highest
    int m_fill = 0;     // 0..63
};

} // namespace fd
