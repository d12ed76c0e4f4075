#pragma once

#include <QChar>
#include <QString>

namespace fd {

// A name read from JSON (a metric, a device, a source, a status attribute such as the
// site), the same however it was written. QJsonDocument (Qt 6.4) drops a byte order mark
// (U+FEFF) at the start of a string written without escapes, and keeps it when the string
// has one: "\xEF\xBB\xBFt" reads "t", but "\ufefft" reads "\uFEFFt". Leading U+FEFF are
// therefore stripped here as well, so the two spellings are one name, and a name survives
// FleetDeck's own JSON round trips (drag and drop, the simulator's encoder), whose writer
// emits U+FEFF unescaped. Found by fuzzing (fuzz/).
inline QString jsonName(QString name)
{
    qsizetype n = 0;
    while (n < name.size() && name.at(n) == QChar(QChar::ByteOrderMark))
        ++n;
    if (n > 0)
        name.remove(0, n);
    return name;
}

} // namespace fd
