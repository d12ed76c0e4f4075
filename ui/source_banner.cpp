#include "ui/source_banner.h"

#include "widgets/warning_colors.h"

#include "models/connection_state_style.h"
#include "models/relative_time.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QEvent>
#include <QGuiApplication>
#include <QVBoxLayout>

namespace fd {

void SourceBanner::applyColors()
{
    // The application's palette: the widget's own is the style sheet's.
    const WarningColors c = warningColors(QGuiApplication::palette());
    const QString sheet = QStringLiteral("#SourceBanner { background: %1; border: 1px solid %2; } #SourceBanner QLabel { color: %3; }")
                              .arg(c.background.name(), c.border.name(), c.text.name());
    if (sheet != styleSheet())  // setting it changes the palette: no loop
        setStyleSheet(sheet);
}

bool SourceBanner::event(QEvent *event)
{
    const bool handled = QFrame::event(event);
    // View > Theme: QApplication::setPalette reaches a widget with a style sheet only as
    // ApplicationPaletteChange.
    if (event->type() == QEvent::ApplicationPaletteChange || event->type() == QEvent::PaletteChange)
        applyColors();
    return handled;
}

namespace {
QLabel *plainLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    return label;
}
} // namespace

SourceBanner::SourceBanner(QWidget *parent)
    : QFrame(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
    , m_layout(new QVBoxLayout(this))
    , m_summary(plainLabel(this))
{
    setObjectName(QStringLiteral("SourceBanner"));
    setAccessibleName(tr("Connection problems"));
    setFrameShape(QFrame::StyledPanel);
    applyColors();
    m_layout->setContentsMargins(10, 6, 10, 6);
    m_layout->setSpacing(6);
    m_layout->addWidget(m_summary);
    m_summary->hide();
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &SourceBanner::refreshTexts);
    hide();
}

void SourceBanner::setClock(std::function<qint64()> clock)
{
    m_clock = std::move(clock);
    refreshTexts();
}

void SourceBanner::setEntries(const QList<Entry> &entries)
{
    bool sameSources = entries.size() == m_entries.size();
    for (qsizetype i = 0; sameSources && i < entries.size(); ++i)
        sameSources = entries[i].source == m_entries[i].source
                      && (entries[i].state == ConnectionState::Disconnected)
                             == (m_entries[i].state == ConnectionState::Disconnected);
    m_entries = entries;
    if (!sameSources)
        rebuild();
    refreshTexts();
    setVisible(!m_entries.isEmpty());
    if (m_entries.isEmpty())
        m_tick.stop();
    else if (!m_tick.isActive())
        m_tick.start();
}

void SourceBanner::rebuild()
{
    for (const Line &line : std::as_const(m_lines)) {
        m_layout->removeWidget(line.box);
        delete line.box;
    }
    m_lines.clear();
    const qsizetype shown = m_entries.size() > kMaxLines + 1 ? kMaxLines : m_entries.size();
    for (qsizetype i = 0; i < shown; ++i) {
        const Entry &entry = m_entries[i];
        Line line;
        line.source = entry.source;
        line.box = new QWidget(this);
        auto *row = new QHBoxLayout(line.box);
        row->setContentsMargins(0, 0, 0, 0);
        auto *texts = new QVBoxLayout;
        texts->setSpacing(2);
        line.headline = plainLabel(line.box);
        QFont bold = line.headline->font();
        bold.setBold(true);
        line.headline->setFont(bold);
        line.reason = plainLabel(line.box);
        texts->addWidget(line.headline);
        texts->addWidget(line.reason);
        row->addLayout(texts, 1);
        const bool intended = entry.state == ConnectionState::Disconnected;
        line.action = new QPushButton(intended ? tr("Connect") : tr("Retry"), line.box);
        line.action->setToolTip(intended ? tr("Connect to %1 again").arg(entry.source)
                                         : tr("Try to reconnect to %1 now").arg(entry.source));
        line.edit = new QPushButton(tr("Edit…"), line.box);
        line.edit->setToolTip(tr("Open the connection settings of %1").arg(entry.source));
        row->addWidget(line.action, 0, Qt::AlignTop);
        row->addWidget(line.edit, 0, Qt::AlignTop);
        const QString source = entry.source;
        if (intended)
            connect(line.action, &QPushButton::clicked, this, [this, source] { emit connectRequested(source); });
        else
            connect(line.action, &QPushButton::clicked, this, [this, source] { emit retryRequested(source); });
        connect(line.edit, &QPushButton::clicked, this, [this, source] { emit editRequested(source); });
        m_layout->insertWidget(int(i), line.box);
        m_lines.append(line);
    }
    m_summary->setVisible(shown < m_entries.size());
}

QString SourceBanner::headlineFor(const Entry &entry) const
{
    const qint64 now = m_clock();
    QString text;
    switch (entry.state) {
    case ConnectionState::Disconnected: text = tr("Disconnected from %1").arg(entry.source); break;
    case ConnectionState::Connecting: text = tr("Connecting to %1").arg(entry.source); break;
    case ConnectionState::Failed: text = tr("Connection to %1 failed").arg(entry.source); break;
    case ConnectionState::Reconnecting:
    case ConnectionState::Connected: text = tr("Not connected to %1").arg(entry.source); break;
    }
    if (entry.lastUpdateMs > 0)
        text = tr("%1 — last update %2 (%3)")
                   .arg(text, QDateTime::fromMSecsSinceEpoch(entry.lastUpdateMs).toString(QStringLiteral("HH:mm:ss")),
                        formatRelativeTime(entry.lastUpdateMs, now));
    else
        text = tr("%1 — no update received").arg(text);
    if (entry.state == ConnectionState::Reconnecting && entry.nextRetryMs > 0) {
        const qint64 seconds = std::max<qint64>(0, (entry.nextRetryMs - now + 999) / 1000);
        text = seconds > 0 ? tr("%1 — retrying in %n s", nullptr, int(seconds)).arg(text)
                           : tr("%1 — retrying now").arg(text);
    } else if (entry.state == ConnectionState::Failed) {
        text = tr("%1 — not retrying").arg(text);
    }
    return text;
}

void SourceBanner::refreshTexts()
{
    for (const Line &line : std::as_const(m_lines)) {
        for (const Entry &entry : std::as_const(m_entries)) {
            if (entry.source != line.source)
                continue;
            const QString head = headlineFor(entry);
            line.headline->setText(head);
            line.reason->setText(entry.reason);
            line.reason->setVisible(!entry.reason.isEmpty());
            line.reason->setToolTip(plainTextToolTip(entry.reason));
            line.headline->setToolTip(plainTextToolTip(
                entry.reason.isEmpty() ? head : tr("%1\n%2").arg(head, entry.reason)));
            break;
        }
    }
    const qsizetype hidden = m_entries.size() - m_lines.size();
    if (hidden > 0) {
        QStringList names;
        for (qsizetype i = m_lines.size(); i < m_entries.size(); ++i)
            names.append(m_entries[i].source);
        m_summary->setText(tr("…and %n more source(s) not connected: %1 (File > Connections…)", nullptr, int(hidden))
                               .arg(names.join(QStringLiteral(", "))));
    }
}

const SourceBanner::Line *SourceBanner::lineOf(const QString &source) const
{
    for (const Line &line : m_lines)
        if (line.source == source)
            return &line;
    return nullptr;
}

QString SourceBanner::headline(const QString &source) const
{
    const Line *line = lineOf(source);
    return line ? line->headline->text() : QString();
}

QString SourceBanner::reasonText(const QString &source) const
{
    const Line *line = lineOf(source);
    return line ? line->reason->text() : QString();
}

QPushButton *SourceBanner::actionButton(const QString &source) const
{
    const Line *line = lineOf(source);
    return line ? line->action : nullptr;
}

QPushButton *SourceBanner::editButton(const QString &source) const
{
    const Line *line = lineOf(source);
    return line ? line->edit : nullptr;
}

QString SourceBanner::summaryText() const
{
    return m_summary->isHidden() ? QString() : m_summary->text();
}

} // namespace fd
