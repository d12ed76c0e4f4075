#include "models/device_sort_key.h"

#include "core/domain/device_filter.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace fd {

DeviceSortKey DeviceSortKey::ofDouble(double v)
{
    if (std::isnan(v))
        return missing();
    constexpr quint64 signBit = quint64(1) << 63;
    const double value = v == 0.0 ? 0.0 : v;  // -0.0 == 0.0
    const quint64 bits = std::bit_cast<quint64>(value);
    // IEEE 754 as an unsigned integer in numeric order.
    const quint64 key = (bits & signBit) ? ~bits : (bits | signBit);
    return {std::min(key, std::numeric_limits<quint64>::max() - 1), 0};
}

DeviceSortKey DeviceSortKey::ofText(QStringView text)
{
    unsigned char bytes[16] = {};
    qsizetype length = 0;
    bool ascii = true;
    for (qsizetype i = 0; i < text.size() && length < 16; ++i) {
        const char16_t u = text[i].unicode();
        if (u >= 0x80) {
            ascii = false;
            break;
        }
        bytes[length++] = (u >= u'A' && u <= u'Z') ? u + 32 : u;
    }
    if (!ascii) {
        const QByteArray folded = DeviceFilter::foldedUtf8(text);
        length = std::min<qsizetype>(folded.size(), 16);
        std::copy_n(folded.constData(), length, bytes);
        if (folded.size() > 15)
            length = 16;
    } else if (text.size() > 15) {
        length = 16;
    }
    DeviceSortKey key;
    for (int i = 0; i < 8; ++i)
        key.hi = (key.hi << 8) | bytes[i];
    for (int i = 8; i < 15; ++i)
        key.lo = (key.lo << 8) | bytes[i];
    key.lo = (key.lo << 8) | (length > 15 ? 1 : 0);
    return key;
}

} // namespace fd
