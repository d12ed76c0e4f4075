#include "core/broker/system_account.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>
#include <pwd.h>
#include <sys/stat.h>
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

bool SystemAccount::canEnter(const QString &path, QString *why) const
{
#ifdef Q_OS_UNIX
    QString dir = QFileInfo(path).absoluteFilePath();
    for (;;) {
        struct stat st{};
        if (::stat(QFile::encodeName(dir).constData(), &st) != 0) {
            if (why)
                *why = QStringLiteral("%1: %2").arg(dir, QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
        const bool enters = st.st_uid == uid_t(uid) ? (st.st_mode & S_IXUSR) != 0
            : st.st_gid == gid_t(gid)              ? (st.st_mode & S_IXGRP) != 0
                                                   : (st.st_mode & S_IXOTH) != 0;
        if (!enters) {
            if (why)
                *why = QStringLiteral("the user \"%1\" may not enter %2").arg(name, dir);
            return false;
        }
        const QString parent = QFileInfo(dir).absolutePath();
        if (parent == dir || dir == QDir::rootPath())
            return true;
        dir = parent;
    }
#else
    Q_UNUSED(path);
    if (why)
        *why = QStringLiteral("switching users is not supported on this platform");
    return false;
#endif
}

} // namespace fd
