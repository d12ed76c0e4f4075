#pragma once

#include "core/ota/ota_topics.h"

#include <QByteArrayView>
#include <QFile>
#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>

#include <deque>
#include <memory>

namespace fd {

class CommandPublisher;

// Serves firmware chunks to devices ({prefix}/{d}/ota/chunk/request ->
// {prefix}/{d}/ota/chunk; docs/protocol.md "Firmware updates (OTA)").
//
// The runner tells it which job is live for which device (setJob / removeJob): a job sent
// to that device and not finished. Everything a device sends is hostile:
// - requests over 1 KiB or not {"job_id","offset","length"} are dropped (counted, no answer:
//   the device re-asks after 10 s, and garbage costs us nothing);
// - a job that is not live for that device gets {"error":"unknown job"}, an offset outside
//   the file {"error":"offset out of range"}, an unreadable artifact {"error":"artifact unavailable"};
// - length is capped at the job's chunk size (<= 65536) and the end of the file;
// - at most Options::maxOutstandingPerDevice requests per device are in progress (queued or
//   answered but not acknowledged by the broker yet); more get {"error":"busy"};
// - one bounded queue for every device (Options::maxQueued): beyond it, requests are
//   dropped and counted (the device re-asks).
// Answers are QoS 1, not retained, published through a CommandPublisher (tracked: a slot is
// freed at PUBACK, so a slow broker slows the devices down instead of piling up answers).
// Lives on the publisher's thread.
class OtaChunkServer : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype kMaxRequestBytes = 1024;

    struct Options
    {
        int maxOutstandingPerDevice = 4;
        int maxQueued = 512;
        int answersPerPass = 32;  // chunks read and published per event loop pass
    };

    struct Job
    {
        QString jobId;
        QString filePath;  // the content-addressed artifact file
        qint64 size = 0;   // bytes of the file (as signed in the manifest)
        int chunkSize = 16384;
    };

    struct Stats
    {
        quint64 requests = 0;      // every request received
        quint64 answered = 0;      // data answers acknowledged by the broker
        quint64 errorAnswers = 0;  // unknown job, out of range, busy, unavailable
        quint64 dropped = 0;       // garbage, oversize, queue full, not connected
        quint64 servedBytes = 0;   // firmware bytes in acknowledged answers
    };

    OtaChunkServer(CommandPublisher *publisher, const OtaTopics &topics, Options options, QObject *parent = nullptr);
    OtaChunkServer(CommandPublisher *publisher, const OtaTopics &topics, QObject *parent = nullptr);
    ~OtaChunkServer() override;

    void setJob(const QString &deviceId, const Job &job);
    void removeJob(const QString &deviceId);
    void clearJobs();
    bool hasJob(const QString &deviceId) const { return m_jobs.contains(deviceId); }
    int jobCount() const { return int(m_jobs.size()); }

    // A message that arrived on {prefix}/{deviceId}/ota/chunk/request.
    void handleRequest(const QString &deviceId, QByteArrayView payload);

    Stats stats() const { return m_stats; }
    quint64 servedBytes() const { return m_stats.servedBytes; }
    int queuedCount() const { return int(m_queue.size()); }
    int outstanding(const QString &deviceId) const { return m_outstanding.value(deviceId); }

signals:
    // A request was dropped or answered with an error (for logs; reason in plain words).
    void refused(const QString &deviceId, const QString &reason);

private:
    struct Pending
    {
        QString deviceId;
        QString jobId;
        qint64 offset = 0;
        qint64 length = 0;  // > 0: a data answer; 0: an error answer
        QByteArray error;
    };

    void enqueue(Pending pending, bool countsAsOutstanding);
    void drain();
    void answer(const Pending &p);
    void release(const QString &deviceId);
    void onPublishFinished(quint64 token, bool ok, const QString &error);
    QFile *fileFor(const QString &path);
    void drop(const QString &deviceId, const QString &reason);

    CommandPublisher *m_publisher;
    OtaTopics m_topics;
    Options m_options;
    QHash<QString, Job> m_jobs;               // device id -> live job
    QHash<QString, int> m_outstanding;        // device id -> requests in progress
    struct InFlight
    {
        QString deviceId;
        qint64 bytes = 0;  // 0: an error answer (not counted as outstanding)
    };
    QHash<quint64, InFlight> m_inFlight;      // publish token -> answer
    std::deque<Pending> m_queue;
    QHash<QString, std::shared_ptr<QFile>> m_files;  // open artifact files by path
    QTimer m_drainTimer;
    Stats m_stats;
};

} // namespace fd
