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

} // namespace fd
