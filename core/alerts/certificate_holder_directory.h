#pragma once

#include "core/alerts/certificate_expiry_evaluator.h"
#include "core/domain/device.h"

#include <QHash>
#include <QList>

namespace fd {

// Which inventory entries hold a certificate of a given common name, for the certificate
// expiry alerts: a protocol v1 device (path = its id) and a Sparkplug edge node (path
// "group/node"; it connects with its own certificate) are found by their id; devices behind
// a gateway ("group/node/device") connect through it and hold none. A device id heard on
// several brokers has one entry per broker.
class CertificateHolderDirectory
{
public:
    // True when an entry was added or its site, model or tags changed (worth a
    // re-evaluation); metric updates change nothing here and cost a hash lookup.
    bool update(const QList<Device> &devices);
    bool remove(const QList<DeviceKey> &devices);
    QList<CertificateHolder> holders(const QString &commonName) const;
    int size() const { return int(m_byKey.size()); }

private:
    static bool holdsCertificate(const Device &d);

    QHash<DeviceKey, CertificateHolder> m_byKey;
    QHash<QString, QList<DeviceKey>> m_byName;
};

} // namespace fd
