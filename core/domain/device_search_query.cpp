#include "core/domain/device_search_query.h"

#include "core/domain/device_filter.h"

#include <QByteArrayView>

namespace fd {

QStringList DeviceSearchQuery::words(QStringView text)
{
    QStringList out;
    QString word;
    bool quoted = false;
    auto flush = [&] {
        if (!word.isEmpty())
            out.append(std::exchange(word, QString()));
    };
    for (QChar c : text) {
        if (c == u'"') {
            flush();
            quoted = !quoted;
        } else if (c.isSpace() && !quoted) {
            flush();
        } else {
            word.append(c);
        }
    }
    flush();
    return out;
}

DeviceSearchQuery::DeviceSearchQuery(QStringView text)
{
    QList<QByteArray> folded;
    for (const QString &word : words(text)) {
        const QByteArray f = DeviceFilter::foldedUtf8(QStringView(word).trimmed());
        if (!f.isEmpty())
            folded.append(f);
    }
    // Drop words implied by another one (and repeats: the first of equal words stays).
    for (qsizetype i = 0; i < folded.size(); ++i) {
        bool implied = false;
        for (qsizetype j = 0; j < folded.size() && !implied; ++j) {
            if (i == j)
                continue;
            const bool contains = folded[j].contains(folded[i]);
            implied = contains && (folded[j].size() > folded[i].size() || j < i);
        }
        if (!implied && m_words.size() < kMaxWords)
            m_words.append(folded[i]);
    }
}

bool DeviceSearchQuery::narrows(const DeviceSearchQuery &previous) const
{
    for (const QByteArray &old : previous.m_words) {
        bool covered = false;
        for (const QByteArray &word : m_words) {
            if (word.contains(old)) {
                covered = true;
                break;
            }
        }
        if (!covered)
            return false;
    }
    return true;
}

} // namespace fd
