#include "core/provisioning/provisioning_settings.h"

#include <QSettings>

#include <algorithm>

namespace fd {

namespace {

const QString kAllowUnknown = QStringLiteral("provisioning/allowUnknown");
const QString kAutoApproveListed = QStringLiteral("provisioning/autoApproveListed");
const QString kCertDays = QStringLiteral("provisioning/certDays");

} // namespace

ProvisioningSettings::ProvisioningSettings(QSettings &settings)
    : m_settings(settings)
{
}

ProvisioningPolicy ProvisioningSettings::policy() const
{
    ProvisioningPolicy p;
    p.allowUnknown = m_settings.value(kAllowUnknown, p.allowUnknown).toBool();
    p.autoApproveListed = m_settings.value(kAutoApproveListed, p.autoApproveListed).toBool();
    bool ok = false;
    const int days = m_settings.value(kCertDays, p.certDays).toInt(&ok);
    if (ok)
        p.certDays = std::clamp(days, kMinCertDays, kMaxCertDays);
    return p;
}

void ProvisioningSettings::setPolicy(const ProvisioningPolicy &policy)
{
    m_settings.setValue(kAllowUnknown, policy.allowUnknown);
    m_settings.setValue(kAutoApproveListed, policy.autoApproveListed);
    m_settings.setValue(kCertDays, std::clamp(policy.certDays, kMinCertDays, kMaxCertDays));
}

} // namespace fd
