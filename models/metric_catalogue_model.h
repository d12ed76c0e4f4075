#pragma once

#include "core/domain/metric_info.h"

#include <QAbstractTableModel>
#include <QList>

namespace fd {

// The metric catalogue as an editable table for Settings > Metric Catalogue: one row per
// metric (wire name, display name, unit, precision, scale, expected min and max) and a
// read-only example of a value as it will be shown. Every cell is edited as text and checked
// (a unique non-empty name, precision "Auto" or 0-9, a finite scale other than 0, min below
// max); a refused edit keeps the old value and emits editRejected with the reason.
class MetricCatalogueModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        DisplayNameColumn,
        UnitColumn,
        PrecisionColumn,
        ScaleColumn,
        MinColumn,
        MaxColumn,
        ExampleColumn,
        ColumnCount
    };

    explicit MetricCatalogueModel(QObject *parent = nullptr);

    QList<MetricInfo> entries() const { return m_entries; }
    void setEntries(const QList<MetricInfo> &entries);

    // Appends a metric with a free name ("metric", "metric_2", ...); returns its row.
    int addMetric();
    void removeMetrics(QList<int> rows);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void editRejected(const QString &reason);

private:
    QString validate(int row, int column, const QString &text, MetricInfo *out) const;
    QString exampleText(const MetricInfo &m) const;

    QList<MetricInfo> m_entries;
};

} // namespace fd
