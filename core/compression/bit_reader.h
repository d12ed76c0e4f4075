#pragma once

#include <QByteArrayView>
#include <QtEndian>

#include <bit>

namespace fd {

// Reads the bits BitWriter wrote, most significant first, through a 64-bit accumulator.
// Bounds-checked: a read past the end (or a caller's fail()) sets failed(), and from then on
// every read returns 0 without touching memory. Never reads outside the view. The common
// cases are inline (decoding is one call per value).
class BitReader
{
public:
    explicit BitReader(QByteArrayView data)
        : m_data(reinterpret_cast<const uchar *>(data.data()))
        , m_size(data.size())
    {
    }

    // The next `count` bits (0..64) as the low bits of the result; 0 and failed() past the end.
    [[nodiscard]] quint64 read(int count)
    {
        if (count > m_avail)
            refill();
        if (count <= 0 || count > m_avail)
            return count <= 0 ? 0 : readSlow(count);
        const quint64 value = m_acc >> (64 - count);
        drop(count);
        return value;
    }

    // Reads one bits until a zero bit (consumed) or until `max` ones (the bit after them is
    // not read). Returns the number of ones, 0..max.
    [[nodiscard]] int readOnes(int max)
    {
        if (m_avail < 32)
            refill();
        const int ones = std::countl_one(m_acc);  // the bits below m_avail are zero
        if (ones < m_avail && ones < max) {
            drop(ones + 1);
            return ones;
        }
        return readOnesSlow(max);
    }

    // Skips `count` bits (past the end fails).
    void skip(qint64 count);

    // Marks the stream as malformed (an invalid code): failed() from now on.
    void fail() { stop(false); }
    [[nodiscard]] bool failed() const { return m_failed; }
    // Failed by reading past the end (not by fail()).
    [[nodiscard]] bool truncated() const { return m_truncated; }
    [[nodiscard]] qint64 bitsLeft() const { return qint64(m_size - m_next) * 8 + m_avail; }
    // True if what is left is only the zero padding of the last byte.
    [[nodiscard]] bool atPaddedEnd() const { return !m_failed && m_next == m_size && m_avail < 8 && m_acc == 0; }

private:
    void refill()
    {
        if (m_next + 8 <= m_size) {
            const int bytes = (64 - m_avail) >> 3;
            const quint64 word = qFromBigEndian<quint64>(m_data + m_next);
            m_acc |= m_avail == 64 ? 0 : word >> m_avail;
            m_avail += bytes * 8;
            m_next += bytes;
            if (m_avail < 64)
                m_acc &= ~(~quint64(0) >> m_avail);  // keep the bits below m_avail zero
        } else {
            refillTail();
        }
    }
    void refillTail();
    quint64 readSlow(int count);
    int readOnesSlow(int max);
    void drop(int count)  // count <= m_avail
    {
        m_acc = count >= 64 ? 0 : m_acc << count;
        m_avail -= count;
    }
    void stop(bool pastEnd);

    const uchar *m_data = nullptr;
    qsizetype m_size = 0;
    qsizetype m_next = 0;  // next byte to load
    quint64 m_acc = 0;     // the next m_avail bits, left-aligned; the bits below are zero
    int m_avail = 0;       // 0..64
    bool m_failed = false;
    bool m_truncated = false;
};

} // namespace fd
