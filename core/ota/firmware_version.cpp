#include "core/ota/firmware_version.h"

#include "core/domain/plain_text.h"

#include <QList>

namespace fd {
namespace {

bool allDigits(QStringView s)
{
    if (s.isEmpty())
        return false;
    for (QChar c : s) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

int sign(int v)
{
    return v < 0 ? -1 : (v > 0 ? 1 : 0);
}

// Two digit strings of any length, numerically.
int compareNumbers(QStringView a, QStringView b)
{
    while (a.size() > 1 && a.front() == u'0')
        a = a.mid(1);
    while (b.size() > 1 && b.front() == u'0')
        b = b.mid(1);
    if (a.size() != b.size())
        return a.size() < b.size() ? -1 : 1;
    return sign(a.compare(b));
}

int compareIdentifiers(QStringView a, QStringView b)
{
    const bool aNum = allDigits(a);
    const bool bNum = allDigits(b);
    if (aNum && bNum)
        return compareNumbers(a, b);
    if (aNum != bNum)
        return aNum ? -1 : 1;  // a number sorts before text
    return sign(a.compare(b));
}

// The dotted core: missing parts are 0.
int compareCore(QStringView a, QStringView b)
{
    const QList<QStringView> pa = a.split(u'.');
    const QList<QStringView> pb = b.split(u'.');
    const qsizetype n = qMax(pa.size(), pb.size());
    for (qsizetype i = 0; i < n; ++i) {
        const QStringView x = i < pa.size() ? pa.at(i) : QStringView(u"0");
        const QStringView y = i < pb.size() ? pb.at(i) : QStringView(u"0");
        if (const int c = compareIdentifiers(x.isEmpty() ? QStringView(u"0") : x, y.isEmpty() ? QStringView(u"0") : y))
            return c;
    }
    return 0;
}

// Pre-release identifiers: a shorter list that is a prefix of the other sorts first.
int comparePre(QStringView a, QStringView b)
{
    const QList<QStringView> pa = a.split(u'.');
    const QList<QStringView> pb = b.split(u'.');
    const qsizetype n = qMin(pa.size(), pb.size());
    for (qsizetype i = 0; i < n; ++i) {
        if (const int c = compareIdentifiers(pa.at(i), pb.at(i)))
            return c;
    }
    return pa.size() == pb.size() ? 0 : (pa.size() < pb.size() ? -1 : 1);
}

struct Parts
{
    QStringView core;
    QStringView pre;
    bool hasPre = false;
};

Parts splitVersion(QStringView v)
{
    const qsizetype plus = v.indexOf(u'+');
    if (plus >= 0)
        v = v.left(plus);
    Parts p;
    const qsizetype dash = v.indexOf(u'-');
    if (dash >= 0) {
        p.core = v.left(dash);
        p.pre = v.mid(dash + 1);
        p.hasPre = true;
    } else {
        p.core = v;
    }
    return p;
}

} // namespace

int FirmwareVersion::compare(QStringView a, QStringView b)
{
    const Parts pa = splitVersion(a);
    const Parts pb = splitVersion(b);
    if (const int c = compareCore(pa.core, pb.core))
        return c;
    if (pa.hasPre != pb.hasPre)
        return pa.hasPre ? -1 : 1;
    return pa.hasPre ? comparePre(pa.pre, pb.pre) : 0;
}

bool FirmwareVersion::isValid(QStringView version, QString *why)
{
    auto fail = [why](const QString &reason) {
        if (why)
            *why = reason;
        return false;
    };
    if (version.isEmpty())
        return fail(tr("the version is empty"));
    if (version.size() > kMaxLength)
        return fail(tr("the version is longer than %1 characters").arg(kMaxLength));
    if (version.front() < u'0' || version.front() > u'9')
        return fail(tr("the version must start with a digit"));
    for (QChar c : version) {
        const bool ok = (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'.'
                        || c == u'-' || c == u'+';
        if (!ok)
            return fail(tr("the version may only hold letters, digits, '.', '-' and '+' (not '%1')")
                            .arg(oneLineText(QString(c), 1)));
    }
    return true;
}

} // namespace fd
