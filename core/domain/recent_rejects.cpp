#include "core/domain/recent_rejects.h"

#include <algorithm>

namespace fd {

void RecentRejects::add(RejectSample sample)
{
    QList<RejectSample> &list = m_samples[std::size_t(sample.reason)];
    if (!list.isEmpty() && sample.serial != 0 && list.constLast().serial == sample.serial)
        return;
    if (list.size() >= kPerReason)
        list.removeFirst();
    if (sample.topic.size() > RejectSample::kTopicBytes)
        sample.topic.truncate(RejectSample::kTopicBytes);
    if (sample.preview.size() > RejectSample::kPreviewBytes)
        sample.preview.truncate(RejectSample::kPreviewBytes);
    if (sample.detail.size() > RejectSample::kDetailChars)
        sample.detail.truncate(RejectSample::kDetailChars);
    list.append(std::move(sample));
    ++m_revision;
}

QList<RejectSample> RecentRejects::all() const
{
    QList<RejectSample> out;
    out.reserve(size());
    for (const QList<RejectSample> &list : m_samples)
        out.append(list);
    std::stable_sort(out.begin(), out.end(), [](const RejectSample &a, const RejectSample &b) {
        return a.receivedMs != b.receivedMs ? a.receivedMs > b.receivedMs : a.serial > b.serial;
    });
    return out;
}

qsizetype RecentRejects::size() const
{
    qsizetype n = 0;
    for (const QList<RejectSample> &list : m_samples)
        n += list.size();
    return n;
}

void RecentRejects::clear()
{
    if (isEmpty())
        return;
    for (QList<RejectSample> &list : m_samples)
        list.clear();
    ++m_revision;
}

} // namespace fd
