#pragma once

#include <QColor>
#include <QHash>
#include <QString>
#include <QWidget>

class QCheckBox;
class QLabel;
class QVBoxLayout;

namespace fd {

// The legend of a TelemetryChart: one row per series with a check box (colour swatch +
// label) that toggles the series, and a line of statistics underneath.
class TelemetryChartLegend : public QWidget
{
    Q_OBJECT
public:
    explicit TelemetryChartLegend(QWidget *parent = nullptr);

    void addRow(int id, const QString &label, const QColor &color);
    void removeRow(int id);
    void setChecked(int id, bool checked);
    void setToolTip(int id, const QString &text);  // plain text
    // stale: the text is shown in a warning colour.
    void setStatsText(int id, const QString &text, bool stale);

signals:
    void toggled(int id, bool checked);

private:
    struct Row
    {
        QWidget *widget = nullptr;
        QCheckBox *check = nullptr;
        QLabel *stats = nullptr;
    };
    QHash<int, Row> m_rows;
    QVBoxLayout *m_layout;
};

} // namespace fd
