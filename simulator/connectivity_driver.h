#pragma once

#include <QString>

#include <atomic>
#include <memory>

namespace fd::sim {

class DeviceConnection;

// Takes one device offline and back on request (flapping, site_down), the way a real device
// dropping off looks to FleetDeck: a retained {"online":false} on its status topic (what its
// Last Will would say), then a disconnect once that is acknowledged; later a fresh connect,
// which publishes the retained online status and subscribes to commands again
// (DeviceConnection's connected handler). Driven from the Qt thread by update().
class ConnectivityDriver
{
public:
    enum class Event { None, WentOffline, CameBack };

    static constexpr qint64 kOfflineAckTimeoutMs = 3000;  // disconnect even without the PUBACK
    static constexpr qint64 kRetryMs = 1000;              // after a failed reconnect

    explicit ConnectivityDriver(DeviceConnection &connection);

    // wantOnline: what the scenarios want at nowMs. Call every ~100 ms.
    Event update(bool wantOnline, qint64 nowMs);
    // Deliberately offline, or on the way there or back: publish nothing.
    bool holdsOffline() const { return m_state != State::Online; }

private:
    enum class State { Online, GoingOffline, Offline, Reconnecting };

    void reconnect(qint64 nowMs);

    DeviceConnection &m_connection;
    State m_state = State::Online;
    qint64 m_sinceMs = 0;
    qint64 m_retryAtMs = 0;
    // Result of the reconnect in flight, set on Paho's thread: 0 pending, 1 ok, -1 failed.
    std::shared_ptr<std::atomic<int>> m_attempt;
    std::shared_ptr<QString> m_failure;  // why it failed (written before m_attempt)
};

} // namespace fd::sim
