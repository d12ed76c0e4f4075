#include "core/pki/serial_number.h"

#include <QRandomGenerator>

namespace fd {

namespace {
constexpr qsizetype kMaxSerialBytes = 20;  // RFC 5280 4.1.2.2
}

QByteArray SerialNumber::random()
{
    QByteArray bytes(kBytes, Qt::Uninitialized);
    QRandomGenerator *rng = QRandomGenerator::system();
    for (;;) {
        rng->generate(reinterpret_cast<quint32 *>(bytes.data()), reinterpret_cast<quint32 *>(bytes.data() + kBytes));
        bytes[0] = char(quint8(bytes[0]) & 0x7F);  // positive
        if (bytes[0] != 0)                          // 16 significant bytes, never zero
            return bytes;
    }
}

QString SerialNumber::toHex(const QByteArray &serial)
{
    qsizetype first = 0;
    while (first < serial.size() && serial[first] == 0)
        ++first;
    if (first == serial.size())
        return QStringLiteral("00");
    return QString::fromLatin1(serial.mid(first).toHex().toUpper());
}

QByteArray SerialNumber::fromHex(QStringView hex)
{
    QByteArray digits;
    digits.reserve(hex.size());
    for (const QChar c : hex) {
        if (c == u':')
            continue;
        const char16_t u = c.unicode();
        const bool isHex = (u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F');
        if (!isHex)
            return QByteArray();
        digits.append(char(u));
    }
    if (digits.isEmpty())
        return QByteArray();
    if (digits.size() % 2)
        digits.prepend('0');
    QByteArray bytes = QByteArray::fromHex(digits);
    qsizetype first = 0;
    while (first + 1 < bytes.size() && bytes[first] == 0)
        ++first;
    bytes = bytes.mid(first);
    if (bytes.size() > kMaxSerialBytes)
        return QByteArray();
    return bytes;
}

QString SerialNumber::normalize(QStringView hex)
{
    const QByteArray bytes = fromHex(hex);
    return bytes.isEmpty() ? QString() : toHex(bytes);
}

} // namespace fd
