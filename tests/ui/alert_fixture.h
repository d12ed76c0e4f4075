#pragma once

// A real AlertService over a real OperationsStore in a temporary directory, with alerts
// raised the way the rule engine raises them (AlertEngine::transitions), for the UI tests
// of the triage page, the overview and the rule editor.
#include "core/alerts/alert_engine.h"
#include "core/alerts/alert_service.h"
#include "core/alerts/alert_transition.h"
#include "core/operations/operations_store.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace fd::test {

// Text as the English translation shows it: "1 alert(s)" -> "1 alert", "2 alert(s)" ->
// "2 alerts" (tests run without the translations the application loads).
inline QString plural(QString text)
{
    // Each "(s)" follows the count it belongs to: the nearest number before it.
    static const QRegularExpression number(QStringLiteral("\\d[\\d,]*"));
    for (qsizetype at = text.indexOf(QStringLiteral("(s)")); at >= 0; at = text.indexOf(QStringLiteral("(s)"), at)) {
        QString count;
        for (auto it = number.globalMatch(text.left(at)); it.hasNext();)
            count = it.next().captured();
        text.replace(at, 3, count == QStringLiteral("1") ? QString() : QStringLiteral("s"));
    }
    return text;
}

class AlertFixture
{
public:
    AlertFixture()
        : service(&store, QStringLiteral("tester"))
    {
        service.attachEngine(&engine);
    }

    // Opens the store and loads the (empty) rules and alerts.
    bool start()
    {
        if (!dir.isValid())
            return false;
        QSignalSpy loaded(&service, &AlertService::loaded);
        store.open(dir.filePath(QStringLiteral("cache.operations.sqlite")));
        service.start();
        if (!loaded.wait(10000) || !loaded.constFirst().at(0).toBool())
            return false;
        return true;
    }

    // Saves a rule and returns its id (0 on failure).
    qint64 addRule(const QString &name, AlertSeverity severity, const QString &metric = QStringLiteral("temperature"),
                   double threshold = 40)
    {
        AlertRule rule;
        rule.name = name;
        rule.severity = severity;
        rule.kind = AlertRuleKind::Above;
        rule.metric = metric;
        rule.threshold = threshold;
        rule.forMs = 10'000;
        if (!finish(service.saveRule(rule)))
            return 0;
        for (const AlertRule &r : service.rules()) {
            if (r.name == name)
                return r.id;
        }
        return 0;
    }

    // Waits for the actionFinished() of request; true if it succeeded.
    bool finish(quint64 request, QString *error = nullptr)
    {
        QSignalSpy finished(&service, &AlertService::actionFinished);
        for (int i = 0; i < 200; ++i) {
            for (const QList<QVariant> &args : std::as_const(finished)) {
                if (args.at(0).toULongLong() == request) {
                    if (error)
                        *error = args.at(2).toString();
                    return args.at(1).toBool();
                }
            }
            finished.wait(50);
        }
        return false;
    }

    // The rule engine raised an alert of rule on device (committed when this returns true).
    bool raise(qint64 ruleId, const QString &device, const QString &site = QStringLiteral("Lyon-Nord"),
               double value = 47.5, const QString &source = QStringLiteral("plant"))
    {
        AlertTransition t;
        t.kind = AlertTransition::Kind::Raise;
        t.ruleId = ruleId;
        t.device = DeviceKey(source, device);
        t.site = site;
        t.tsMs = QDateTime::currentMSecsSinceEpoch();
        t.value = QString::number(value);
        t.message = QStringLiteral("temperature %1 above 40 for 10 s").arg(value);
        const qsizetype before = service.openAlerts().size();
        QSignalSpy changed(&service, &AlertService::alertsChanged);
        emit engine.transitions({t});
        for (int i = 0; i < 100 && service.openAlerts().size() == before; ++i)
            changed.wait(50);
        return service.openAlerts().size() > before;
    }

    QTemporaryDir dir;
    OperationsStore store;
    AlertEngine engine;
    AlertService service;
};

} // namespace fd::test
