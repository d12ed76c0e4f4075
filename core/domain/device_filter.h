#pragma once

#include "core/domain/device.h"

#include <QString>

namespace fd {

// Which devices an operator wants to see. Plain value; matches() is cheap enough to run on
// 100,000 devices per keystroke (no allocation, case-insensitive substring search).
struct DeviceFilter
{
    enum class Online { Any, OnlineOnly, OfflineOnly };

    QString text;   // substring of id, name, site, model or firmware version; empty: any
    QString site;   // exact site; empty: any
    QString model;  // exact model; empty: any
    Online online = Online::Any;

    bool isEmpty() const { return text.isEmpty() && site.isEmpty() && model.isEmpty() && online == Online::Any; }
    bool matches(const Device &device) const;

    friend bool operator==(const DeviceFilter &, const DeviceFilter &) = default;
};

} // namespace fd
