#pragma once

#include "core/domain/connection_state.h"

#include <QMap>
#include <QStatusBar>

class QHBoxLayout;
class QLabel;

namespace fd {

class StatusBadge;

// Status bar of the main window: "Last known state as of <time>" while only cached data is
// shown, online / offline / total devices, and one badge per connected source (broker):
// "● plant-a 1,204 msg/s", coloured by its state, the full detail / last error in its
// tooltip. Without any source: the overall rate and "Not connected".
class FleetStatusBar : public QStatusBar
{
    Q_OBJECT
public:
    explicit FleetStatusBar(QWidget *parent = nullptr);

    // Shows "Last known state as of <time>" until liveDataArrived(). 0: hides it.
    void setCacheAsOf(qint64 msSinceEpoch);
    void liveDataArrived();
    bool isShowingCachedState() const;

    // online: devices shown online (connected sources); unknown: devices of the sources in
    // unknownSources, which are not connected (neither online nor offline).
    void setCounts(int total, int online, int unknown = 0, const QStringList &unknownSources = {});
    void setMessagesPerSecond(double rate);
    // The aggregate over every source (shown while no source is connected).
    void setConnectionState(fd::ConnectionState state, const QString &detail);
    // One source's state; Disconnected removes its badge.
    void setSourceState(const QString &source, fd::ConnectionState state, const QString &detail);
    // Rate of a source that has a badge (others are ignored).
    void setSourceRate(const QString &source, double messagesPerSecond);
    void setStorageError(const QString &message);

    QString connectionText() const;
    QString countsText() const;
    QString cacheText() const;
    QStringList sourceNames() const;             // sources with a badge, sorted
    QString sourceText(const QString &source) const;
    QString sourceToolTip(const QString &source) const;
    fd::ConnectionState sourceState(const QString &source) const;  // Disconnected: no badge

protected:
    bool event(QEvent *event) override;

private:
    void applyColors();
    struct SourceBadge
    {
        StatusBadge *badge = nullptr;
        ConnectionState state = ConnectionState::Disconnected;
        QString detail;
        double rate = 0;
    };
    void updateSourceBadge(const QString &source, SourceBadge &entry);
    void updateAggregateVisibility();

    QLabel *m_cache;
    QLabel *m_storage;
    QLabel *m_counts;
    QLabel *m_rate;
    StatusBadge *m_broker;
    QWidget *m_sourceBox;
    QHBoxLayout *m_sourceLayout;
    QMap<QString, SourceBadge> m_sources;
};

} // namespace fd
