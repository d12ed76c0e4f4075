#pragma once

#include <QString>

namespace fd::test {

// PRAGMA integrity_check of an SQLite file on a connection of its own (which, like any
// reader, recovers the WAL a killed writer left behind). Empty when it answers "ok", else
// what it reported (or why the file did not open).
QString integrityProblems(const QString &path);

} // namespace fd::test
