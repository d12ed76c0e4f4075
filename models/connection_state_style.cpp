#include "models/connection_state_style.h"

#include "core/domain/plain_text.h"

#include <QCoreApplication>

namespace fd {

QString connectionStateLabel(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Disconnected: return QCoreApplication::translate("fd::ConnectionState", "Not connected");
    case ConnectionState::Connecting: return QCoreApplication::translate("fd::ConnectionState", "Connecting");
    case ConnectionState::Connected: return QCoreApplication::translate("fd::ConnectionState", "Connected");
    case ConnectionState::Reconnecting: return QCoreApplication::translate("fd::ConnectionState", "Reconnecting");
    case ConnectionState::Failed: return QCoreApplication::translate("fd::ConnectionState", "Connection failed");
    }
    return connectionStateKey(state);
}

QColor connectionStateColor(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Connected: return QColor(0x2e, 0x9d, 0x4f);
    case ConnectionState::Connecting:
    case ConnectionState::Reconnecting: return QColor(0xe0, 0x9b, 0x1a);
    case ConnectionState::Failed: return QColor(0xc0, 0x39, 0x2b);
    case ConnectionState::Disconnected: break;
    }
    return QColor(0x8a, 0x8f, 0x98);
}

QString plainTextToolTip(const QString &text)
{
    return plainTextAsRichText(text);
}

} // namespace fd
