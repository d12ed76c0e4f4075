#include "ui/source_state_controller.h"

#include "core/ingest/fleet_session.h"
#include "models/device_inventory_model.h"
#include "ui/fleet_status_bar.h"
#include "ui/source_banner.h"

#include <QAction>

namespace fd {

SourceStateController::SourceStateController(FleetSession *session, DeviceInventoryModel *inventory,
                                             FleetStatusBar *statusBar, SourceBanner *banner, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_inventory(inventory)
    , m_statusBar(statusBar)
    , m_banner(banner)
{
    // A source FleetDeck has not connected to (yet) is not seen: its cached devices are Unknown.
    m_inventory->setDefaultSourceState(ConnectionState::Disconnected);
    for (const QString &source : session->sources()) {
        Info &info = m_sources[source];
        info.state = session->sourceState(source);
        info.detail = session->sourceDetail(source);
        info.nextRetryMs = session->sourceNextRetryMs(source);
        info.reason = session->sourceLastError(source);
        m_inventory->setSourceState(source, info.state);
    }
    connect(session, &FleetSession::sourceStateChanged, this, &SourceStateController::onSourceState);
    connect(session, &FleetSession::sourceRetryScheduled, this, &SourceStateController::onRetryScheduled);
    connect(inventory, &DeviceInventoryModel::countsChanged, this, &SourceStateController::updateCounts);
    connect(inventory, &QAbstractItemModel::modelReset, this, &SourceStateController::updateCounts);
    connect(banner, &SourceBanner::retryRequested, this, &SourceStateController::retry);
    connect(banner, &SourceBanner::connectRequested, this, &SourceStateController::connectAgain);
    connect(banner, &SourceBanner::editRequested, this, &SourceStateController::editRequested);
    m_bannerUpdate.setSingleShot(true);
    m_bannerUpdate.setInterval(250);
    connect(&m_bannerUpdate, &QTimer::timeout, this, &SourceStateController::updateBanner);
    updateCounts();
    updateBanner();
}

void SourceStateController::setReconnectAction(QAction *action)
{
    m_reconnect = action;
    if (action)
        connect(action, &QAction::triggered, this, &SourceStateController::reconnectAll);
    updateActions();
}

void SourceStateController::noteConnected(const ConnectionProfile &profile, const ConnectionSecrets &secrets)
{
    m_connections.insert(FleetSession::sourceNameFor(profile), Connection{profile, secrets});
}

void SourceStateController::onSourceState(const QString &source, ConnectionState state, const QString &detail)
{
    Info &info = m_sources[source];
    info.state = state;
    info.detail = detail;
    if (state != ConnectionState::Reconnecting)
        info.nextRetryMs = 0;
    if (state == ConnectionState::Connected || state == ConnectionState::Disconnected)
        info.reason.clear();
    else if (state == ConnectionState::Failed)
        info.reason = detail;
    m_inventory->setSourceState(source, state);
    updateCounts();
    updateBanner();
    updateActions();
}

void SourceStateController::onRetryScheduled(const QString &source, qint64 atMs, const QString &reason)
{
    Info &info = m_sources[source];
    info.nextRetryMs = atMs;
    info.reason = reason;
    m_bannerUpdate.start();
}

void SourceStateController::updateCounts()
{
    m_statusBar->setCounts(m_inventory->rowCount(), m_inventory->onlineCount(), m_inventory->unknownCount(),
                           m_inventory->unknownSources());
    // "Last update" of the listed sources, and sources only the cache knows.
    if (!m_bannerUpdate.isActive())
        m_bannerUpdate.start();
}

QStringList SourceStateController::notConnectedSources() const
{
    QStringList names;
    for (auto it = m_sources.cbegin(); it != m_sources.cend(); ++it)
        if (it->state != ConnectionState::Connected)
            names.append(it.key());
    for (const QString &source : m_inventory->unknownSources())
        if (!m_sources.contains(source))
            names.append(source);
    names.sort(Qt::CaseInsensitive);
    return names;
}

void SourceStateController::updateBanner()
{
    m_bannerUpdate.stop();
    QList<SourceBanner::Entry> entries;
    for (const QString &source : notConnectedSources()) {
        SourceBanner::Entry entry;
        entry.source = source;
        const Info info = m_sources.value(source);
        entry.state = info.state;
        entry.nextRetryMs = info.nextRetryMs;
        entry.reason = info.reason;
        entry.lastUpdateMs = m_inventory->sourceLastSeenMs(source);
        entries.append(entry);
    }
    m_banner->setEntries(entries);
}

void SourceStateController::updateActions()
{
    if (!m_reconnect)
        return;
    bool any = false;
    for (auto it = m_sources.cbegin(); it != m_sources.cend() && !any; ++it)
        any = it->state == ConnectionState::Reconnecting || it->state == ConnectionState::Failed
              || (it->state == ConnectionState::Disconnected && m_connections.contains(it.key()));
    m_reconnect->setEnabled(any);
}

void SourceStateController::retry(const QString &source)
{
    const ConnectionState state = m_sources.value(source).state;
    if (state == ConnectionState::Reconnecting || state == ConnectionState::Failed)
        m_session->retrySource(source);
    else if (state == ConnectionState::Disconnected)
        connectAgain(source);
}

void SourceStateController::connectAgain(const QString &source)
{
    const auto it = m_connections.constFind(source);
    if (it != m_connections.cend())
        emit connectRequested(it->profile, it->secrets);
    else
        emit savedConnectRequested(source);
}

void SourceStateController::reconnectAll()
{
    const QMap<QString, Info> sources = m_sources;
    for (auto it = sources.cbegin(); it != sources.cend(); ++it) {
        if (it->state == ConnectionState::Reconnecting || it->state == ConnectionState::Failed)
            m_session->retrySource(it.key());
        else if (it->state == ConnectionState::Disconnected && m_connections.contains(it.key()))
            connectAgain(it.key());
    }
}

} // namespace fd
