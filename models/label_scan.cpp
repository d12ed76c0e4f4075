#include "models/label_scan.h"

#include <QCoreApplication>

namespace fd {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("fd::LabelScan", text);
}

QString cleaned(const QString &text)
{
    QString out = text.trimmed();
    // A scanner's CR/LF suffix or stray control characters never belong to a code.
    out.removeIf([](QChar c) { return c.category() == QChar::Other_Control; });
    return out;
}

} // namespace

bool LabelScan::containsSeparator(const QString &text)
{
    for (QChar c : text) {
        if (isSeparator(c))
            return true;
    }
    return false;
}

LabelScan LabelScan::parse(const QString &text)
{
    LabelScan scan;
    qsizetype at = -1;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (isSeparator(text.at(i))) {
            at = i;
            break;
        }
    }
    if (at < 0) {
        scan.serial = cleaned(text).left(kMaxSerialLength + 1);
        return scan;
    }
    scan.hasSeparator = true;
    scan.serial = cleaned(text.left(at)).left(kMaxSerialLength + 1);
    QString rest = text.mid(at + 1);
    // "SERIAL;CLAIM;" or a second Tab: what follows the claim is not part of it.
    for (qsizetype i = 0; i < rest.size(); ++i) {
        if (isSeparator(rest.at(i))) {
            rest.truncate(i);
            break;
        }
    }
    scan.claim = cleaned(rest).left(kMaxClaimLength + 1);
    return scan;
}

QString LabelScan::serialProblem(const QString &serial)
{
    if (serial.isEmpty())
        return tr("Type or scan the serial number from the device's label.");
    if (serial.size() > kMaxSerialLength)
        return tr("A serial number has at most 64 characters.");
    for (QChar c : serial) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9')
                        || u == u'.' || u == u'_' || u == u'-';
        if (!ok)
            return tr("A serial number has only letters, digits, '.', '_' and '-'; this one has \"%1\".")
                .arg(c.category() == QChar::Separator_Space ? tr("a space") : QString(c));
    }
    return {};
}

QString LabelScan::claimProblem(const QString &claim)
{
    if (claim.isEmpty())
        return tr("Type or scan the claim code from the device's label.");
    if (claim.size() > kMaxClaimLength)
        return tr("This is too long for a claim code (at most 256 characters).");
    for (QChar c : claim) {
        if (c.category() == QChar::Other_Control)
            return tr("The claim code holds a control character; scan it again.");
    }
    return {};
}

} // namespace fd
