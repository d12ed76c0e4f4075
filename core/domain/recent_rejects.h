#pragma once

#include "core/domain/reject_reason.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <array>

namespace fd {

// One rejected message as kept for Diagnostics > Show Samples…: where and when it came, how
// big it was, and at most kPreviewBytes of its payload (the rest is never copied).
struct RejectSample
{
    static constexpr qsizetype kPreviewBytes = 256;
    static constexpr qsizetype kTopicBytes = 256;
    static constexpr qsizetype kDetailChars = 256;

    RejectReason reason = RejectReason::BadJson;
    QString source;        // the connection
    QString device;        // the device's path when the message named one, else empty
    QByteArray topic;      // at most kTopicBytes
    qint64 receivedMs = 0;
    qsizetype payloadBytes = 0;  // the whole payload's size
    QByteArray preview;    // its first kPreviewBytes bytes at most
    QString detail;        // the decoder's reason, at most kDetailChars
    quint64 serial = 0;    // the message's number in the pipeline (one sample per message and reason)
};

// The last kPerReason rejected messages of each reason. Bounded whatever the traffic:
// kPerReason x reasons samples of at most ~800 bytes each. Cheap to copy (implicitly
// shared lists), so it travels with IngestStats.
class RecentRejects
{
public:
    static constexpr qsizetype kPerReason = 5;

    // Keeps sample (the oldest of its reason goes when there are kPerReason); a second
    // sample of the same message (serial) and reason is ignored.
    void add(RejectSample sample);
    const QList<RejectSample> &samples(RejectReason reason) const { return m_samples[std::size_t(reason)]; }
    // Every kept sample, newest first.
    QList<RejectSample> all() const;
    qsizetype size() const;
    bool isEmpty() const { return size() == 0; }
    void clear();
    // Changes with every add() and clear() that changed something.
    quint64 revision() const { return m_revision; }

private:
    quint64 m_revision = 0;
    std::array<QList<RejectSample>, kAllRejectReasons.size()> m_samples{};
};

} // namespace fd
