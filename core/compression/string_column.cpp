#include "core/compression/string_column.h"

#include "core/compression/bit_reader.h"
#include "core/compression/bit_writer.h"
#include "core/compression/integer_code.h"
#include "core/compression/integer_column.h"

#include <QHash>
#include <QStringDecoder>

namespace fd {

namespace {

// The dictionary's size, checked against the points (and so bounded by kMaxPoints).
bool readDictionarySize(BitReader &r, std::size_t count, quint64 *size)
{
    *size = IntegerCode::readWide(r);
    if (r.failed() || *size > count || *size == 0) {
        r.fail();
        return false;
    }
    return true;
}

// A string's byte length, checked against what is left of the block.
bool readLength(BitReader &r, qint64 *length)
{
    const quint64 bytes = IntegerCode::readWide(r);
    if (r.failed() || bytes > quint64(r.bitsLeft() / 8)) {
        r.fail();
        return false;
    }
    *length = qint64(bytes);
    return true;
}

bool readIndexes(BitReader &r, std::vector<qint64> *indexes, quint64 dictionarySize)
{
    if (!IntegerColumn::decode(r, *indexes))
        return false;
    for (qint64 index : *indexes) {
        if (index < 0 || quint64(index) >= dictionarySize) {
            r.fail();
            return false;
        }
    }
    return true;
}

} // namespace

void StringColumn::encode(std::span<const QString> values, BitWriter &w)
{
    if (values.empty())
        return;
    QHash<QString, qint64> dictionary;
    std::vector<const QString *> order;
    std::vector<qint64> indexes;
    indexes.reserve(values.size());
    for (const QString &s : values) {
        auto it = dictionary.constFind(s);
        if (it == dictionary.constEnd()) {
            it = dictionary.insert(s, qint64(order.size()));
            order.push_back(&s);
        }
        indexes.push_back(it.value());
    }
    IntegerCode::writeWide(w, order.size());
    for (const QString *s : order) {
        const QByteArray utf8 = s->toUtf8();
        IntegerCode::writeWide(w, quint64(utf8.size()));
        for (char c : utf8)
            w.write(quint8(c), 8);
    }
    IntegerColumn::encode(indexes, w);
}

bool StringColumn::decode(BitReader &r, std::span<QString> values)
{
    if (values.empty())
        return true;
    quint64 size = 0;
    if (!readDictionarySize(r, values.size(), &size))
        return false;
    std::vector<QString> dictionary;
    dictionary.reserve(std::size_t(size));
    QByteArray utf8;
    for (quint64 i = 0; i < size; ++i) {
        qint64 length = 0;
        if (!readLength(r, &length))
            return false;
        utf8.resize(qsizetype(length));
        for (qint64 b = 0; b < length; ++b)
            utf8[qsizetype(b)] = char(r.read(8));
        QStringDecoder toUtf16(QStringDecoder::Utf8,
                               QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
        QString text = toUtf16.decode(utf8);
        if (toUtf16.hasError()) {
            r.fail();
            return false;
        }
        dictionary.push_back(std::move(text));
    }
    std::vector<qint64> indexes(values.size());
    if (!readIndexes(r, &indexes, size))
        return false;
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = dictionary[std::size_t(indexes[i])];
    return true;
}

bool StringColumn::skip(BitReader &r, std::size_t count)
{
    if (count == 0)
        return true;
    quint64 size = 0;
    if (!readDictionarySize(r, count, &size))
        return false;
    for (quint64 i = 0; i < size; ++i) {
        qint64 length = 0;
        if (!readLength(r, &length))
            return false;
        r.skip(length * 8);
    }
    std::vector<qint64> indexes(count);
    return readIndexes(r, &indexes, size);
}

} // namespace fd
