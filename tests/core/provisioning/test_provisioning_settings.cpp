// The commissioning policy kept in the settings: defaults, round trip, bounds.
#include "core/provisioning/provisioning_settings.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

class TestProvisioningSettings : public QObject
{
    Q_OBJECT
private slots:
    void defaultsRoundTripAndBounds()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        ProvisioningPolicy p = ProvisioningSettings(settings).policy();
        QVERIFY(!p.allowUnknown);         // strict by default
        QVERIFY(!p.autoApproveListed);    // a technician decides by default
        QCOMPARE(p.certDays, ProvisioningPolicy{}.certDays);
        p.allowUnknown = true;
        p.autoApproveListed = true;
        p.certDays = 90;
        ProvisioningSettings(settings).setPolicy(p);
        const ProvisioningPolicy back = ProvisioningSettings(settings).policy();
        QVERIFY(back.allowUnknown);
        QVERIFY(back.autoApproveListed);
        QCOMPARE(back.certDays, 90);
        QCOMPARE(back.requestTtlMs, ProvisioningPolicy{}.requestTtlMs);  // protocol timing is not a setting
        settings.setValue(QStringLiteral("provisioning/certDays"), 100000);
        QCOMPARE(ProvisioningSettings(settings).policy().certDays, ProvisioningSettings::kMaxCertDays);
        settings.setValue(QStringLiteral("provisioning/certDays"), QStringLiteral("soon"));
        QCOMPARE(ProvisioningSettings(settings).policy().certDays, ProvisioningPolicy{}.certDays);
    }
};

QTEST_GUILESS_MAIN(TestProvisioningSettings)
#include "test_provisioning_settings.moc"
