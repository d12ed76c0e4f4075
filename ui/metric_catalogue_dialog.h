#pragma once

#include "core/domain/metric_info.h"

#include <QDialog>
#include <QList>

class QLabel;
class QTableView;

namespace fd {

class MetricCatalogueModel;

// Settings > Metric Catalogue: edits a copy of the catalogue (name, display name, unit,
// decimals, scale, expected range, with an example of a shown value); Import… and Export…
// read and write the JSON file (MetricCatalogueJson), Restore Defaults puts back the
// simulator's metrics. The caller applies entries() when the dialog is accepted.
class MetricCatalogueDialog : public QDialog
{
    Q_OBJECT
public:
    // reportedMetrics: the metric names devices report (offered by "Add Reported").
    explicit MetricCatalogueDialog(const QList<MetricInfo> &current, const QStringList &reportedMetrics = {},
                                   QWidget *parent = nullptr);

    QList<MetricInfo> entries() const;

    // Reads a catalogue file; on success the table shows it (not applied until OK). Returns
    // the error shown, empty on success. Used by Import… and by tests.
    QString importFile(const QString &path);
    QString exportFile(const QString &path) const;
    // "Add Reported": an entry (wire name only) for each metric devices report that the table
    // does not list yet; returns how many were added.
    int addReportedMetrics() { return addReported(); }

private:
    void showProblem(const QString &text);
    void addMetric();
    void removeSelected();
    // Adds an entry for every reported metric not in the table yet; returns how many.
    int addReported();
    QStringList missingReported() const;

    MetricCatalogueModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_problem = nullptr;
    QStringList m_reported;
};

} // namespace fd
