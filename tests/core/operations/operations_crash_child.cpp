// Helper of test_operations_crash: opens the operations store given as the only argument
// and records operator actions for ever, keeping a few in flight. Prints the id of each
// action on its own line (flushed) once committed() reported it; the test kills it with
// SIGKILL and checks that every printed id is in the file.

#include "core/operations/operations_store.h"

#include <QCoreApplication>
#include <QString>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {
constexpr int kInFlight = 4;
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: operations_crash_child STORE\n");
        return 2;
    }
    fd::OperationsStore store;
    int sequence = 0;
    auto submitOne = [&] {
        fd::OperatorAction action;
        action.actor = u"crash-test"_s;
        action.kind = u"device.command"_s;
        action.source = u"broker"_s;
        action.devicePath = u"dev-%1"_s.arg(sequence % 10);
        action.payloadJson = u"{\"sequence\":%1}"_s.arg(sequence++);
        QString error;
        if (store.recordAction(action, &error) == 0) {
            std::fprintf(stderr, "refused: %s\n", qPrintable(error));
            QCoreApplication::exit(3);
        }
    };
    QObject::connect(&store, &fd::OperationsStore::opened, &app, [&](const fd::Database::OpenResult &result) {
        if (!result.ok()) {
            std::fprintf(stderr, "%s\n", qPrintable(result.message));
            QCoreApplication::exit(1);
            return;
        }
        for (int i = 0; i < kInFlight; ++i)
            submitOne();
    });
    QObject::connect(&store, &fd::OperationsStore::committed, &app, [&](quint64, qint64 actionId) {
        std::printf("%lld\n", static_cast<long long>(actionId));
        std::fflush(stdout);
        submitOne();
    });
    QObject::connect(&store, &fd::OperationsStore::failed, &app, [&](quint64, const QString &reason) {
        std::fprintf(stderr, "failed: %s\n", qPrintable(reason));
        QCoreApplication::exit(4);
    });
    store.open(QString::fromLocal8Bit(argv[1]));
    return app.exec();
}
