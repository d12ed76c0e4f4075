// The one rate format: locale grouping, one decimal below 10, an em dash when unknown.
#include "models/message_rate.h"

#include <QLocale>
#include <QTest>

#include <limits>

using namespace fd;

class TestMessageRate : public QObject
{
    Q_OBJECT
private slots:
    void formats()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QCOMPARE(formatMessageRate(1234.4), QStringLiteral("1,234 msg/s"));
        QCOMPARE(formatMessageRate(2.54), QStringLiteral("2.5 msg/s"));
        QCOMPARE(formatMessageRate(0), QStringLiteral("0.0 msg/s"));
        QCOMPARE(formatRateNumber(12.6), QStringLiteral("13"));
        QCOMPARE(formatMessageRate(-1), QStringLiteral("\u2014"));
        QCOMPARE(formatRateNumber(std::numeric_limits<double>::quiet_NaN()), QStringLiteral("\u2014"));
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        QCOMPARE(formatMessageRate(1234.4), QStringLiteral("1.234 msg/s"));
    }
};

QTEST_GUILESS_MAIN(TestMessageRate)
#include "test_message_rate.moc"
