#include "core/broker/broker_credentials.h"

#include <QByteArray>
#include <QRandomGenerator>

namespace fd {

namespace {

QByteArray randomBytes(qsizetype count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    QRandomGenerator *random = QRandomGenerator::system();  // the OS's cryptographic source
    for (char &b : bytes)
        b = char(random->bounded(256));
    return bytes;
}

} // namespace

BrokerCredentials BrokerCredentials::generate(const QString &userPrefix)
{
    BrokerCredentials c;
    c.username = userPrefix + QString::fromLatin1(randomBytes(4).toHex());
    c.password = QString::fromLatin1(
        randomBytes(24).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    return c;
}

} // namespace fd
