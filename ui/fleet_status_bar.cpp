#include "ui/fleet_status_bar.h"

#include "models/relative_time.h"
#include "ui/connection_state_style.h"
#include "widgets/status_badge.h"

#include <QLabel>
#include <QLocale>

namespace fd {

namespace {
QLabel *plain(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setContentsMargins(6, 0, 6, 0);
    return label;
}
} // namespace

FleetStatusBar::FleetStatusBar(QWidget *parent)
    : QStatusBar(parent)
    , m_cache(plain(this))
    , m_storage(plain(this))
    , m_counts(plain(this))
    , m_rate(plain(this))
    , m_broker(new StatusBadge(this))
{
    setSizeGripEnabled(false);
    m_cache->setStyleSheet(QStringLiteral("QLabel { color: #8a5a00; background: #fff4d6; border-radius: 3px; padding: 1px 6px; }"));
    m_cache->hide();
    m_storage->setStyleSheet(QStringLiteral("QLabel { color: #c0392b; }"));
    m_storage->hide();
    addWidget(m_cache);
    addWidget(m_storage);
    addPermanentWidget(m_counts);
    addPermanentWidget(m_rate);
    addPermanentWidget(m_broker);
    m_broker->setContentsMargins(6, 0, 6, 0);
    m_broker->setMaximumWidth(560);
    setCounts(0, 0);
    setMessagesPerSecond(0);
    setConnectionState(ConnectionState::Disconnected, QString());
}

void FleetStatusBar::setCacheAsOf(qint64 msSinceEpoch)
{
    if (msSinceEpoch <= 0) {
        m_cache->hide();
        return;
    }
    m_cache->setText(tr("Last known state as of %1").arg(formatAbsoluteTime(msSinceEpoch)));
    m_cache->setToolTip(tr("Showing the inventory from the local cache. Live data replaces it as soon as a broker delivers updates."));
    m_cache->show();
}

void FleetStatusBar::liveDataArrived()
{
    m_cache->hide();
}

bool FleetStatusBar::isShowingCachedState() const
{
    return !m_cache->isHidden();
}

void FleetStatusBar::setCounts(int total, int online)
{
    const QLocale locale;
    m_counts->setText(tr("%1 online · %2 offline · %3 devices")
                          .arg(locale.toString(online), locale.toString(total - online), locale.toString(total)));
}

void FleetStatusBar::setMessagesPerSecond(double rate)
{
    m_rate->setText(tr("%1 msg/s").arg(QLocale().toString(rate, 'f', rate < 10 ? 1 : 0)));
}

void FleetStatusBar::setConnectionState(ConnectionState state, const QString &detail)
{
    const QString label = connectionStateLabel(state);
    QString text = label;
    if (detail.startsWith(label, Qt::CaseInsensitive))
        text = label + detail.mid(label.size());  // "Connected to mqtt://..." rather than twice
    else if (!detail.isEmpty())
        text = tr("%1 — %2").arg(label, detail);
    m_broker->setStatus(connectionStateColor(state), text);
    m_broker->setToolTip(tr("Broker connection: %1\n%2").arg(connectionStateKey(state), detail));
}

void FleetStatusBar::setStorageError(const QString &message)
{
    m_storage->setText(tr("Cache error: %1").arg(message));
    m_storage->setToolTip(message);
    m_storage->setVisible(!message.isEmpty());
}

QString FleetStatusBar::connectionText() const
{
    return m_broker->text();
}

QString FleetStatusBar::countsText() const
{
    return m_counts->text();
}

QString FleetStatusBar::cacheText() const
{
    return m_cache->isHidden() ? QString() : m_cache->text();
}

} // namespace fd
