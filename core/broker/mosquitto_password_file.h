#pragma once

#include <QByteArray>
#include <QString>

namespace fd {

// Lines of a mosquitto 2.0 password_file, written without the mosquitto_passwd tool (which
// would take the password on its command line, visible in `ps`):
//   user:$7$<iterations>$<base64 salt>$<base64 PBKDF2-HMAC-SHA512(password, salt)>
// the format mosquitto_passwd writes (12-byte salt, 64-byte hash).
class MosquittoPasswordFile
{
public:
    // mosquitto_passwd's default. The demo's passwords are 192 random bits, so stretching
    // adds nothing, while every client connect pays for it.
    static constexpr int kIterations = 101;

    // One line (with its newline) for user and password, with a random salt. user must not
    // contain ':' or a line break (returns an empty array then).
    static QByteArray entry(const QString &user, const QString &password);
    // The same with a given salt and iteration count (tests compare with mosquitto_passwd).
    static QByteArray entry(const QString &user, const QString &password, const QByteArray &salt, int iterations);
};

} // namespace fd
