// TelemetryPage's export to CSV and PNG (the rest of the page is in telemetry_page.cpp).
#include "ui/telemetry_page.h"

#include "core/telemetry/telemetry_csv_writer.h"
#include "widgets/telemetry_chart.h"

#include <QDateTime>
#include <QFileDialog>
#include <QImage>
#include <QMessageBox>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace fd {

bool TelemetryPage::exportCsv(const QString &path, QString *error)
{
    const qint64 from = fromMs();
    const qint64 to = toMs();
    QList<TelemetryCsvWriter::Series> series;
    QSet<SeriesKey> seen;
    for (const ChartEntry &e : std::as_const(m_charts)) {
        for (qsizetype i = 0; i < e.keys.size(); ++i) {
            const SeriesKey &k = e.keys.at(i);
            if (!e.chart->isSeriesVisible(e.ids.at(i)) || seen.contains(k))
                continue;
            seen.insert(k);
            series.append({seriesDeviceLabel(k.device), k.metric, m_data.value(k)->rows(from, to)});
        }
    }
    QSaveFile file(path);
    QString message;
    if (!file.open(QIODevice::WriteOnly)) {
        message = tr("Cannot write %1: %2").arg(path, file.errorString());
    } else if (TelemetryCsvWriter::write(&file, series, &message) < 0 || !file.commit()) {
        message = tr("Cannot write %1: %2").arg(path, message.isEmpty() ? file.errorString() : message);
    }
    if (error)
        *error = message;
    return message.isEmpty();
}

bool TelemetryPage::exportPng(const QString &path, QString *error)
{
    for (const ChartEntry &e : std::as_const(m_charts)) {
        e.chart->redrawNow();
        e.chart->updateStatsNow();
    }
    const QImage image = m_chartsWidget->grab().toImage();
    if (image.isNull() || !image.save(path, "PNG")) {
        if (error)
            *error = tr("Cannot write the image %1. Check that the folder exists and is writable.").arg(path);
        return false;
    }
    return true;
}

namespace {

// Asks where to save; the proposal is telemetry-<UTC time>.<suffix> in the given location.
QString askExportPath(QWidget *parent, const QString &title, QStandardPaths::StandardLocation location,
                      const QString &suffix, const QString &filter)
{
    const QString stamp = QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd-HHmmss"_s);
    const QString dir = QStandardPaths::writableLocation(location);
    return QFileDialog::getSaveFileName(parent, title, dir + u"/telemetry-"_s + stamp + u"."_s + suffix, filter);
}

} // namespace

void TelemetryPage::exportCsvInteractive()
{
    const QString path = askExportPath(this, tr("Export telemetry as CSV"), QStandardPaths::DocumentsLocation,
                                       u"csv"_s, tr("CSV files (*.csv)"));
    QString error;
    if (!path.isEmpty() && !exportCsv(path, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
}

void TelemetryPage::exportPngInteractive()
{
    const QString path = askExportPath(this, tr("Export charts as PNG"), QStandardPaths::PicturesLocation,
                                       u"png"_s, tr("PNG images (*.png)"));
    QString error;
    if (!path.isEmpty() && !exportPng(path, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
}

} // namespace fd
