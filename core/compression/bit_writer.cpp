#include "core/compression/bit_writer.h"

#include <QtEndian>

namespace fd {

void BitWriter::writeSpill(quint64 bits, int count)
{
    if (count <= 0)
        return;
    if (count < 64)
        bits &= (quint64(1) << count) - 1;
    const int free = 64 - m_fill;  // 1..64, <= count
    const int rest = count - free;  // 0..63: bits that stay pending
    const quint64 head = free == 64 ? 0 : m_acc << free;
    flushWord(head | (bits >> rest));
    m_acc = rest == 0 ? 0 : bits & ((quint64(1) << rest) - 1);
    m_fill = rest;
}

void BitWriter::writeOnes(int count)
{
    while (count >= 64) {
        write(~quint64(0), 64);
        count -= 64;
    }
    write(~quint64(0), count);
}

void BitWriter::append(const BitWriter &other)
{
    const std::size_t size = other.m_bytes.size();
    const auto *data = reinterpret_cast<const uchar *>(other.m_bytes.data());
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8)
        write(qFromBigEndian<quint64>(data + i), 64);
    for (; i < size; ++i)
        write(data[i], 8);
    write(other.m_acc, other.m_fill);
}

QByteArray BitWriter::takeBytes()
{
    if (m_fill > 0) {
        const int pad = (8 - m_fill % 8) % 8;
        m_acc <<= pad;
        m_fill += pad;
        for (int shift = m_fill - 8; shift >= 0; shift -= 8)
            m_bytes.push_back(char(quint8(m_acc >> shift)));
    }
    QByteArray bytes(m_bytes.data(), qsizetype(m_bytes.size()));
    clear();
    return bytes;
}

void BitWriter::flushWord(quint64 word)
{
    char buffer[8];
    qToBigEndian(word, buffer);
    m_bytes.insert(m_bytes.end(), buffer, buffer + 8);
}

} // namespace fd
