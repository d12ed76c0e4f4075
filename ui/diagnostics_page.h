#pragma once

#include "core/domain/ingest_limits.h"
#include "core/domain/ingest_stats.h"

#include "core/domain/reject_reason.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QGridLayout;
class QLabel;
class QMessageBox;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace fd {

class RejectionModel;
class RejectSamplesDialog;

// Diagnostics: ingest counters and the rejected messages by source (device or
// unattributed bucket) and reason, so an operator can see which device sends what garbage.
class DiagnosticsPage : public QWidget
{
    Q_OBJECT
public:
    explicit DiagnosticsPage(RejectionModel *rejections, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    QPushButton *samplesButton() const { return m_samplesButton; }
    QPushButton *resetButton() const { return m_resetButton; }

    // The sidebar badge of a reject total: at most three digits, "999+" beyond; empty for 0.
    static QString badgeText(quint64 total);

    // Show Samples… (also a double-click on the table: the reason of the clicked column, else
    // every reason). Non-modal, one at a time; returned for tests.
    RejectSamplesDialog *showSamples(std::optional<fd::RejectReason> reason = std::nullopt);
    RejectSamplesDialog *samplesDialog() const;
    // Reset Counters…: asks (window-modal, returned); "Reset" emits resetRequested().
    QMessageBox *confirmReset();

signals:
    // The user confirmed Reset Counters: the owner resets the session's counters
    // (FleetSession::resetRejectCounters) and the model (RejectionModel::clear).
    void resetRequested();

public slots:
    void setStats(const fd::IngestStats &stats);
    // Shown under the counters, so "Device limit" / "Metric limit" rejects explain themselves.
    void setLimits(const fd::IngestLimits &limits);

private:
    void updateTotals();
    QLabel *addCounter(QGridLayout *grid, int column, const QString &caption);

    RejectionModel *m_rejections;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QLabel *m_received;
    QLabel *m_accepted;
    QLabel *m_rejected;
    QLabel *m_dropped;
    QLabel *m_rate;
    QLabel *m_lastMessage;
    QLabel *m_limits;
    QLabel *m_totals;
    QLabel *m_empty;
    QStackedWidget *m_stack;
    QPushButton *m_samplesButton;
    QPushButton *m_resetButton;
    QPointer<RejectSamplesDialog> m_samplesDialog;
};

} // namespace fd
