#pragma once

#include "core/domain/device.h"
#include "core/domain/device_presence.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

namespace fd {

// Which devices an operator wants to see. Plain value; matches() is cheap enough to run on
// 100,000 devices per keystroke (no allocation, case-insensitive substring search).
//
// For repeated evaluation (a proxy model re-filtering 100k devices per keystroke) the text
// part can use precomputed, case-folded text: searchText(device) once per device change,
// foldedNeedle() once per filter, then matches(device, haystack, needle) is a plain
// case-sensitive substring search. Both forms give the same answer.
struct DeviceFilter
{
    // The status as shown (DevicePresence): a device of a source that is not connected is
    // Unknown, neither online nor offline.
    enum class Online { Any, OnlineOnly, OfflineOnly, UnknownOnly };

    QString text;   // substring of id, name, site, model, firmware version or source; empty: any
    QString site;   // exact site; empty: any
    QString model;  // exact model; empty: any
    Online online = Online::Any;
    QString source;  // exact source (connection name); empty: any

    bool isEmpty() const
    {
        return text.isEmpty() && site.isEmpty() && model.isEmpty() && online == Online::Any && source.isEmpty();
    }
    bool matches(const Device &device) const;

    // The same answer in parts, for a model that keeps devices compactly (interned site,
    // model, firmware and source; case-folded UTF-8 text): matches(d) ==
    //   acceptsAttributes(d.online, d.site, d.model, d.source)
    //   && (needle empty || any of id, name, site, model, fwVersion, source contains it),
    // where "contains" is containsFolded(foldedUtf8(field), foldedNeedleUtf8()).
    bool acceptsAttributes(bool online, QStringView site, QStringView model, QStringView source) const;
    // The same with the status as shown (the device's status and its source's state).
    bool acceptsAttributes(DevicePresence presence, QStringView site, QStringView model, QStringView source) const;
    bool acceptsPresence(DevicePresence presence) const;
    // text trimmed, case-folded, UTF-8; empty: the text matches every device.
    QByteArray foldedNeedleUtf8() const;
    // Appends text case-folded as UTF-8 (a substring test on these bytes is a case-insensitive
    // substring test on the text).
    static void appendFoldedUtf8(QStringView text, QByteArray &out);
    static QByteArray foldedUtf8(QStringView text);
    static bool containsFolded(QByteArrayView haystack, QByteArrayView needle);

    // The searched fields of device, case-folded, separated by U+0000 (never in a needle).
    static QString searchText(const Device &device);
    // Appends searchText(device) to out without a temporary; returns its length.
    static qsizetype appendSearchText(const Device &device, QString &out);
    // text trimmed and case-folded; empty: the text matches every device.
    QString foldedNeedle() const;
    // Same as matches(device), with haystack = searchText(device), needle = foldedNeedle().
    bool matches(const Device &device, QStringView haystack, QStringView needle) const;
    // True when every device matching `this` also matches `previous` (same site, model, source and
    // online choice, and the text contains previous' text): re-filtering may then re-test
    // only the devices that matched `previous`.
    bool narrows(const DeviceFilter &previous) const;

    friend bool operator==(const DeviceFilter &, const DeviceFilter &) = default;
};

} // namespace fd
