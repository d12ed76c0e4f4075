#pragma once

#include <QString>

namespace fd {

// Text from a device, a broker or a file, made safe for the places where Qt guesses
// between plain and rich text (tooltips, Qt Charts titles and axis titles, labels in
// Qt::AutoText): wrapped as rich text whose only content is the escaped original, so it
// shows literally ("<h1>BIG</h1>" stays those characters), line breaks kept. Empty stays
// empty (an empty tooltip hides it).
inline QString plainTextAsRichText(const QString &text)
{
    if (text.isEmpty())
        return text;
    return QStringLiteral("<p style=\"white-space:pre-wrap\">") + text.toHtmlEscaped() + QStringLiteral("</p>");
}

// Text from outside (a file, a device) quoted in an error or reason: at most maxChars
// characters, control characters and line or paragraph separators shown as '?', so the
// message stays one line of text (a log line, a line of `fleetdeckctl` output, a reject
// reason counted by its text). Found by fuzzing (fuzz/).
inline QString oneLineText(const QString &text, qsizetype maxChars)
{
    QString out = text.left(maxChars);
    for (QChar &c : out) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Separator_Line
            || c.category() == QChar::Separator_Paragraph)
            c = u'?';
    }
    return out;
}

} // namespace fd
