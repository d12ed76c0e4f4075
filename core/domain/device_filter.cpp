#include "core/domain/device_filter.h"

namespace fd {

bool DeviceFilter::matches(const Device &device) const
{
    if (online == Online::OnlineOnly && !device.online)
        return false;
    if (online == Online::OfflineOnly && device.online)
        return false;
    if (!site.isEmpty() && device.site != site)
        return false;
    if (!model.isEmpty() && device.model != model)
        return false;
    if (text.isEmpty())
        return true;
    const QStringView needle = QStringView(text).trimmed();
    if (needle.isEmpty())
        return true;
    for (const QString *field : {&device.id, &device.name, &device.site, &device.model, &device.fwVersion}) {
        if (field->contains(needle, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace fd
