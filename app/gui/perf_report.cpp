#include "app/gui/perf_report.h"

#include "core/platform/process_clock.h"

#include <QCoreApplication>
#include <QEvent>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMainWindow>
#include <QTimer>

Q_LOGGING_CATEGORY(lcPerf, "fleetdeck.perf")

namespace fd {

PerfReport::PerfReport(const QString &path, bool quitAfterFirstPaint, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_quitAfterFirstPaint(quitAfterFirstPaint)
    , m_probe(this)
{
    // Application-wide until the first paint event of any widget, then removed.
    QCoreApplication::instance()->installEventFilter(this);
}

PerfReport::~PerfReport()
{
    if (!m_sawPaint && QCoreApplication::instance())
        QCoreApplication::instance()->removeEventFilter(this);
}

bool PerfReport::eventFilter(QObject *watched, QEvent *event)
{
    // The console window's first paint (not a progress dialog shown while the cache opens).
    const auto *widget = qobject_cast<const QWidget *>(watched);
    if (!m_sawPaint && event->type() == QEvent::Paint && widget
        && qobject_cast<const QMainWindow *>(widget->window())) {
        m_sawPaint = true;
        QCoreApplication::instance()->removeEventFilter(this);
        // The frame is done when control is back in the event loop, after every widget of
        // this update has painted and the backing store was flushed.
        QTimer::singleShot(0, this, &PerfReport::firstFrameDone);
    }
    return QObject::eventFilter(watched, event);
}

void PerfReport::firstFrameDone()
{
    m_firstPaintMs = ProcessClock::msSinceProcessStart();
    qCInfo(lcPerf) << "first paint after" << m_firstPaintMs << "ms";
    if (m_quitAfterFirstPaint) {
        QCoreApplication::quit();
        return;
    }
    m_probe.start();
}

bool PerfReport::write(QString *error) const
{
    const EventLoopLatenessProbe::Stats lateness = m_probe.stats();
    QJsonObject late;
    late.insert(QStringLiteral("p50"), lateness.p50Ms);
    late.insert(QStringLiteral("p99"), lateness.p99Ms);
    late.insert(QStringLiteral("max"), lateness.maxMs);
    late.insert(QStringLiteral("max_at_ms"), lateness.maxAtMs);
    late.insert(QStringLiteral("samples"), double(lateness.samples));
    QJsonObject ingest;
    ingest.insert(QStringLiteral("received"), double(m_stats.received));
    ingest.insert(QStringLiteral("accepted"), double(m_stats.accepted));
    ingest.insert(QStringLiteral("rejected"), double(m_stats.rejected));
    ingest.insert(QStringLiteral("gaps"), double(m_stats.gaps));
    QJsonObject o;
    o.insert(QStringLiteral("first_paint_ms"), m_firstPaintMs >= 0 ? QJsonValue(double(m_firstPaintMs)) : QJsonValue());
    o.insert(QStringLiteral("lateness_ms"), late);
    o.insert(QStringLiteral("ingest"), ingest);
    QFile file(m_path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || file.write(QJsonDocument(o).toJson(QJsonDocument::Indented)) < 0 || !file.flush()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace fd
