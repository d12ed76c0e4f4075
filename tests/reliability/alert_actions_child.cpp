// Helper of test_crash_alert_actions: the real alert path of the GUI's Alerts page, in a
// process the test kills with SIGKILL. Opens the operations store given as the first argument
// and an AlertService on it, makes sure the rule "crash-temperature" exists (importRules, as
// `fleetdeckctl rules import` or the rules dialog), keeps a few alerts open by feeding the
// service raise / clear transitions (applyExternalTransitions: what the rule engine hands it)
// and acts on the open alerts for ever like an operator: acknowledge, assign, snooze, note,
// resolve, a few actions in flight at a time.
//
// stdout, one line per event, tab-separated, flushed:
//   S <n> <kind> <alert id> <detail>   an action handed to the service (request n)
//   C <n> <kind> <alert id> <detail>   the service confirmed it (actionFinished ok: what the
//                                       UI shows as done)
// kind is the timeline's event kind (acknowledged, assigned, snoozed, note, resolved) and
// detail the timeline's detail of that event (empty for acknowledged). The second argument,
// the run number, makes every detail unique over the runs on one file.

#include "core/alerts/alert_actions.h"
#include "core/alerts/alert_service.h"
#include "core/alerts/alert_transition.h"
#include "core/operations/operations_store.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QRandomGenerator>
#include <QSet>
#include <QString>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

constexpr int kInFlight = 3;
constexpr int kOpenTarget = 8;  // alerts kept open
constexpr int kDevices = 40;
const QString kRuleName = u"crash-temperature"_s;
const QString kSource = u"crash"_s;
constexpr qint64 kSnoozeBaseMs = 4102444800000LL;  // 2100-01-01: every snooze's end is unique

struct Request
{
    QString kind;
    qint64 alertId = 0;
    QString detail;
};

class Operator : public QObject
{
public:
    Operator(fd::AlertService *service, int run, quint64 seed)
        : m_service(service)
        , m_run(run)
        , m_rng(seed)
    {
        connect(service, &fd::AlertService::actionFinished, this, &Operator::onFinished);
        connect(service, &fd::AlertService::storageError, this, [](const QString &message) {
            std::fprintf(stderr, "storage error: %s\n", qPrintable(message));
            QCoreApplication::exit(5);
        });
    }

    void go()
    {
        keepAlertsOpen();
        for (int i = 0; i < kInFlight; ++i)
            submitOne();
    }

private:
    qint64 ruleId() const
    {
        for (const fd::AlertRule &r : m_service->rules())
            if (r.name == kRuleName)
                return r.id;
        return 0;
    }

    // Raises alerts on devices without an open one until kOpenTarget are open, and now and
    // then clears or re-raises an open one (cleared and reopened alerts take actions too).
    void keepAlertsOpen()
    {
        const qint64 rule = ruleId();
        QSet<QString> busy;
        const QList<fd::Alert> open = m_service->openAlerts();
        for (const fd::Alert &a : open)
            busy.insert(a.device.path);
        QList<fd::AlertTransition> transitions;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        int missing = kOpenTarget - int(open.size()) - m_raising;
        for (int i = 0; i < kDevices && missing > 0; ++i) {
            const QString path = u"dev-%1"_s.arg((m_nextDevice + i) % kDevices, 2, 10, QLatin1Char('0'));
            if (busy.contains(path))
                continue;
            transitions.append(transition(fd::AlertTransition::Kind::Raise, rule, path, now));
            busy.insert(path);
            --missing;
            ++m_raising;
        }
        m_nextDevice = (m_nextDevice + 7) % kDevices;
        if (!open.isEmpty() && m_rng.bounded(3) == 0) {
            const fd::Alert &a = open.at(int(m_rng.bounded(int(open.size()))));
            transitions.append(transition(a.isActive() ? fd::AlertTransition::Kind::Clear
                                                       : fd::AlertTransition::Kind::Raise,
                                          rule, a.device.path, now));
        }
        if (transitions.isEmpty())
            return;
        // alertsChanged() follows the commit: the raised ones are open then.
        m_service->applyExternalTransitions(transitions);
    }

    fd::AlertTransition transition(fd::AlertTransition::Kind kind, qint64 rule, const QString &path, qint64 now)
    {
        fd::AlertTransition t;
        t.kind = kind;
        t.ruleId = rule;
        t.device = fd::DeviceKey(kSource, path);
        t.site = u"crash-site"_s;
        t.tsMs = now;
        t.value = QString::number(kind == fd::AlertTransition::Kind::Clear ? 20 : 60 + int(m_rng.bounded(20)));
        t.message = kind == fd::AlertTransition::Kind::Clear ? u"temperature back below 40"_s
                                                             : u"temperature above 50"_s;
        return t;
    }

    void submitOne()
    {
        QList<fd::Alert> candidates;
        for (const fd::Alert &a : m_service->openAlerts()) {
            if (!m_acting.contains(a.id))
                candidates.append(a);
        }
        if (candidates.isEmpty()) {
            // Wait for the raised alerts (alertsChanged) before acting again.
            ++m_waiting;
            if (m_waiting == 1)
                QTimer::singleShot(10, this, [this] { retryWaiting(); });
            return;
        }
        const fd::Alert a = candidates.at(int(m_rng.bounded(int(candidates.size()))));
        const int n = m_next++;
        const QString token = u"r%1-%2"_s.arg(m_run).arg(n);
        Request r;
        r.alertId = a.id;
        quint64 request = 0;
        const int choice = int(m_rng.bounded(100));
        if (choice < 25 && !a.isAcknowledged()) {
            r.kind = fd::AlertActions::eventKind(fd::AlertActions::Kind::Acknowledge);
            request = m_service->acknowledge({a.id});
        } else if (choice < 45) {
            r.kind = fd::AlertActions::eventKind(fd::AlertActions::Kind::Assign);
            r.detail = u"op-"_s + token;
            request = m_service->assign({a.id}, r.detail);
        } else if (choice < 60) {
            r.kind = fd::AlertActions::eventKind(fd::AlertActions::Kind::Snooze);
            const qint64 until = kSnoozeBaseMs + (qint64(m_run) * 1000000 + n) * 1000;
            r.detail = fd::AlertActions::tr("until %1")
                           .arg(QDateTime::fromMSecsSinceEpoch(until, Qt::UTC).toString(Qt::ISODate));
            request = m_service->snooze({a.id}, until);
        } else if (choice < 85) {
            r.kind = fd::AlertActions::eventKind(fd::AlertActions::Kind::Note);
            r.detail = u"note "_s + token;
            request = m_service->addNote(a.id, r.detail);
        } else {
            r.kind = fd::AlertActions::eventKind(fd::AlertActions::Kind::Resolve);
            r.detail = u"fixed "_s + token;
            request = m_service->resolve({a.id}, r.detail);
        }
        m_acting.insert(a.id);
        m_requests.insert(request, r);
        print('S', request, r);
    }

    void retryWaiting()
    {
        const int waiting = m_waiting;
        m_waiting = 0;
        keepAlertsOpen();
        for (int i = 0; i < waiting; ++i)
            submitOne();
    }

    void onFinished(quint64 request, bool ok, const QString &error)
    {
        const auto it = m_requests.find(request);
        if (it == m_requests.end())
            return;
        const Request r = it.value();
        m_requests.erase(it);
        m_acting.remove(r.alertId);
        if (!ok) {
            std::fprintf(stderr, "action %llu (%s on %lld) failed: %s\n", static_cast<unsigned long long>(request),
                         qPrintable(r.kind), static_cast<long long>(r.alertId), qPrintable(error));
            QCoreApplication::exit(4);
            return;
        }
        print('C', request, r);
        m_raising = 0;  // the raises submitted before this commit are committed too (one queue)
        keepAlertsOpen();
        submitOne();
    }

    static void print(char what, quint64 request, const Request &r)
    {
        std::printf("%c\t%llu\t%s\t%lld\t%s\n", what, static_cast<unsigned long long>(request), qPrintable(r.kind),
                    static_cast<long long>(r.alertId), qPrintable(r.detail));
        std::fflush(stdout);
    }

    fd::AlertService *m_service;
    int m_run;
    QRandomGenerator m_rng;
    QHash<quint64, Request> m_requests;
    QSet<qint64> m_acting;  // alerts with an action in flight: one at a time each
    int m_next = 0;
    int m_nextDevice = 0;
    int m_raising = 0;
    int m_waiting = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: alert_actions_child STORE RUN\n");
        return 2;
    }
    const int run = QString::fromLocal8Bit(argv[2]).toInt();
    fd::OperationsStore store;
    fd::AlertService service(&store, u"crash-operator"_s);
    Operator op(&service, run, quint64(run) * 7919 + 1);

    QObject::connect(&store, &fd::OperationsStore::opened, &app, [&](const fd::Database::OpenResult &result) {
        if (!result.ok()) {
            std::fprintf(stderr, "%s\n", qPrintable(result.message));
            QCoreApplication::exit(1);
            return;
        }
        service.start();
    });
    bool importing = false;
    QObject::connect(&service, &fd::AlertService::loaded, &app, [&](bool ok, const QString &error) {
        if (!ok) {
            std::fprintf(stderr, "alerts not loaded: %s\n", qPrintable(error));
            QCoreApplication::exit(1);
            return;
        }
        for (const fd::AlertRule &r : service.rules()) {
            if (r.name == kRuleName) {
                std::fprintf(stderr, "alerts loaded: %lld open\n", static_cast<long long>(service.openAlerts().size()));
                op.go();
                return;
            }
        }
        fd::AlertRule rule;
        rule.name = kRuleName;
        rule.kind = fd::AlertRuleKind::Above;
        rule.metric = u"temperature"_s;
        rule.threshold = 50;
        rule.clearThreshold = 40;
        importing = true;
        service.importRules({rule});
    });
    QObject::connect(&service, &fd::AlertService::actionFinished, &app, [&](quint64, bool ok, const QString &error) {
        if (!importing)
            return;
        importing = false;
        if (!ok) {
            std::fprintf(stderr, "rule not imported: %s\n", qPrintable(error));
            QCoreApplication::exit(1);
            return;
        }
        std::fprintf(stderr, "alerts loaded: rule imported\n");
        op.go();
    });
    store.open(QString::fromLocal8Bit(argv[1]));
    return app.exec();
}
