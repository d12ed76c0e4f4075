#include "core/alerts/alert_runtime.h"

#include "core/alerts/alert_engine.h"
#include "core/alerts/alert_service.h"
#include "core/ingest/fleet_session.h"

#include <QCoreApplication>

namespace fd {

AlertRuntime::AlertRuntime(FleetSession *session, OperationsStore *store, const QString &actor, QObject *parent)
    : QObject(parent)
    , m_service(new AlertService(store, actor, this))
{
    auto *engine = new AlertEngine;  // owned by the session's pipeline from here on
    session->addConsumer(engine);
    m_service->attachEngine(engine);
    connect(engine, &AlertEngine::transitions, this, [this](const QList<AlertTransition> &transitions) {
        for (const AlertTransition &t : transitions) {
            if (t.kind == AlertTransition::Kind::Raise)
                ++m_raised;
            else if (t.kind == AlertTransition::Kind::Clear)
                ++m_cleared;
        }
    });
    connect(session, &FleetSession::sourceStateChanged, m_service,
            [this](const QString &source, ConnectionState state, const QString &) {
                m_service->setSourceState(source, state);
            });
}

AlertRuntime::~AlertRuntime() = default;

void AlertRuntime::start()
{
    m_service->start();
}

bool AlertRuntime::finish(int timeoutMs)
{
    // The engine's last signals were queued to this thread during the session's shutdown.
    QCoreApplication::sendPostedEvents();
    return m_service->flush(timeoutMs);
}

} // namespace fd
