#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringView>

namespace fd {

// The words of an inventory search ("rotterdam 2.4"): a device matches when every word is
// found in one of its searchable fields (AND; each word may be in another field). Words
// are separated by white space; "double quotes" keep a phrase with spaces as one word.
// Words are case-folded UTF-8 (DeviceFilter::foldedUtf8); a word contained in another word
// of the query is dropped (whatever contains the longer one contains it), so is a repeated
// word. At most kMaxWords words are kept (the first ones).
class DeviceSearchQuery
{
public:
    static constexpr int kMaxWords = 32;

    DeviceSearchQuery() = default;
    explicit DeviceSearchQuery(QStringView text);

    bool isEmpty() const { return m_words.isEmpty(); }
    const QList<QByteArray> &foldedWords() const { return m_words; }

    // The words as the user typed them (not folded, quotes removed), for display.
    static QStringList words(QStringView text);

    // True when every device matching `this` also matches `previous`: each word of previous
    // is contained in a word of this query.
    bool narrows(const DeviceSearchQuery &previous) const;

private:
    QList<QByteArray> m_words;
};

} // namespace fd
