#pragma once

#include "core/transport/connection_state.h"

#include <QStatusBar>

class QLabel;

namespace fd {

class StatusBadge;

// Status bar of the main window: "Last known state as of <time>" while only cached data is
// shown, online / offline / total devices, messages per second and the broker state.
class FleetStatusBar : public QStatusBar
{
    Q_OBJECT
public:
    explicit FleetStatusBar(QWidget *parent = nullptr);

    // Shows "Last known state as of <time>" until liveDataArrived(). 0: hides it.
    void setCacheAsOf(qint64 msSinceEpoch);
    void liveDataArrived();
    bool isShowingCachedState() const;

    void setCounts(int total, int online);
    void setMessagesPerSecond(double rate);
    void setConnectionState(fd::ConnectionState state, const QString &detail);
    void setStorageError(const QString &message);

    QString connectionText() const;
    QString countsText() const;
    QString cacheText() const;

private:
    QLabel *m_cache;
    QLabel *m_storage;
    QLabel *m_counts;
    QLabel *m_rate;
    StatusBadge *m_broker;
};

} // namespace fd
