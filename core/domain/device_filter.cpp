#include "core/domain/device_filter.h"

#include "core/domain/device_search_query.h"
#include "core/domain/device_tags.h"

namespace fd {

namespace {

bool matchesAttributes(const DeviceFilter &f, const Device &device)
{
    if (!f.acceptsPresence(devicePresence(device.online, true)))
        return false;
    if (!f.site.isEmpty() && device.site != f.site)
        return false;
    if (!f.model.isEmpty() && device.model != f.model)
        return false;
    if (!f.source.isEmpty() && device.source != f.source)
        return false;
    return true;
}

// Simple case folding in place (what QString::compare(..., Qt::CaseInsensitive) compares).
void foldInPlace(QChar *begin, QChar *end)
{
    for (QChar *c = begin; c != end; ++c) {
        const char16_t u = c->unicode();
        if (u < 0x80) {
            if (u >= u'A' && u <= u'Z')
                *c = QChar(char16_t(u + 32));
        } else if (QChar::isHighSurrogate(u) && c + 1 != end && c[1].isLowSurrogate()) {
            const char32_t folded = QChar::toCaseFolded(QChar::surrogateToUcs4(u, c[1].unicode()));
            if (QChar::requiresSurrogates(folded)) {
                c[0] = QChar(QChar::highSurrogate(folded));
                c[1] = QChar(QChar::lowSurrogate(folded));
            }
            ++c;
        } else if (!QChar::isSurrogate(u)) {
            *c = QChar(char16_t(QChar::toCaseFolded(char32_t(u))));
        }
    }
}

} // namespace

bool DeviceFilter::matches(const Device &device) const
{
    if (!matchesAttributes(*this, device))
        return false;
    const DeviceSearchQuery query(text);
    const QString tags = joinTags(device.tags);
    for (const QByteArray &word : query.foldedWords()) {
        bool found = false;
        for (const QString *field : {&device.id, &device.name, &device.site, &device.model, &device.fwVersion,
                                     &tags, &device.source}) {
            if (containsFolded(foldedUtf8(*field), word)) {
                found = true;
                break;
            }
        }
        if (!found)
            return false;
    }
    return true;
}

bool DeviceFilter::acceptsPresence(DevicePresence presence) const
{
    switch (online) {
    case Online::Any: return true;
    case Online::OnlineOnly: return presence == DevicePresence::Online;
    case Online::OfflineOnly: return presence == DevicePresence::Offline;
    case Online::UnknownOnly: return presence == DevicePresence::Unknown;
    }
    return true;
}

bool DeviceFilter::acceptsAttributes(bool deviceOnline, QStringView deviceSite, QStringView deviceModel,
                                     QStringView deviceSource) const
{
    return acceptsAttributes(devicePresence(deviceOnline, true), deviceSite, deviceModel, deviceSource);
}

bool DeviceFilter::acceptsAttributes(DevicePresence presence, QStringView deviceSite, QStringView deviceModel,
                                     QStringView deviceSource) const
{
    if (!acceptsPresence(presence))
        return false;
    if (!site.isEmpty() && deviceSite != site)
        return false;
    if (!model.isEmpty() && deviceModel != model)
        return false;
    if (!source.isEmpty() && deviceSource != source)
        return false;
    return true;
}

void DeviceFilter::appendFoldedUtf8(QStringView text, QByteArray &out)
{
    bool ascii = true;
    for (QChar c : text) {
        if (c.unicode() >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii) {
        const qsizetype start = out.size();
        out.resize(start + text.size());
        char *data = out.data() + start;
        for (qsizetype i = 0; i < text.size(); ++i) {
            const char16_t u = text[i].unicode();
            data[i] = char(u >= u'A' && u <= u'Z' ? u + 32 : u);
        }
        return;
    }
    QString folded = text.toString();
    QChar *data = folded.data();
    foldInPlace(data, data + folded.size());
    out.append(folded.toUtf8());
}

QByteArray DeviceFilter::foldedUtf8(QStringView text)
{
    QByteArray out;
    appendFoldedUtf8(text, out);
    return out;
}

bool DeviceFilter::containsFolded(QByteArrayView haystack, QByteArrayView needle)
{
    return needle.isEmpty() || haystack.indexOf(needle) >= 0;
}

bool DeviceFilter::narrows(const DeviceFilter &previous) const
{
    if (site != previous.site || model != previous.model || online != previous.online
        || source != previous.source)
        return false;
    return DeviceSearchQuery(text).narrows(DeviceSearchQuery(previous.text));
}

} // namespace fd
