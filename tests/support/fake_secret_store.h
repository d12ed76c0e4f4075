#pragma once

#include "core/settings/secret_store.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace fd::test {

// In-memory SecretStore answering asynchronously (next event loop turn), like a keychain.
// failWith makes every call fail with that error (a keychain that is not reachable).
class FakeSecretStore : public QObject, public SecretStore
{
public:
    QHash<QString, QString> values;
    QString failWith;

    void read(const QString &key, Callback done) override
    {
        Result r;
        if (!failWith.isEmpty()) {
            r.error = failWith;
        } else if (values.contains(key)) {
            r.ok = true;
            r.value = values.value(key);
        } else {
            r.notFound = true;
        }
        later(std::move(done), r);
    }
    void write(const QString &key, const QString &value, Callback done) override
    {
        Result r;
        if (!failWith.isEmpty()) {
            r.error = failWith;
        } else {
            values.insert(key, value);
            r.ok = true;
        }
        later(std::move(done), r);
    }
    void remove(const QString &key, Callback done) override
    {
        Result r;
        if (!failWith.isEmpty())
            r.error = failWith;
        else if (values.remove(key) > 0)
            r.ok = true;
        else
            r.notFound = true;
        later(std::move(done), r);
    }

private:
    void later(Callback done, const Result &r)
    {
        QTimer::singleShot(0, this, [done = std::move(done), r] {
            if (done)
                done(r);
        });
    }
};

} // namespace fd::test
