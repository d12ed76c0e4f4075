#include "core/alerts/certificate_holder_directory.h"

namespace fd {

bool CertificateHolderDirectory::holdsCertificate(const Device &d)
{
    const QString path = d.path.isEmpty() ? d.id : d.path;
    return !d.id.isEmpty() && path.count(QLatin1Char('/')) <= 1;
}

bool CertificateHolderDirectory::update(const QList<Device> &devices)
{
    bool changed = false;
    for (const Device &d : devices) {
        if (!holdsCertificate(d))
            continue;
        const DeviceKey key = d.key();
        auto it = m_byKey.find(key);
        if (it == m_byKey.end()) {
            m_byKey.insert(key, CertificateHolder{key, d.site, d.model, d.tags});
            m_byName[d.id].append(key);
            changed = true;
        } else if (it->site != d.site || it->model != d.model || it->tags != d.tags) {
            it->site = d.site;
            it->model = d.model;
            it->tags = d.tags;
            changed = true;
        }
    }
    return changed;
}

bool CertificateHolderDirectory::remove(const QList<DeviceKey> &devices)
{
    bool changed = false;
    for (const DeviceKey &key : devices) {
        if (!m_byKey.remove(key))
            continue;
        changed = true;
        const QString id = key.path.section(QLatin1Char('/'), -1);
        auto it = m_byName.find(id);
        if (it != m_byName.end()) {
            it->removeAll(key);
            if (it->isEmpty())
                m_byName.erase(it);
        }
    }
    return changed;
}

QList<CertificateHolder> CertificateHolderDirectory::holders(const QString &commonName) const
{
    QList<CertificateHolder> out;
    for (const DeviceKey &key : m_byName.value(commonName))
        out.append(m_byKey.value(key));
    return out;
}

} // namespace fd
