#pragma once

#include "core/domain/ingest_limits.h"
#include "core/domain/ingest_stats.h"

#include <QWidget>

class QGridLayout;
class QLabel;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace fd {

class RejectionModel;

// Diagnostics: ingest counters and the rejected messages by source (device or
// unattributed bucket) and reason, so an operator can see which device sends what garbage.
class DiagnosticsPage : public QWidget
{
    Q_OBJECT
public:
    explicit DiagnosticsPage(RejectionModel *rejections, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }

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
};

} // namespace fd
