#pragma once

#include <QByteArray>
#include <QString>

namespace fd {

// A safe, plain-text view of untrusted payload bytes (Diagnostics samples). Mostly printable
// UTF-8 text is shown as text with every other byte escaped (\n, \t, \r, \\, \xNN: a NUL,
// a control character, invalid UTF-8); anything else as a hex dump (offset, 16 bytes, ASCII
// column). Never rich text: show the result in a plain-text widget.
class PayloadPreview
{
public:
    enum class Kind { Empty, Text, Hex };

    // Text when at most a quarter of the bytes need escaping, else Hex.
    static Kind kindOf(const QByteArray &bytes);
    static QString escapedText(const QByteArray &bytes);
    static QString hexDump(const QByteArray &bytes);
    // kindOf() decides; "truncated" adds a last line saying how many bytes were not kept.
    static QString format(const QByteArray &bytes, qsizetype totalBytes = -1);
};

} // namespace fd
