#include "simulator/safe_file_name.h"

#include <QCryptographicHash>
#include <QStringList>

namespace fd::sim {

namespace {

bool isSafeChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'.' || u == u'_'
        || u == u'-';
}

bool isWindowsDeviceName(const QString &name)
{
    static const QStringList reserved{QStringLiteral("CON"), QStringLiteral("PRN"), QStringLiteral("AUX"),
                                      QStringLiteral("NUL")};
    const QString stem = name.section(u'.', 0, 0).toUpper();
    if (reserved.contains(stem))
        return true;
    return stem.size() == 4 && (stem.startsWith(QStringLiteral("COM")) || stem.startsWith(QStringLiteral("LPT")))
        && stem.at(3) >= u'1' && stem.at(3) <= u'9';
}

} // namespace

bool SafeFileName::isSafe(const QString &id)
{
    if (id.isEmpty() || id.size() > kMaxStemChars || id.startsWith(u'.') || isWindowsDeviceName(id))
        return false;
    for (const QChar c : id) {
        if (!isSafeChar(c))
            return false;
    }
    return true;
}

QString SafeFileName::from(const QString &id)
{
    if (isSafe(id))
        return id;
    QString stem;
    stem.reserve(qMin(id.size(), kMaxStemChars));
    for (const QChar c : id.left(kMaxStemChars))
        stem += isSafeChar(c) ? c : QChar(u'_');
    if (stem.startsWith(u'.'))
        stem[0] = u'_';
    const QByteArray hash = QCryptographicHash::hash(id.toUtf8(), QCryptographicHash::Sha256).toHex().left(8);
    return (stem.isEmpty() ? QStringLiteral("unnamed") : stem) + u'-' + QString::fromLatin1(hash);
}

} // namespace fd::sim
