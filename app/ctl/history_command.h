#pragma once

#include <QStringList>

namespace fd {

// `fleetdeckctl history --db CACHE --device ID [--source NAME] --metric M [--from ISO]
// [--to ISO] [--resolution raw|1m|1h] --csv`: prints one series of the cache as CSV, so data
// can leave the cache without the GUI (HistoryCsv for the format). Exit codes: 0 printed
// (also when the range holds no point), 1 no such device / metric or an ambiguous id,
// 2 bad usage or an unreadable cache.
class HistoryCommand
{
public:
    static int run(const QStringList &arguments);
};

} // namespace fd
