#pragma once

#include "core/domain/device.h"
#include "core/domain/device_presence.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

namespace fd {

// Which devices an operator wants to see. Plain value. The text is a search query of words
// (DeviceSearchQuery: "rotterdam 2.4" matches devices in which both words are found, each
// in any searchable field; "double quotes" keep a phrase); matches() is the reference
// answer, a proxy model re-filtering 100k devices per keystroke uses the parts below on
// precomputed, case-folded text.
struct DeviceFilter
{
    // The status as shown (DevicePresence): a device of a source that is not connected is
    // Unknown, neither online nor offline.
    enum class Online { Any, OnlineOnly, OfflineOnly, UnknownOnly };

    QString text;   // words, each a substring of id, name, site, model, firmware version, a tag or source; empty: any
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
    // model, firmware, tags and source; case-folded UTF-8 text): matches(d) ==
    //   acceptsAttributes(d.online, d.site, d.model, d.source)
    //   && for every word of DeviceSearchQuery(text).foldedWords(): any of id, name, site,
    //      model, fwVersion, joinTags(tags), source contains it,
    // where "contains" is containsFolded(foldedUtf8(field), word). The tags are one field,
    // joined by U+001F (the inventory interns them so): a word is found in it when it is
    // found in a tag, unless it holds a U+001F itself (pasted), which no tag has.
    bool acceptsAttributes(bool online, QStringView site, QStringView model, QStringView source) const;
    // The same with the status as shown (the device's status and its source's state).
    bool acceptsAttributes(DevicePresence presence, QStringView site, QStringView model, QStringView source) const;
    bool acceptsPresence(DevicePresence presence) const;
    // Appends text case-folded as UTF-8 (a substring test on these bytes is a case-insensitive
    // substring test on the text).
    static void appendFoldedUtf8(QStringView text, QByteArray &out);
    static QByteArray foldedUtf8(QStringView text);
    static bool containsFolded(QByteArrayView haystack, QByteArrayView needle);

    // True when every device matching `this` also matches `previous` (same site, model, source and
    // online choice, and every word of previous' text is in a word of this text): re-filtering
    // may then re-test only the devices that matched `previous`.
    bool narrows(const DeviceFilter &previous) const;

    friend bool operator==(const DeviceFilter &, const DeviceFilter &) = default;
};

} // namespace fd
