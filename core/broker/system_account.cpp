#include "core/broker/system_account.h"

#include <QFile>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>
#include <pwd.h>
#include <unistd.h>
#endif

namespace fd {

std::optional<SystemAccount> SystemAccount::lookup(const QString &name, QString *why)
{
#ifdef Q_OS_UNIX
    const QByteArray user = name.toLocal8Bit();
    passwd entry{};
    passwd *found = nullptr;
    QByteArray buffer(16 * 1024, Qt::Uninitialized);
    const int rc = ::getpwnam_r(user.constData(), &entry, buffer.data(), size_t(buffer.size()), &found);
    if (rc != 0 || !found) {
        if (why) {
            *why = rc != 0 ? QStringLiteral("cannot look up the user \"%1\": %2").arg(name, QString::fromLocal8Bit(std::strerror(rc)))
                           : QStringLiteral("there is no user \"%1\"").arg(name);
        }
        return std::nullopt;
    }
    SystemAccount account;
    account.name = name;
    account.uid = found->pw_uid;
    account.gid = found->pw_gid;
    return account;
#else
    if (why)
        *why = QStringLiteral("switching users is not supported on this platform");
    Q_UNUSED(name);
    return std::nullopt;
#endif
}

bool SystemAccount::takeOwnership(const QString &path, QString *error) const
{
#ifdef Q_OS_UNIX
    if (::chown(QFile::encodeName(path).constData(), uid_t(uid), gid_t(gid)) == 0)
        return true;
    if (error)
        *error = QStringLiteral("cannot give %1 to the user \"%2\": %3").arg(path, name, QString::fromLocal8Bit(std::strerror(errno)));
    return false;
#else
    Q_UNUSED(path);
    if (error)
        *error = QStringLiteral("switching users is not supported on this platform");
    return false;
#endif
}

} // namespace fd
