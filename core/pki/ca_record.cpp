#include "core/pki/ca_record.h"

namespace fd {

QString CaRecord::storageKey(Storage storage)
{
    return storage == Storage::Keychain ? QStringLiteral("keychain") : QStringLiteral("passphrase");
}

std::optional<CaRecord::Storage> CaRecord::storageFromKey(QStringView key)
{
    if (key == u"passphrase")
        return Storage::Passphrase;
    if (key == u"keychain")
        return Storage::Keychain;
    return std::nullopt;
}

bool CaRecord::isValidName(QStringView name, QString *why)
{
    bool ok = !name.isEmpty() && name.size() <= kMaxNameLength && name.front() != u'.';
    for (const QChar c : name) {
        const char16_t u = c.unicode();
        ok = ok
             && ((u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'.'
                 || u == u'_' || u == u'-');
    }
    if (!ok && why)
        *why = tr("a CA name is 1 to %1 of A-Z a-z 0-9 . _ - (not starting with '.')").arg(kMaxNameLength);
    return ok;
}

QByteArray CaRecord::chainPem() const
{
    QByteArray chain = intermediatePem;
    if (!chain.isEmpty() && !chain.endsWith('\n'))
        chain.append('\n');
    return chain + rootPem;
}

} // namespace fd
