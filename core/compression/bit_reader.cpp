#include "core/compression/bit_reader.h"

#include <algorithm>

namespace fd {

void BitReader::stop(bool pastEnd)
{
    // Nothing is left to read: every later read takes the slow path and returns 0.
    m_failed = true;
    m_truncated = m_truncated || pastEnd;
    m_next = m_size;
    m_acc = 0;
    m_avail = 0;
}

void BitReader::refillTail()
{
    while (m_avail <= 56 && m_next < m_size) {
        m_acc |= quint64(m_data[m_next++]) << (56 - m_avail);
        m_avail += 8;
    }
}

quint64 BitReader::readSlow(int count)
{
    if (m_failed)
        return 0;
    if (count > 56 && m_avail < count) {
        // A refill leaves at least 57 bits, not always 64: read the value in two parts.
        const quint64 high = read(count - 32);
        const quint64 low = read(32);
        return m_failed ? 0 : (high << 32) | low;
    }
    stop(true);
    return 0;
}

int BitReader::readOnesSlow(int max)
{
    int count = 0;
    while (count < max && !m_failed) {
        if (m_avail == 0) {
            refill();
            if (m_avail == 0) {
                stop(true);
                return 0;
            }
        }
        const int ones = std::min(std::countl_one(m_acc), max - count);
        drop(ones);
        count += ones;
        if (count < max && m_avail > 0) {
            drop(1);  // the terminating zero
            return count;
        }
    }
    return m_failed ? 0 : count;
}

void BitReader::skip(qint64 count)
{
    if (count <= 0 || m_failed)
        return;
    if (count > bitsLeft()) {
        stop(true);
        return;
    }
    const int fromAcc = int(std::min<qint64>(count, m_avail));
    drop(fromAcc);
    count -= fromAcc;
    m_next += qsizetype(count / 8);
    static_cast<void>(read(int(count % 8)));
}

} // namespace fd
