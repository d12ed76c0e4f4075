#include "core/broker/mosquitto_password_file.h"

#include <QCryptographicHash>
#include <QPasswordDigestor>
#include <QRandomGenerator>

namespace fd {

namespace {
constexpr qsizetype kSaltBytes = 12;
constexpr qsizetype kHashBytes = 64;  // SHA-512
} // namespace

QByteArray MosquittoPasswordFile::entry(const QString &user, const QString &password)
{
    QByteArray salt(kSaltBytes, Qt::Uninitialized);
    QRandomGenerator *random = QRandomGenerator::system();
    for (char &b : salt)
        b = char(random->bounded(256));
    return entry(user, password, salt, kIterations);
}

QByteArray MosquittoPasswordFile::entry(const QString &user, const QString &password, const QByteArray &salt,
                                        int iterations)
{
    if (user.isEmpty() || user.contains(u':') || user.contains(u'\n') || user.contains(u'\r') || iterations < 1)
        return {};
    const QByteArray hash = QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha512, password.toUtf8(), salt,
                                                               iterations, quint64(kHashBytes));
    if (hash.size() != kHashBytes)
        return {};
    return user.toUtf8() + ":$7$" + QByteArray::number(iterations) + '$' + salt.toBase64() + '$' + hash.toBase64()
        + '\n';
}

} // namespace fd
