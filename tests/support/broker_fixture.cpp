#include "tests/support/broker_fixture.h"

namespace fd::test {

BrokerFixture::BrokerFixture()
    : m_launcher(std::make_unique<MosquittoLauncher>())
{
}

BrokerFixture::~BrokerFixture() = default;

bool BrokerFixture::start(QString *error, const MosquittoLauncher::Options &options)
{
    m_options = options;
    if (!m_launcher->start(m_options, error))
        return false;
    m_options.port = m_launcher->port();  // restart() keeps the port
    return true;
}

bool BrokerFixture::restart(QString *error)
{
    m_launcher->stop();
    // The port was ours a moment ago; mosquitto sets SO_REUSEADDR so TIME_WAIT is no obstacle.
    return m_launcher->start(m_options, error);
}

void BrokerFixture::stop()
{
    m_launcher->stop();
}

ConnectionProfile BrokerFixture::profile(int mqttVersion) const
{
    ConnectionProfile p;
    p.name = QStringLiteral("test broker");
    p.broker.host = QStringLiteral("127.0.0.1");
    p.broker.port = m_launcher->port();
    p.broker.tls = !m_options.certFile.isEmpty();
    p.mqttVersion = mqttVersion;
    p.keepAliveSeconds = 10;
    p.username = m_options.credentials.username;
    return p;
}

ConnectionSecrets BrokerFixture::secrets() const
{
    ConnectionSecrets s;
    s.password = m_options.credentials.password;
    return s;
}

} // namespace fd::test
