#include "core/domain/sparkplug_host_id.h"

#include <QCoreApplication>

namespace fd {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("fd::SparkplugHostId", text);
}

bool fail(QString *why, const QString &reason)
{
    if (why)
        *why = reason;
    return false;
}
} // namespace

bool SparkplugHostId::isValid(const QString &id, QString *why)
{
    if (id.isEmpty())
        return fail(why, tr("it is empty"));
    if (id.size() > kMaxLength)
        return fail(why, tr("it is longer than %1 characters").arg(kMaxLength));
    for (const QChar c : id) {
        if (c == u'/' || c == u'+' || c == u'#')
            return fail(why, tr("it contains '%1' (not allowed in one MQTT topic level)").arg(c));
        if (c.category() == QChar::Other_Control)
            return fail(why, tr("it contains a control character (U+%1)")
                                 .arg(QString::number(c.unicode(), 16).toUpper().rightJustified(4, QLatin1Char('0'))));
    }
    if (!id.isValidUtf16())
        return fail(why, tr("it is not valid text (a broken surrogate pair)"));
    return true;
}

} // namespace fd
