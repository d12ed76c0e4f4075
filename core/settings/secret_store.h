#pragma once

#include <QString>

#include <functional>

namespace fd {

// Where secrets live: the OS keychain in production (KeychainSecretStore), a fake in tests.
// Asynchronous because keychains may prompt. Callbacks run on the caller's thread.
class SecretStore
{
public:
    struct Result
    {
        bool ok = false;
        bool notFound = false;
        QString value;
        QString error;  // for the user, e.g. "No keychain service available: ..."
    };
    using Callback = std::function<void(const Result &)>;

    virtual ~SecretStore() = default;
    virtual void read(const QString &key, Callback done) = 0;
    virtual void write(const QString &key, const QString &value, Callback done) = 0;
    virtual void remove(const QString &key, Callback done) = 0;
};

} // namespace fd
