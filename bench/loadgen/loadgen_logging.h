#pragma once

#include <QLoggingCategory>

namespace fd::bench {
Q_DECLARE_LOGGING_CATEGORY(lcLoadgen)
}
