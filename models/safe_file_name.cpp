#include "models/safe_file_name.h"

namespace fd {

QString SafeFileName::part(const QString &text, const QString &fallback, qsizetype maxLength)
{
    QString out;
    out.reserve(qMin(text.size(), maxLength));
    for (QChar c : text) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9')
                        || u == u'.' || u == u'_' || u == u'-';
        const QChar next = ok ? c : QChar(u'_');
        if (next == u'_' && out.endsWith(u'_'))
            continue;
        out.append(next);
        if (out.size() >= maxLength)
            break;
    }
    while (!out.isEmpty() && (out.front() == u'.' || out.front() == u'-' || out.front() == u'_'))
        out.remove(0, 1);
    while (out.endsWith(u'_') || out.endsWith(u'.'))
        out.chop(1);
    if (out.isEmpty() || out == u"." || out == u"..")
        return fallback;
    return out;
}

} // namespace fd
