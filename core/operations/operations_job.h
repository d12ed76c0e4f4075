#pragma once

#include <QString>

#include <functional>

namespace fd {

class OperationsTransaction;

// One unit of work for the operations store: run() is called on the store's worker thread
// inside one transaction. Returning true commits it; returning false (with *error set)
// rolls it back and the job is reported failed. run() must not touch objects of other
// threads; capture values, not pointers to GUI objects.
struct OperationsJob
{
    QString name;  // what it does, for logs and failure messages ("record audit entry")
    std::function<bool(OperationsTransaction &transaction, QString *error)> run;
};

} // namespace fd
