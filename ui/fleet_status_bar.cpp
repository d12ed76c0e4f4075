#include "ui/fleet_status_bar.h"

#include "widgets/warning_colors.h"
#include "models/message_rate.h"

#include "models/relative_time.h"
#include "models/connection_state_style.h"
#include "widgets/status_badge.h"

#include <QHBoxLayout>
#include <QEvent>
#include <QGuiApplication>
#include <QLabel>
#include <QLocale>

namespace fd {

void FleetStatusBar::applyColors()
{
    // The application's palette: the widget's own is the style sheet's.
    const WarningColors c = warningColors(QGuiApplication::palette());
    const QString cache = QStringLiteral("QLabel { color: %1; background: %2; border-radius: 3px; padding: 1px 6px; }")
                              .arg(c.text.name(), c.background.name());
    const QString storage = QStringLiteral("QLabel { color: %1; }").arg(c.errorText.name());
    // Setting a style sheet changes the palette (and calls this again): only when different.
    if (cache != m_cache->styleSheet())
        m_cache->setStyleSheet(cache);
    if (storage != m_storage->styleSheet())
        m_storage->setStyleSheet(storage);
}

bool FleetStatusBar::event(QEvent *event)
{
    const bool handled = QStatusBar::event(event);
    // View > Theme: QApplication::setPalette reaches a widget with a style sheet only as
    // ApplicationPaletteChange.
    if (event->type() == QEvent::ApplicationPaletteChange || event->type() == QEvent::PaletteChange)
        applyColors();
    return handled;
}

namespace {
QLabel *plain(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setContentsMargins(6, 0, 6, 0);
    return label;
}

QString formatRate(double rate)
{
    return formatRateNumber(rate);  // the one rate format (models/message_rate.h)
}
} // namespace

FleetStatusBar::FleetStatusBar(QWidget *parent)
    : QStatusBar(parent)
    , m_cache(plain(this))
    , m_storage(plain(this))
    , m_counts(plain(this))
    , m_rate(plain(this))
    , m_broker(new StatusBadge(this))
    , m_sourceBox(new QWidget(this))
    , m_sourceLayout(new QHBoxLayout(m_sourceBox))
{
    setSizeGripEnabled(false);
    m_cache->hide();
    applyColors();
    m_storage->hide();
    addWidget(m_cache);
    addWidget(m_storage);
    addPermanentWidget(m_counts);
    addPermanentWidget(m_rate);
    addPermanentWidget(m_broker);
    m_sourceLayout->setContentsMargins(0, 0, 6, 0);
    m_sourceLayout->setSpacing(10);
    m_sourceBox->hide();
    addPermanentWidget(m_sourceBox);
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

void FleetStatusBar::setCounts(int total, int online, int unknown, const QStringList &unknownSources)
{
    const QLocale locale;
    const int offline = std::max(0, total - online - unknown);
    if (unknown <= 0) {
        m_counts->setText(tr("%1 online · %2 offline · %3 devices")
                              .arg(locale.toString(online), locale.toString(offline), locale.toString(total)));
        m_counts->setToolTip(QString());
        return;
    }
    QString why;
    if (unknownSources.size() == 1)
        why = tr("source %1 not connected").arg(unknownSources.constFirst());
    else if (unknownSources.size() <= 3)
        why = tr("sources %1 not connected").arg(unknownSources.join(QStringLiteral(", ")));
    else
        why = tr("%n source(s) not connected", nullptr, int(unknownSources.size()));
    m_counts->setText(tr("%1 online · %2 offline · %3 unknown (%4) · %5 devices")
                          .arg(locale.toString(online), locale.toString(offline), locale.toString(unknown), why,
                               locale.toString(total)));
    m_counts->setToolTip(plainTextToolTip(
        tr("Unknown: the devices of a source FleetDeck is not connected to. They keep their last reported "
           "status, but nobody can see them now.\nNot connected: %1").arg(unknownSources.join(QStringLiteral(", ")))));
}

void FleetStatusBar::setMessagesPerSecond(double rate)
{
    m_rate->setText(tr("%1 msg/s").arg(formatRate(rate)));
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
    m_broker->setToolTip(plainTextToolTip(tr("Broker connection: %1\n%2").arg(connectionStateKey(state), detail)));
}

void FleetStatusBar::setSourceState(const QString &source, ConnectionState state, const QString &detail)
{
    if (state == ConnectionState::Disconnected) {
        const auto it = m_sources.find(source);
        if (it != m_sources.end()) {
            m_sourceLayout->removeWidget(it->badge);
            delete it->badge;
            m_sources.erase(it);
        }
        updateAggregateVisibility();
        return;
    }
    SourceBadge &entry = m_sources[source];
    if (!entry.badge) {
        entry.badge = new StatusBadge(m_sourceBox);
        entry.badge->setMaximumWidth(320);
        // Keep the badges in name order, as the map is.
        const int index = int(std::distance(m_sources.begin(), m_sources.find(source)));
        m_sourceLayout->insertWidget(index, entry.badge);
    }
    if (entry.state != state)
        entry.rate = state == ConnectionState::Connected ? entry.rate : 0;
    entry.state = state;
    entry.detail = detail;
    updateSourceBadge(source, entry);
    updateAggregateVisibility();
}

void FleetStatusBar::setSourceRate(const QString &source, double messagesPerSecond)
{
    const auto it = m_sources.find(source);
    if (it == m_sources.end())
        return;
    it->rate = messagesPerSecond;
    updateSourceBadge(source, *it);
}

void FleetStatusBar::updateSourceBadge(const QString &source, SourceBadge &entry)
{
    const QString stateLabel = connectionStateLabel(entry.state);
    const QString text = entry.state == ConnectionState::Connected
        ? tr("%1  %2 msg/s").arg(source, formatRate(entry.rate))
        : tr("%1  %2").arg(source, stateLabel);
    entry.badge->setStatus(connectionStateColor(entry.state), text);
    QString tip = tr("Source: %1\nState: %2").arg(source, stateLabel);
    if (!entry.detail.isEmpty())
        tip += u'\n' + entry.detail;
    if (entry.state == ConnectionState::Connected)
        tip += u'\n' + tr("%1 messages per second").arg(formatRate(entry.rate));
    entry.badge->setToolTip(plainTextToolTip(tip));
}

void FleetStatusBar::updateAggregateVisibility()
{
    const bool perSource = !m_sources.isEmpty();
    m_sourceBox->setVisible(perSource);
    m_broker->setVisible(!perSource);
    m_rate->setVisible(!perSource);
}

QStringList FleetStatusBar::sourceNames() const
{
    return m_sources.keys();
}

QString FleetStatusBar::sourceText(const QString &source) const
{
    const auto it = m_sources.constFind(source);
    return it == m_sources.cend() ? QString() : it->badge->text();
}

QString FleetStatusBar::sourceToolTip(const QString &source) const
{
    const auto it = m_sources.constFind(source);
    return it == m_sources.cend() ? QString() : it->badge->toolTip();
}

ConnectionState FleetStatusBar::sourceState(const QString &source) const
{
    return m_sources.value(source).state;
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
