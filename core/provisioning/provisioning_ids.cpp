#include "core/provisioning/provisioning_ids.h"

#include <QCryptographicHash>

namespace fd {
namespace {

bool isIdChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'.' || u == u'_'
           || u == u'-';
}

bool isIdText(const QString &s)
{
    if (s.isEmpty() || s.size() > ProvisioningIds::kMaxIdChars)
        return false;
    for (QChar c : s) {
        if (!isIdChar(c))
            return false;
    }
    return true;
}

bool isHex(const QString &s)
{
    for (QChar c : s) {
        const char16_t u = c.unicode();
        if (!((u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F')))
            return false;
    }
    return true;
}

} // namespace

bool ProvisioningIds::isValidSerial(const QString &serial)
{
    return isIdText(serial);
}

bool ProvisioningIds::isValidDeviceIdSyntax(const QString &id)
{
    return isIdText(id);
}

bool ProvisioningIds::isReservedDeviceId(const QString &id)
{
    return id.compare(u"bootstrap", Qt::CaseInsensitive) == 0
           || id.compare(u"fleetdeck-operator", Qt::CaseInsensitive) == 0;
}

bool ProvisioningIds::isValidDeviceId(const QString &id, QString *why)
{
    auto fail = [why](const QString &reason) {
        if (why)
            *why = reason;
        return false;
    };
    if (!isIdText(id))
        return fail(tr("a device id is 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'"));
    if (id.startsWith(u'.'))
        return fail(tr("a device id must not start with '.'"));
    if (isReservedDeviceId(id))
        return fail(tr("\"%1\" is reserved for FleetDeck's own identities").arg(id));
    return true;
}

bool ProvisioningIds::isValidNonce(const QString &nonce)
{
    return nonce.size() >= 32 && nonce.size() <= 64 && isHex(nonce);
}

bool ProvisioningIds::isValidClaimHash(const QString &hash)
{
    return hash.size() == 64 && isHex(hash);
}

QString ProvisioningIds::claimHash(const QString &serial, const QString &claimCode)
{
    const QByteArray input = serial.toUtf8() + ':' + claimCode.toUtf8();
    return QString::fromLatin1(QCryptographicHash::hash(input, QCryptographicHash::Sha256).toHex());
}

bool ProvisioningIds::sameHash(const QString &a, const QString &b)
{
    const QByteArray x = a.toLower().toLatin1();
    const QByteArray y = b.toLower().toLatin1();
    if (x.size() != y.size() || x.isEmpty())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < x.size(); ++i)
        diff |= static_cast<unsigned char>(x[i] ^ y[i]);
    return diff == 0;
}

} // namespace fd
