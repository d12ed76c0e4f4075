#pragma once

#include "core/operations/operations_job.h"

#include <QString>

namespace fd {

// Runs one job on the operations store beside a cache, as the writing commands (`keys`,
// `artifact`) do: creates the cache and the store when missing, opens the store, submits
// the job and waits (bounded) for its commit. Needs a QCoreApplication (event loop).
class OperationsJobRunner
{
public:
    static constexpr int kTimeoutMs = 60000;

    // True once committed, with the job's result id in *resultId (optional); false with the
    // reason (the job's own refusal, or why the store cannot be opened).
    static bool run(const QString &cachePath, OperationsJob job, qint64 *resultId, QString *error);
    // The operator's name for the audit log (the OS user, or "fleetdeckctl").
    static QString actor();
};

} // namespace fd
