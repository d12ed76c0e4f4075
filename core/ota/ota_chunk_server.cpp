#include "core/ota/ota_chunk_server.h"

#include "core/commands/command_publisher.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QLoggingCategory>

#include <algorithm>
#include <cmath>

namespace fd {

Q_LOGGING_CATEGORY(lcOtaChunks, "fleetdeck.ota.chunks")

namespace {

constexpr int kMaxOpenFiles = 8;

bool readNonNegative(const QJsonObject &o, QLatin1StringView key, qint64 *out)
{
    const QJsonValue v = o.value(key);
    const double d = v.toDouble(-1);
    if (!v.isDouble() || !std::isfinite(d) || d < 0 || d != std::floor(d) || d > 9007199254740992.0)
        return false;
    *out = qint64(d);
    return true;
}

// Job ids are checked to be [A-Za-z0-9._-] when the request is read: nothing to escape.
QByteArray jsonString(const QString &s)
{
    return '"' + s.toLatin1() + '"';
}

} // namespace

OtaChunkServer::OtaChunkServer(CommandPublisher *publisher, const OtaTopics &topics, QObject *parent)
    : OtaChunkServer(publisher, topics, Options{}, parent)
{
}

OtaChunkServer::OtaChunkServer(CommandPublisher *publisher, const OtaTopics &topics, Options options, QObject *parent)
    : QObject(parent)
    , m_publisher(publisher)
    , m_topics(topics)
    , m_options(options)
{
    m_options.maxOutstandingPerDevice = std::max(1, m_options.maxOutstandingPerDevice);
    m_options.maxQueued = std::max(1, m_options.maxQueued);
    m_options.answersPerPass = std::max(1, m_options.answersPerPass);
    m_drainTimer.setParent(this);
    m_drainTimer.setSingleShot(true);
    m_drainTimer.setInterval(0);
    connect(&m_drainTimer, &QTimer::timeout, this, &OtaChunkServer::drain);
    connect(m_publisher, &CommandPublisher::publishFinished, this, &OtaChunkServer::onPublishFinished);
    connect(m_publisher, &CommandPublisher::connectedChanged, this, [this](bool connected) {
        if (connected)
            return;
        // Answers queued for a lost connection are stale: the devices re-ask after reconnecting.
        while (!m_queue.empty()) {
            const Pending p = m_queue.front();
            m_queue.pop_front();
            ++m_stats.dropped;
            if (p.length > 0)
                release(p.deviceId);
        }
    });
}

OtaChunkServer::~OtaChunkServer() = default;

void OtaChunkServer::setJob(const QString &deviceId, const Job &job)
{
    m_jobs.insert(deviceId, job);
}

void OtaChunkServer::removeJob(const QString &deviceId)
{
    m_jobs.remove(deviceId);
}

void OtaChunkServer::clearJobs()
{
    m_jobs.clear();
    m_files.clear();
}

void OtaChunkServer::drop(const QString &deviceId, const QString &reason)
{
    ++m_stats.dropped;
    qCDebug(lcOtaChunks).noquote() << "dropped a chunk request of" << deviceId << "-" << reason;
    emit refused(deviceId, reason);
}

void OtaChunkServer::handleRequest(const QString &deviceId, QByteArrayView payload)
{
    ++m_stats.requests;
    if (payload.size() > kMaxRequestBytes)
        return drop(deviceId, tr("request of %1 bytes, the limit is %2").arg(payload.size()).arg(kMaxRequestBytes));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(payload.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return drop(deviceId, tr("request is not a JSON object"));
    const QJsonObject o = doc.object();
    const QJsonValue jobIdValue = o.value(QLatin1StringView("job_id"));
    Pending p;
    p.deviceId = deviceId;
    p.jobId = jobIdValue.toString();
    qint64 length = 0;
    bool validId = jobIdValue.isString() && !p.jobId.isEmpty() && p.jobId.size() <= 64;
    for (QChar c : p.jobId) {
        const char16_t u = c.unicode();
        validId = validId && ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '.'
                              || u == '_' || u == '-');
    }
    if (!validId || !readNonNegative(o, QLatin1StringView("offset"), &p.offset)
        || !readNonNegative(o, QLatin1StringView("length"), &length) || length < 1)
        return drop(deviceId, tr("request without a valid job_id, offset and length"));

    if (m_queue.size() >= size_t(m_options.maxQueued))
        return drop(deviceId, tr("the chunk queue is full (%1 requests)").arg(m_options.maxQueued));

    const auto job = m_jobs.constFind(deviceId);
    if (job == m_jobs.cend() || job->jobId != p.jobId) {
        p.error = "unknown job";
        return enqueue(std::move(p), false);
    }
    if (p.offset >= job->size) {
        p.error = "offset out of range";
        return enqueue(std::move(p), false);
    }
    if (m_outstanding.value(deviceId) >= m_options.maxOutstandingPerDevice) {
        p.error = "busy";
        return enqueue(std::move(p), false);
    }
    const qint64 cap = std::clamp<qint64>(job->chunkSize, 1, 65536);
    p.length = std::min({length, cap, job->size - p.offset});
    enqueue(std::move(p), true);
}

void OtaChunkServer::enqueue(Pending pending, bool countsAsOutstanding)
{
    if (!pending.error.isEmpty())
        emit refused(pending.deviceId, QString::fromLatin1(pending.error));
    if (countsAsOutstanding)
        ++m_outstanding[pending.deviceId];
    m_queue.push_back(std::move(pending));
    if (!m_drainTimer.isActive())
        m_drainTimer.start();
}

void OtaChunkServer::drain()
{
    for (int i = 0; i < m_options.answersPerPass && !m_queue.empty(); ++i) {
        const Pending p = std::move(m_queue.front());
        m_queue.pop_front();
        answer(p);
    }
    if (!m_queue.empty())
        m_drainTimer.start();
}

QFile *OtaChunkServer::fileFor(const QString &path)
{
    if (const auto it = m_files.constFind(path); it != m_files.cend())
        return it->get();
    if (m_files.size() >= kMaxOpenFiles)
        m_files.clear();
    auto file = std::make_shared<QFile>(path);
    if (!file->open(QIODevice::ReadOnly))
        return nullptr;
    m_files.insert(path, file);
    return file.get();
}

void OtaChunkServer::answer(const Pending &p)
{
    QByteArray payload;
    payload.reserve(p.length > 0 ? qsizetype(p.length * 4 / 3 + 128) : 96);
    payload += "{\"job_id\":" + jsonString(p.jobId) + ",\"offset\":" + QByteArray::number(p.offset);
    QByteArray error = p.error;
    qint64 bytes = 0;
    if (error.isEmpty()) {
        // The job may have ended while the request waited.
        const auto job = m_jobs.constFind(p.deviceId);
        QFile *file = (job != m_jobs.cend() && job->jobId == p.jobId) ? fileFor(job->filePath) : nullptr;
        QByteArray data;
        if (job == m_jobs.cend() || job->jobId != p.jobId)
            error = "unknown job";
        else if (!file || !file->seek(p.offset) || (data = file->read(p.length)).size() != p.length) {
            error = "artifact unavailable";
            qCWarning(lcOtaChunks).noquote() << "cannot read" << p.length << "bytes at" << p.offset << "of" << job->filePath;
            m_files.remove(job->filePath);
        } else {
            bytes = data.size();
            payload += ",\"total\":" + QByteArray::number(job->size) + ",\"data\":\"" + data.toBase64() + "\"}";
        }
    }
    if (!error.isEmpty())
        payload += ",\"error\":\"" + error + "\"}";

    QString why;
    const quint64 token = m_publisher->publishTracked(m_topics.chunkTopic(p.deviceId), payload, 1, false, &why);
    if (token == 0) {
        ++m_stats.dropped;
        if (p.length > 0)
            release(p.deviceId);
        qCDebug(lcOtaChunks).noquote() << "chunk answer to" << p.deviceId << "not sent:" << why;
        return;
    }
    if (bytes == 0) {
        ++m_stats.errorAnswers;
        if (p.length > 0)  // was counted as outstanding, became an error answer
            release(p.deviceId);
    }
    m_inFlight.insert(token, {p.deviceId, bytes});
}

void OtaChunkServer::release(const QString &deviceId)
{
    const auto it = m_outstanding.find(deviceId);
    if (it == m_outstanding.end())
        return;
    if (--*it <= 0)
        m_outstanding.erase(it);
}

void OtaChunkServer::onPublishFinished(quint64 token, bool ok, const QString &error)
{
    const auto it = m_inFlight.constFind(token);
    if (it == m_inFlight.cend())
        return;  // another publish of the same connection (job documents)
    const InFlight f = *it;
    m_inFlight.erase(it);
    if (f.bytes == 0)
        return;
    release(f.deviceId);
    if (ok) {
        ++m_stats.answered;
        m_stats.servedBytes += quint64(f.bytes);
    } else {
        qCDebug(lcOtaChunks).noquote() << "chunk answer to" << f.deviceId << "not delivered:" << error;
    }
}

} // namespace fd
