#pragma once

#include "core/provisioning/provisioning_policy.h"

class QSettings;

namespace fd {

// The commissioning policy an operator chose (Commissioning page), kept in the settings:
// whether devices not on the expected list are accepted, whether listed devices are enrolled
// without a technician (bulk pre-provisioning) and how long device certificates are valid.
// The request timing stays the protocol's (ProvisioningPolicy defaults).
class ProvisioningSettings
{
public:
    static constexpr int kMinCertDays = 1;
    static constexpr int kMaxCertDays = 3650;

    explicit ProvisioningSettings(QSettings &settings);

    ProvisioningPolicy policy() const;
    void setPolicy(const ProvisioningPolicy &policy);

private:
    QSettings &m_settings;
};

} // namespace fd
