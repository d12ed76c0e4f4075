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
    explicit MetricCatalogueDialog(const QList<MetricInfo> &current, QWidget *parent = nullptr);

    QList<MetricInfo> entries() const;

    // Reads a catalogue file; on success the table shows it (not applied until OK). Returns
    // the error shown, empty on success. Used by Import… and by tests.
    QString importFile(const QString &path);
    QString exportFile(const QString &path) const;

private:
    void showProblem(const QString &text);
    void addMetric();
    void removeSelected();

    MetricCatalogueModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_problem = nullptr;
};

} // namespace fd
