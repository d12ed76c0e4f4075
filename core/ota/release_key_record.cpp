#include "core/ota/release_key_record.h"

namespace fd {

QString ReleaseKeyRecord::storageKey(Storage storage)
{
    switch (storage) {
    case Storage::Passphrase:
        return QStringLiteral("passphrase");
    case Storage::Keychain:
        return QStringLiteral("keychain");
    case Storage::None:
        return QStringLiteral("none");
    }
    return QString();
}

std::optional<ReleaseKeyRecord::Storage> ReleaseKeyRecord::storageFromKey(QStringView key)
{
    if (key == u"passphrase")
        return Storage::Passphrase;
    if (key == u"keychain")
        return Storage::Keychain;
    if (key == u"none")
        return Storage::None;
    return std::nullopt;
}

bool ReleaseKeyRecord::isValidName(QStringView name, QString *why)
{
    auto fail = [why](const QString &reason) {
        if (why)
            *why = reason;
        return false;
    };
    if (name.isEmpty())
        return fail(tr("the key name is empty"));
    if (name.size() > kMaxNameLength)
        return fail(tr("the key name is longer than %1 characters").arg(kMaxNameLength));
    for (QChar c : name) {
        const bool ok = (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'.'
                        || c == u'_' || c == u'-';
        if (!ok)
            return fail(tr("the key name may only hold letters, digits, '.', '_' and '-'"));
    }
    return true;
}

} // namespace fd
