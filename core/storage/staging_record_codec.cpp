#include "core/storage/staging_record_codec.h"

#include <cstring>
#include <limits>

using namespace Qt::StringLiterals;

namespace fd {

namespace {

constexpr char kVersion = 1;
constexpr int kCountBytes = 4;  // fixed width, so finish() can fill it in place
constexpr int kHeaderBytes = 1 + kCountBytes;

quint64 zigzag(qint64 v)
{
    return (quint64(v) << 1) ^ quint64(v >> 63);
}

qint64 unzigzag(quint64 u)
{
    return qint64(u >> 1) ^ -qint64(u & 1);
}

// Writes v as LEB128 (at most 10 bytes) at buf; returns the byte count.
int putVarint(char *buf, quint64 v)
{
    int n = 0;
    while (v >= 0x80) {
        buf[n++] = char(v | 0x80);
        v >>= 7;
    }
    buf[n++] = char(v);
    return n;
}

class Reader
{
public:
    explicit Reader(QByteArrayView data)
        : m_p(reinterpret_cast<const uchar *>(data.data()))
        , m_end(m_p + data.size())
    {
    }
    bool varint(quint64 *v)
    {
        quint64 result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_p == m_end)
                return false;
            const uchar b = *m_p++;
            result |= quint64(b & 0x7f) << shift;
            if (!(b & 0x80)) {
                *v = result;
                return true;
            }
        }
        return false;  // more than 10 bytes
    }
    bool byte(uchar *b)
    {
        if (m_p == m_end)
            return false;
        *b = *m_p++;
        return true;
    }
    bool bytes(qsizetype n, const uchar **p)
    {
        if (n < 0 || m_end - m_p < n)
            return false;
        *p = m_p;
        m_p += n;
        return true;
    }
    bool atEnd() const { return m_p == m_end; }

private:
    const uchar *m_p;
    const uchar *m_end;
};

} // namespace

void StagingRecordCodec::begin(QByteArray *record)
{
    record->clear();
    record->append(kVersion);
    record->append(kCountBytes, '\0');
}

void StagingRecordCodec::append(QByteArray *record, qint64 previousTsMs, qint64 metricKey, qint64 tsMs,
                                const MetricValue &value)
{
    // Everything but a string's bytes in one buffer and one append: the commit's hot loop.
    char buf[40];
    int n = putVarint(buf, zigzag(qint64(quint64(tsMs) - quint64(previousTsMs))));
    n += putVarint(buf + n, quint64(metricKey));
    buf[n++] = char(value.type);
    switch (value.type) {
    case MetricType::Double:
        std::memcpy(buf + n, &value.value, 8);
        n += 8;
        break;
    case MetricType::Int64:
        n += putVarint(buf + n, zigzag(value.integer));
        break;
    case MetricType::Bool:
        buf[n++] = value.integer != 0 ? '\1' : '\0';
        break;
    case MetricType::String: {
        const QByteArray utf8 = value.text.toUtf8();
        n += putVarint(buf + n, quint64(utf8.size()));
        record->append(buf, n);
        record->append(utf8);
        return;
    }
    }
    record->append(buf, n);
}

void StagingRecordCodec::finish(QByteArray *record, int count)
{
    Q_ASSERT(record->size() >= kHeaderBytes);
    const quint32 n = quint32(count);
    for (int i = 0; i < kCountBytes; ++i)
        (*record)[1 + i] = char((n >> (8 * i)) & 0xff);
}

bool StagingRecordCodec::decode(QByteArrayView data, std::vector<StagedPoint> *out, QString *error)
{
    auto fail = [error](const char *why) {
        if (error)
            *error = u"malformed staging record: "_s + QLatin1StringView(why);
        return false;
    };
    if (data.size() < kHeaderBytes || data.at(0) != kVersion)
        return fail(data.isEmpty() ? "empty" : "unknown version or truncated header");
    quint32 count = 0;
    for (int i = 0; i < kCountBytes; ++i)
        count |= quint32(uchar(data.at(1 + i))) << (8 * i);
    // Every point takes at least 4 bytes: a count beyond that is a lie, not an allocation.
    if (count > quint32(kMaxPoints) || qsizetype(count) * 4 > data.size() - kHeaderBytes)
        return fail("point count beyond the record");
    Reader in(data.sliced(kHeaderBytes));
    const size_t before = out->size();
    out->reserve(before + count);
    qint64 ts = 0;
    for (quint32 i = 0; i < count; ++i) {
        StagedPoint sp;
        quint64 delta = 0;
        quint64 key = 0;
        uchar type = 0;
        if (!in.varint(&delta) || !in.varint(&key) || !in.byte(&type)) {
            out->resize(before);
            return fail("truncated point");
        }
        ts = qint64(quint64(ts) + quint64(unzigzag(delta)));
        sp.metricKey = qint64(key);
        SeriesPoint &p = sp.point;
        p.tsMs = ts;
        bool ok = true;
        switch (type) {
        case uchar(MetricType::Double): {
            const uchar *bytes = nullptr;
            ok = in.bytes(8, &bytes);
            if (ok)
                std::memcpy(&p.value, bytes, 8);
            p.type = MetricType::Double;
            break;
        }
        case uchar(MetricType::Int64): {
            quint64 z = 0;
            ok = in.varint(&z);
            p.type = MetricType::Int64;
            p.integer = unzigzag(z);
            p.value = double(p.integer);
            break;
        }
        case uchar(MetricType::Bool): {
            uchar b = 0;
            ok = in.byte(&b) && b <= 1;
            p.type = MetricType::Bool;
            p.integer = b;
            p.value = b;
            break;
        }
        case uchar(MetricType::String): {
            quint64 len = 0;
            const uchar *bytes = nullptr;
            ok = in.varint(&len) && len <= quint64(data.size()) && in.bytes(qsizetype(len), &bytes);
            p.type = MetricType::String;
            if (ok)
                p.text = QString::fromUtf8(reinterpret_cast<const char *>(bytes), qsizetype(len));
            p.value = std::numeric_limits<double>::quiet_NaN();
            break;
        }
        default:
            ok = false;
        }
        if (!ok) {
            out->resize(before);
            return fail("bad value");
        }
        out->push_back(std::move(sp));
    }
    if (!in.atEnd()) {
        out->resize(before);
        return fail("bytes after the last point");
    }
    return true;
}

} // namespace fd
