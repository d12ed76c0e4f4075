#pragma once

#include <QString>

namespace fd {

// The one account of a private broker (MosquittoLauncher): a user name and its password.
// Empty: the broker lets anonymous clients in (tests and benchmarks that need no secret).
struct BrokerCredentials
{
    QString username;
    QString password;

    bool isEmpty() const { return username.isEmpty(); }

    // A fresh account from the system's random source: "<userPrefix><8 hex digits>" and a
    // password of 32 URL-safe base64 characters (192 random bits).
    static BrokerCredentials generate(const QString &userPrefix);
};

} // namespace fd
