#include "tests/reliability/reliability_report.h"

#include "tests/reliability/reliability_config.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>

#include <cstdio>

namespace fd::test {

void ReliabilityReport::write(const QString &test, const QJsonObject &figures)
{
    const QByteArray compact = QJsonDocument(figures).toJson(QJsonDocument::Compact);
    std::printf("FIGURES %s %s\n", qPrintable(test), compact.constData());
    std::fflush(stdout);
    const QString path = qEnvironmentVariable("FLEETDECK_RELIABILITY_REPORT");
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        std::fprintf(stderr, "cannot append to %s: %s\n", qPrintable(path), qPrintable(file.errorString()));
        return;
    }
    const QJsonObject line{{QStringLiteral("test"), test},
                           {QStringLiteral("torture"), ReliabilityConfig::torture()},
                           {QStringLiteral("seed"), QString::number(ReliabilityConfig::seed())},
                           {QStringLiteral("at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
                           {QStringLiteral("figures"), figures}};
    file.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
}

} // namespace fd::test
