#pragma once

#include "core/domain/connection_state.h"

#include <QFrame>
#include <QList>
#include <QString>
#include <QTimer>

#include <functional>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace fd {

// The banner above the pages while one or more sources are not connected, one line per
// source (a summary line past kMaxLines):
//   "Not connected to lyon — last update 10:42:17 (3 min ago) — retrying in 12 s"
//   [the full failure reason, word-wrapped]                          [Retry] [Edit…]
// An intended disconnect says "Disconnected from lyon" and offers Connect instead of Retry.
// Hidden while every source is connected. The countdown ticks once a second while shown.
// Only shows what it is given (SourceStateController); text is plain text.
class SourceBanner : public QFrame
{
    Q_OBJECT
public:
    struct Entry
    {
        QString source;
        ConnectionState state = ConnectionState::Disconnected;
        qint64 lastUpdateMs = 0;  // the newest message heard from the source (0: none)
        qint64 nextRetryMs = 0;   // the scheduled reconnect (0: none)
        QString reason;           // the last failure, in full
    };
    static constexpr int kMaxLines = 3;

    explicit SourceBanner(QWidget *parent = nullptr);

    void setClock(std::function<qint64()> clock);
    // Every source that is not connected (empty: the banner hides).
    void setEntries(const QList<Entry> &entries);
    QList<Entry> entries() const { return m_entries; }

    // For tests and accessibility: the headline and reason shown for a source.
    QString headline(const QString &source) const;
    QString reasonText(const QString &source) const;
    QPushButton *actionButton(const QString &source) const;  // Retry or Connect
    QPushButton *editButton(const QString &source) const;
    QString summaryText() const;

signals:
    void retryRequested(const QString &source);
    void connectRequested(const QString &source);
    void editRequested(const QString &source);

protected:
    bool event(QEvent *event) override;

private:
    void applyColors();
    struct Line
    {
        QWidget *box = nullptr;
        QLabel *headline = nullptr;
        QLabel *reason = nullptr;
        QPushButton *action = nullptr;
        QPushButton *edit = nullptr;
        QString source;
    };
    void rebuild();
    void refreshTexts();
    QString headlineFor(const Entry &entry) const;
    const Line *lineOf(const QString &source) const;

    std::function<qint64()> m_clock;
    QList<Entry> m_entries;
    QList<Line> m_lines;
    QVBoxLayout *m_layout;
    QLabel *m_summary;
    QTimer m_tick;
};

} // namespace fd
