#pragma once

#include <QMetaType>
#include <QString>

namespace fd {

enum class ConnectionState {
    Disconnected,  // not asked to connect
    Connecting,    // first attempt under way
    Connected,
    Reconnecting,  // lost or failed; retrying with backoff
    Failed,        // will not retry (bad configuration, e.g. unreadable certificate)
};

QString connectionStateKey(ConnectionState state);  // "connected", ...

} // namespace fd

Q_DECLARE_METATYPE(fd::ConnectionState)
