#pragma once

#include "core/broker/mosquitto_launcher.h"
#include "core/transport/connection_profile.h"

#include <QString>

#include <memory>

namespace fd::test {

// A private mosquitto for one test (or one test case): start(), then profile() gives a
// ConnectionProfile pointing at it. Restartable on the same port (reconnect tests).
class BrokerFixture
{
public:
    BrokerFixture();
    ~BrokerFixture();

    // QSKIPs are the caller's business: start() only reports.
    bool start(QString *error = nullptr, const MosquittoLauncher::Options &options = {});
    // Stops and starts again on the same port with the same options.
    bool restart(QString *error = nullptr);
    void stop();

    MosquittoLauncher &launcher() { return *m_launcher; }
    quint16 port() const { return m_launcher->port(); }
    QString url() const { return m_launcher->url(); }

    // Plain (or TLS, if the broker has a TLS listener) profile for "127.0.0.1"; with the
    // broker's user name when it was started with credentials (the password: secrets()).
    ConnectionProfile profile(int mqttVersion = 5) const;
    ConnectionSecrets secrets() const;

    static bool mosquittoAvailable() { return !MosquittoLauncher::findExecutable().isEmpty(); }

private:
    std::unique_ptr<MosquittoLauncher> m_launcher;
    MosquittoLauncher::Options m_options;
};

} // namespace fd::test
