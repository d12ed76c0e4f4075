#include "models/message_rate.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

namespace fd {

QString formatRateNumber(double messagesPerSecond)
{
    if (std::isnan(messagesPerSecond) || messagesPerSecond < 0)
        return QStringLiteral("\u2014");
    return QLocale().toString(messagesPerSecond, 'f', messagesPerSecond < 10 ? 1 : 0);
}

QString formatMessageRate(double messagesPerSecond)
{
    if (std::isnan(messagesPerSecond) || messagesPerSecond < 0)
        return QStringLiteral("\u2014");
    return QCoreApplication::translate("fd::MessageRate", "%1 msg/s").arg(formatRateNumber(messagesPerSecond));
}

} // namespace fd
