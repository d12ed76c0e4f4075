#include "simulator/connectivity_driver.h"

#include "simulator/device_connection.h"
#include "simulator/sim_logging.h"

namespace fd::sim {

ConnectivityDriver::ConnectivityDriver(DeviceConnection &connection)
    : m_connection(connection)
{
}

ConnectivityDriver::Event ConnectivityDriver::update(bool wantOnline, qint64 nowMs)
{
    switch (m_state) {
    case State::Online:
        // Not connected (Paho is reconnecting after a lost connection): wait for it.
        if (!wantOnline && m_connection.isConnected() && m_connection.publishStatus(false, 1)) {
            m_state = State::GoingOffline;
            m_sinceMs = nowMs;
        }
        return Event::None;
    case State::GoingOffline:
        // The offline status (and any telemetry before it) acknowledged: leave cleanly, so
        // the broker keeps that status (a clean disconnect publishes no Last Will).
        if (m_connection.ledger().pending() > 0 && nowMs - m_sinceMs < kOfflineAckTimeoutMs)
            return Event::None;
        m_connection.disconnect(0);
        m_state = State::Offline;
        m_retryAtMs = nowMs;
        return Event::WentOffline;
    case State::Offline:
        if (wantOnline && nowMs >= m_retryAtMs && !m_connection.isConnected())
            reconnect(nowMs);
        return Event::None;
    case State::Reconnecting: {
        const int result = m_attempt->load();
        if (result == 1) {
            m_state = State::Online;
            return Event::CameBack;
        }
        if (result == -1) {
            qCInfo(lcSim).noquote() << "reconnect failed:" << *m_failure << "- retrying";
            m_state = State::Offline;
            m_retryAtMs = nowMs + kRetryMs;
        }
        return Event::None;
    }
    }
    return Event::None;
}

void ConnectivityDriver::reconnect(qint64 nowMs)
{
    auto attempt = std::make_shared<std::atomic<int>>(0);
    auto failure = std::make_shared<QString>();
    try {
        // done() runs on Paho's thread, once the command subscription is acknowledged.
        m_connection.connect([attempt, failure](bool ok, const QString &reason) {
            if (!ok)
                *failure = reason;
            attempt->store(ok ? 1 : -1);
        });
        m_attempt = std::move(attempt);
        m_failure = std::move(failure);
        m_state = State::Reconnecting;
        m_sinceMs = nowMs;
    } catch (const mqtt::exception &e) {
        qCWarning(lcSim) << "reconnect failed:" << e.what();
        m_retryAtMs = nowMs + kRetryMs;
    }
}

} // namespace fd::sim
