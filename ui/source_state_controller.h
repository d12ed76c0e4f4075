#pragma once

#include "core/domain/connection_state.h"
#include "core/transport/connection_profile.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QAction;

namespace fd {

class DeviceInventoryModel;
class FleetSession;
class FleetStatusBar;
class SourceBanner;

// Keeps what the window shows about each source honest: feeds the session's source states
// to the inventory model (devices of a source that is not connected show as Unknown), the
// status bar's counts ("150 online · 50 unknown (source lyon not connected)"), the banner
// (SourceBanner: last update, next retry, the full reason, Retry / Connect / Edit) and the
// File > Reconnect action (enabled while some source is not connected). Retry asks the
// session to retry now; Connect (after an intended disconnect) reuses the profile the source
// was last connected with (connectRequested()) or asks for the saved profile of that name
// (savedConnectRequested()); Edit is editRequested().
class SourceStateController : public QObject
{
    Q_OBJECT
public:
    SourceStateController(FleetSession *session, DeviceInventoryModel *inventory, FleetStatusBar *statusBar,
                          SourceBanner *banner, QObject *parent = nullptr);

    void setReconnectAction(QAction *action);
    // The window connected a source with this profile (remembered for Connect).
    void noteConnected(const ConnectionProfile &profile, const ConnectionSecrets &secrets);

    // Sources not connected that the banner lists, in name order.
    QStringList notConnectedSources() const;

public slots:
    void retry(const QString &source);
    void connectAgain(const QString &source);
    // File > Reconnect: every source that is not connected, now.
    void reconnectAll();

signals:
    void connectRequested(const fd::ConnectionProfile &profile, const fd::ConnectionSecrets &secrets);
    void savedConnectRequested(const QString &source);
    void editRequested(const QString &source);

private:
    struct Info
    {
        ConnectionState state = ConnectionState::Disconnected;
        QString detail;
        qint64 nextRetryMs = 0;
        QString reason;
    };
    void onSourceState(const QString &source, fd::ConnectionState state, const QString &detail);
    void onRetryScheduled(const QString &source, qint64 atMs, const QString &reason);
    void updateCounts();
    void updateBanner();
    void updateActions();

    FleetSession *m_session;
    DeviceInventoryModel *m_inventory;
    FleetStatusBar *m_statusBar;
    SourceBanner *m_banner;
    QPointer<QAction> m_reconnect;
    QMap<QString, Info> m_sources;  // every source heard of this session
    struct Connection
    {
        ConnectionProfile profile;
        ConnectionSecrets secrets;
    };
    QHash<QString, Connection> m_connections;  // what each source was last connected with
    QTimer m_bannerUpdate;  // coalesces banner rebuilds (device updates move "last update")
};

} // namespace fd
