// Certificate expiry alerts: the pure evaluator (windows, scopes, the newest certificate
// decides, renewal clears, only changes reported) and the monitor on a real AlertService and
// operations store (raise, restart without a second raise, clear).
#include "core/alerts/alert_service.h"
#include "core/alerts/certificate_expiry_evaluator.h"
#include "core/alerts/certificate_expiry_monitor.h"
#include "core/alerts/certificate_holder_directory.h"
#include "core/operations/operations_store.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {

constexpr qint64 kDay = 24LL * 3600 * 1000;
constexpr qint64 kNow = 1'764'000'000'000;

AlertRule certificateRule(double days, AlertScope scope = AlertScope())
{
    AlertRule r;
    r.id = 7;
    r.name = QStringLiteral("Certificate expiring");
    r.severity = AlertSeverity::Warning;
    r.kind = AlertRuleKind::CertificateExpiring;
    r.threshold = days;
    r.scope = scope;
    return r;
}

CertificateDeadline deadline(const char *device, const char *serial, qint64 notAfter)
{
    return CertificateDeadline{QString::fromLatin1(device), QString::fromLatin1(serial), notAfter};
}

// dev-1 is on two brokers, dev-2 on one, dev-3 nowhere.
QList<CertificateHolder> holders(const QString &deviceId)
{
    if (deviceId == u"dev-1")
        return {CertificateHolder{DeviceKey(QStringLiteral("site-a"), deviceId), QStringLiteral("Lyon"), {}, {}},
                CertificateHolder{DeviceKey(QStringLiteral("site-b"), deviceId), QStringLiteral("Nice"), {}, {}}};
    if (deviceId == u"dev-2")
        return {CertificateHolder{DeviceKey(QStringLiteral("site-a"), deviceId), QStringLiteral("Lyon"), {}, {}}};
    return {};
}

} // namespace

class TestCertificateExpiryAlerts : public QObject
{
    Q_OBJECT
private slots:
    void ruleKindValidatesDays()
    {
        AlertRule r = certificateRule(30);
        QCOMPARE(r.validate(), QString());
        QVERIFY(!r.usesMetric());
        QVERIFY(!r.isTelemetryRule());
        QVERIFY(AlertRule::kindFromKey(u"certificate_expiring") == AlertRuleKind::CertificateExpiring);
        r.threshold = 0;
        QVERIFY(r.validate().contains(QStringLiteral("days")));
        r.threshold = AlertRule::kNone;
        QVERIFY(!r.validate().isEmpty());
    }

    void raisesInsideTheWindowOnEveryMatchingHolder()
    {
        CertificateExpiryEvaluator e;
        const QList<AlertRule> rules{certificateRule(30)};
        const QList<CertificateDeadline> certs{deadline("dev-1", "AA", kNow + 10 * kDay),
                                               deadline("dev-2", "BB", kNow + 35 * kDay),
                                               deadline("dev-3", "CC", kNow + 1 * kDay)};
        QList<AlertTransition> t = e.evaluate(rules, certs, holders, kNow);
        QCOMPARE(t.size(), 2);  // dev-1 on both brokers; dev-2 outside; dev-3 unknown
        for (const AlertTransition &x : t) {
            QCOMPARE(x.kind, AlertTransition::Kind::Raise);
            QCOMPARE(x.device.path, QStringLiteral("dev-1"));
            QCOMPARE(x.value, QStringLiteral("AA"));
            QVERIFY2(x.message.contains(QStringLiteral("expires in 10 day")), qPrintable(x.message));
        }
        // dev-3 (in no inventory yet) expires tomorrow: the next change to look at.
        QCOMPARE(e.nextChangeMs(), kNow + kDay);
        // Nothing changed: nothing reported.
        QVERIFY(e.evaluate(rules, certs, holders, kNow + kDay).isEmpty());
        // dev-2 enters the window in 5 days.
        t = e.evaluate(rules, certs, holders, kNow + 5 * kDay);
        QCOMPARE(t.size(), 1);
        QCOMPARE(t.first().device.path, QStringLiteral("dev-2"));
    }

    void expiryIsReportedAgainAndRenewalClears()
    {
        CertificateExpiryEvaluator e;
        const QList<AlertRule> rules{certificateRule(30)};
        QList<CertificateDeadline> certs{deadline("dev-2", "BB", kNow + 5 * kDay)};
        QCOMPARE(e.evaluate(rules, certs, holders, kNow).size(), 1);
        const QList<AlertTransition> expired = e.evaluate(rules, certs, holders, kNow + 6 * kDay);
        QCOMPARE(expired.size(), 1);
        QVERIFY2(expired.first().message.contains(QStringLiteral("expired")), qPrintable(expired.first().message));
        // A new certificate beside the old one: the newest decides, the alert clears.
        certs.append(deadline("dev-2", "DD", kNow + 400 * kDay));
        const QList<AlertTransition> renewed = e.evaluate(rules, certs, holders, kNow + 6 * kDay);
        QCOMPARE(renewed.size(), 1);
        QCOMPARE(renewed.first().kind, AlertTransition::Kind::Clear);
        QCOMPARE(e.firingCount(), 0);
    }

    void scopeDisabledAndRemovedRules()
    {
        CertificateExpiryEvaluator e;
        const QList<CertificateDeadline> certs{deadline("dev-1", "AA", kNow + kDay)};
        const AlertRule nice = certificateRule(30, AlertScope::of(AlertScope::Kind::Site, QStringLiteral("Nice")));
        QList<AlertTransition> t = e.evaluate({nice}, certs, holders, kNow);
        QCOMPARE(t.size(), 1);
        QCOMPARE(t.first().device.source, QStringLiteral("site-b"));
        AlertRule off = nice;
        off.enabled = false;
        t = e.evaluate({off}, certs, holders, kNow);
        QCOMPARE(t.size(), 1);
        QCOMPARE(t.first().kind, AlertTransition::Kind::Clear);
        // Telemetry rules are not this evaluator's.
        AlertRule above;
        above.id = 9;
        above.name = QStringLiteral("hot");
        above.metric = QStringLiteral("t");
        above.threshold = 1;
        QVERIFY(e.evaluate({above}, certs, holders, kNow).isEmpty());
    }

    void directoryFindsDevicesAndEdgeNodesByTheirId()
    {
        const auto device = [](const char *source, const char *path, const char *site) {
            Device d;
            d.source = QString::fromLatin1(source);
            d.path = QString::fromLatin1(path);
            d.id = d.path.section(QLatin1Char('/'), -1);
            d.site = QString::fromLatin1(site);
            return d;
        };
        CertificateHolderDirectory dir;
        QVERIFY(dir.update({device("a", "dev-1", "Lyon"), device("b", "dev-1", "Nice"),
                            device("a", "Plant/gw-01", "Plant"), device("a", "Plant/gw-01/boiler", "Plant")}));
        QCOMPARE(dir.holders(QStringLiteral("dev-1")).size(), 2);
        QCOMPARE(dir.holders(QStringLiteral("gw-01")).size(), 1);
        QVERIFY(dir.holders(QStringLiteral("boiler")).isEmpty());  // behind its gateway
        // Metric updates change nothing; a site change does.
        QVERIFY(!dir.update({device("a", "dev-1", "Lyon")}));
        QVERIFY(dir.update({device("a", "dev-1", "Paris")}));
        QCOMPARE(dir.holders(QStringLiteral("dev-1")).first().site, QStringLiteral("Paris"));
        QVERIFY(dir.remove({DeviceKey(QStringLiteral("b"), QStringLiteral("dev-1"))}));
        QCOMPARE(dir.holders(QStringLiteral("dev-1")).size(), 1);
        QVERIFY(!dir.remove({DeviceKey(QStringLiteral("b"), QStringLiteral("dev-1"))}));
    }

    void monitorRaisesOnceAcrossRestartsAndClears()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("ops.sqlite"));
        qint64 now = kNow;
        const auto run = [&](const QList<CertificateDeadline> &certs, bool addRule) {
            OperationsStore store;
            AlertService service(&store, QStringLiteral("alice"));
            QSignalSpy opened(&store, &OperationsStore::opened);
            store.open(path);
            QSignalSpy loaded(&service, &AlertService::loaded);
            service.start();
            if (!loaded.wait(10000))
                return QList<Alert>{};
            CertificateExpiryMonitor monitor(&service, holders);
            monitor.setClock([&now] { return now; });
            if (addRule) {
                QSignalSpy rules(&service, &AlertService::rulesChanged);
                AlertRule r = certificateRule(30);
                r.id = 0;
                service.saveRule(r);
                if (!rules.wait(5000))
                    return QList<Alert>{};
            }
            monitor.setDeadlines(certs);
            service.flush();
            QCoreApplication::sendPostedEvents();
            service.flush();
            return service.openAlerts();
        };
        const QList<CertificateDeadline> expiring{deadline("dev-2", "BB", kNow + 3 * kDay)};
        QList<Alert> open = run(expiring, true);
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.first().device, DeviceKey(QStringLiteral("site-a"), QStringLiteral("dev-2")));
        QCOMPARE(open.first().count, 1);
        QVERIFY(open.first().isActive());
        // Restart: the same alert, not a second one nor a reopen.
        now += kDay;
        open = run(expiring, false);
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.first().count, 1);
        // Rotated: cleared.
        open = run({deadline("dev-2", "BB", kNow + 3 * kDay), deadline("dev-2", "EE", kNow + 365 * kDay)}, false);
        QCOMPARE(open.size(), 1);
        QVERIFY(!open.first().isActive());
    }
};

QTEST_GUILESS_MAIN(TestCertificateExpiryAlerts)
#include "test_certificate_expiry_alerts.moc"
