#include "simulator/ota_failure_spec.h"

#include <QStringList>

#include <cmath>

namespace fd::sim {

namespace {

std::optional<OtaFailureSpec> fail(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return std::nullopt;
}

} // namespace

QString OtaFailureSpec::toString() const
{
    return QStringLiteral("download=%1,signature=%2,boot=%3,silent=%4")
        .arg(QString::number(download, 'g', 17), QString::number(signature, 'g', 17), QString::number(boot, 'g', 17),
             QString::number(silent, 'g', 17));
}

std::optional<OtaFailureSpec> OtaFailureSpec::parse(const QString &text, QString *error)
{
    static const QStringList kKeys{QStringLiteral("download"), QStringLiteral("signature"), QStringLiteral("boot"),
                                   QStringLiteral("silent")};
    if (text.size() > 1024)
        return fail(error, QStringLiteral("is too long"));
    if (text.trimmed().isEmpty())
        return fail(error, QStringLiteral("is empty (expected e.g. download=0.1,boot=0.05)"));
    OtaFailureSpec spec;
    QStringList seen;
    for (const QString &rawPart : text.split(u',')) {
        const QString part = rawPart.trimmed();
        if (part.isEmpty())
            return fail(error, QStringLiteral("'%1': empty entry").arg(text));
        const qsizetype eq = part.indexOf(u'=');
        if (eq < 0)
            return fail(error, QStringLiteral("'%1': expected KIND=RATE").arg(part));
        const QString key = part.left(eq).trimmed();
        const QString value = part.mid(eq + 1).trimmed();
        if (!kKeys.contains(key)) {
            return fail(error, QStringLiteral("'%1': unknown failure kind '%2' (known: %3)")
                                   .arg(part, key, kKeys.join(QStringLiteral(", "))));
        }
        if (seen.contains(key))
            return fail(error, QStringLiteral("'%1' is given twice").arg(key));
        seen << key;
        bool ok = false;
        const double rate = value.toDouble(&ok);
        if (!ok || !std::isfinite(rate) || rate < 0 || rate > 1)
            return fail(error, QStringLiteral("%1 must be a fraction between 0 and 1 (got '%2')").arg(key, value));
        if (key == u"download")
            spec.download = rate;
        else if (key == u"signature")
            spec.signature = rate;
        else if (key == u"boot")
            spec.boot = rate;
        else
            spec.silent = rate;
    }
    return spec;
}

} // namespace fd::sim
