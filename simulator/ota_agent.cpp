#include "simulator/ota_agent.h"

#include "core/ota/firmware_manifest.h"
#include "core/ota/firmware_version.h"
#include "core/ota/release_key.h"
#include "simulator/sim_logging.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>

#include <algorithm>
#include <utility>
#include <cmath>
#include <limits>

namespace fd::sim {

namespace {

constexpr int kBusyRetryMs = 1000;       // the console said "busy": ask again this much later
constexpr int kReconnectRetryMs = 1000;  // after the reboot, a failed connect
constexpr int kProgressStep = 10;        // DOWNLOADING progress at most every 10 % ...
constexpr int kProgressIntervalMs = 1000;  // ... or every second
constexpr qsizetype kMaxReasonChars = 200;

bool isValidJobId(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9._-]{1,64}$"));
    return re.match(id).hasMatch();
}

bool isSha256Hex(const QString &hex)
{
    static const QRegularExpression re(QStringLiteral("^[0-9a-fA-F]{64}$"));
    return re.match(hex).hasMatch();
}

// A whole number in JSON within [min, max], else nullopt.
std::optional<qint64> integer(const QJsonValue &v, qint64 min, qint64 max)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (!std::isfinite(d) || std::floor(d) != d || d < double(min) || d > double(max))
        return std::nullopt;
    return qint64(d);
}

std::optional<QByteArray> base64(const QJsonValue &v, qsizetype maxDecoded)
{
    if (!v.isString() || v.toString().size() > (maxDecoded / 3 + 1) * 4 + 4)
        return std::nullopt;
    const QByteArray::FromBase64Result r =
        QByteArray::fromBase64Encoding(v.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!r || r.decoded.size() > maxDecoded)
        return std::nullopt;
    return r.decoded;
}

QString bounded(QString text)
{
    if (text.size() > kMaxReasonChars)
        text = text.left(kMaxReasonChars) + QStringLiteral("...");
    return text;
}

} // namespace

OtaAgent::OtaAgent(Config config, Link &link, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_link(link)
    , m_rng(m_config.seed)
    , m_fwVersion(m_config.fwVersion)
{
    const QString base = m_config.prefix + u'/' + m_config.deviceId + QStringLiteral("/ota/");
    m_jobTopic = QString(base + QStringLiteral("job")).toStdString();
    m_chunkTopic = QString(base + QStringLiteral("chunk")).toStdString();
    m_requestTopic = QString(base + QStringLiteral("chunk/request")).toStdString();
    m_statusTopic = QString(base + QStringLiteral("status")).toStdString();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    m_dropTimer.setSingleShot(true);
    connect(&m_dropTimer, &QTimer::timeout, this, [this] {
        if (m_state != State::Dropping)
            return;
        qCWarning(lcSim).noquote() << m_config.deviceId << "OTA reboot: the connection did not drop in time; leaving cleanly";
        m_link.stayDown();
        onDropped();
    });
}

OtaAgent::~OtaAgent() = default;

std::vector<std::string> OtaAgent::subscriptions(const QString &prefix, const QString &deviceId)
{
    const QString base = prefix + u'/' + deviceId + QStringLiteral("/ota/");
    return {QString(base + QStringLiteral("job")).toStdString(), QString(base + QStringLiteral("chunk")).toStdString()};
}

void OtaAgent::postMessage(const std::string &topic, QByteArray payload, bool retained)
{
    QMetaObject::invokeMethod(
        this, [this, topic, payload = std::move(payload), retained] { handleMessage(topic, payload, retained); },
        Qt::QueuedConnection);
}

void OtaAgent::postConnected()
{
    QMetaObject::invokeMethod(this, [this] { handleConnected(); }, Qt::QueuedConnection);
}

void OtaAgent::stop()
{
    publishPendingFinal();  // the runner flushed the flash first
    m_stopped = true;
    m_timer.stop();
    m_dropTimer.stop();
    disconnect(&m_timer, nullptr, this, nullptr);
}

qint64 OtaAgent::nowMs() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

int OtaAgent::compareVersions(const QString &a, const QString &b)
{
    return FirmwareVersion::compare(a, b);
}

void OtaAgent::handleMessage(const std::string &topic, const QByteArray &payload, bool retained)
{
    if (m_stopped)
        return;
    if (topic == m_jobTopic)
        onJob(payload, retained);
    else if (topic == m_chunkTopic)
        onChunk(payload);
}

void OtaAgent::restore(const OtaStateFile::Device &state)
{
    m_fwVersion = state.fwVersion;
    m_installs = state.installs;
    m_jobCounts = state.received;
    m_finished = state.finished;
}

OtaStateFile::Device OtaAgent::state() const
{
    OtaStateFile::Device d;
    d.fwVersion = m_fwVersion;
    d.installs = m_installs;
    d.received = m_jobCounts;
    d.finished = m_finished;
    return d;
}

void OtaAgent::countDelivery(const QString &jobId, bool retained)
{
    // A live delivery always counts (a console that publishes a job twice is caught); a
    // retained one (on subscribe, e.g. after a reconnect) only when the job is new to us.
    // A job finished in an earlier run (--ota-state) is known too.
    auto it = m_jobCounts.find(jobId);
    if (it != m_jobCounts.end()) {
        if (!retained) {
            ++it.value();
            emit stateChanged();
        }
        return;
    }
    if (retained && m_finished.contains(jobId))
        return;
    if (m_jobCounts.size() >= kMaxJobIds) {
        qCWarning(lcSim).noquote() << m_config.deviceId << "OTA: too many job ids; not counting" << jobId;
        return;
    }
    m_jobCounts.insert(jobId, 1);
    emit stateChanged();
}

bool OtaAgent::isInstalling() const
{
    return m_state == State::Installing || m_state == State::Dropping || m_state == State::Rebooting
        || m_state == State::Reconnecting;
}

void OtaAgent::onJob(const QByteArray &payload, bool retained)
{
    if (payload.isEmpty()) {
        // The console cleared the job (finished, or cancelled): stop a download in progress.
        if (m_state == State::Downloading || m_state == State::Silent)
            abandon(QStringLiteral("the job was cleared"));
        return;
    }
    QString jobId;
    QString error;
    std::optional<Job> job = parseJob(payload, &jobId, &error);
    if (jobId.isEmpty()) {
        qCInfo(lcSim).noquote() << m_config.deviceId << "ignored an unreadable OTA job document:" << error;
        return;
    }
    countDelivery(jobId, retained);
    if (m_finished.contains(jobId) || (m_state != State::Idle && m_job.id == jobId))
        return;  // done already, or running
    if (isInstalling()) {
        qCInfo(lcSim).noquote() << m_config.deviceId << "OTA: job" << jobId << "ignored while installing" << m_job.id;
        return;
    }
    if (m_state != State::Idle)
        abandon(QStringLiteral("job %1 replaces it").arg(jobId));
    if (!job) {
        m_job = Job();
        m_job.id = jobId;
        finish(QStringLiteral("REJECTED"), QStringLiteral("bad job document: %1").arg(error), 0);
        return;
    }
    startJob(std::move(*job));
}

std::optional<OtaAgent::Job> OtaAgent::parseJob(const QByteArray &payload, QString *jobId, QString *error) const
{
    auto bad = [error](const QString &why) -> std::optional<Job> {
        *error = why;
        return std::nullopt;
    };
    if (payload.size() > kMaxJobBytes)
        return bad(QStringLiteral("larger than %1 bytes").arg(kMaxJobBytes));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &parseError);
    if (!doc.isObject())
        return bad(QStringLiteral("not a JSON object"));
    const QJsonObject o = doc.object();
    const QString id = o.value(QLatin1StringView("job_id")).toString();
    if (!isValidJobId(id))
        return bad(QStringLiteral("job_id must be 1 to 64 of [A-Za-z0-9._-]"));
    *jobId = id;
    Job job;
    job.id = id;
    job.version = o.value(QLatin1StringView("version")).toString();
    if (job.version.isEmpty() || job.version.size() > 64)
        return bad(QStringLiteral("version must be a string of 1 to 64 characters"));
    const std::optional<qint64> size = integer(o.value(QLatin1StringView("size")), 1, qint64(1) << 50);
    if (!size)
        return bad(QStringLiteral("size must be a positive integer"));
    job.size = *size;
    job.sha256 = o.value(QLatin1StringView("sha256")).toString().toLower();
    if (!isSha256Hex(job.sha256))
        return bad(QStringLiteral("sha256 must be 64 hex characters"));
    const std::optional<QByteArray> manifest = base64(o.value(QLatin1StringView("manifest")), kMaxManifestBytes);
    if (!manifest || manifest->isEmpty())
        return bad(QStringLiteral("manifest must be base64 of at most %1 bytes").arg(kMaxManifestBytes));
    job.manifest = *manifest;
    const std::optional<QByteArray> signature =
        base64(o.value(QLatin1StringView("signature")), ReleaseKey::kMaxSignatureBytes);
    if (!signature || signature->isEmpty())
        return bad(QStringLiteral("signature must be base64 of at most %1 bytes").arg(ReleaseKey::kMaxSignatureBytes));
    job.signature = *signature;
    const std::optional<qint64> chunk = integer(o.value(QLatin1StringView("chunk_size")), 1, kMaxChunkSize);
    if (!chunk)
        return bad(QStringLiteral("chunk_size must be an integer between 1 and %1").arg(kMaxChunkSize));
    job.chunkSize = int(*chunk);
    const QJsonValue rollback = o.value(QLatin1StringView("rollback"));
    if (!rollback.isUndefined() && !rollback.isBool())
        return bad(QStringLiteral("rollback must be true or false"));
    job.rollback = rollback.toBool(false);
    return job;
}

// The checks before any download, in the order of docs/protocol.md: signature, manifest
// against the job, model, version rule, size.
QString OtaAgent::checkJob(const Job &job) const
{
    if (m_config.options.trustedPem.isEmpty())
        return QStringLiteral("no trusted release key configured");
    if (m_failSignature)
        return QStringLiteral("signature check failed (simulated)");
    QString why;
    if (!ReleaseKey::verifyWithPublicPem(m_config.options.trustedPem, job.manifest, job.signature, &why))
        return bounded(QStringLiteral("signature check failed: %1").arg(why));
    QString invalid;
    const std::optional<FirmwareManifest> m = FirmwareManifest::fromBytes(job.manifest, &invalid);
    if (!m)
        return bounded(QStringLiteral("the signed manifest is invalid: %1").arg(invalid));
    if (m->sha256 != job.sha256)
        return QStringLiteral("the manifest's sha256 does not match the job's");
    if (m->size != job.size)
        return QStringLiteral("the manifest's size does not match the job's");
    if (m->version != job.version)
        return bounded(QStringLiteral("the manifest's version %1 does not match the job's %2").arg(m->version, job.version));
    if (!m->models.contains(m_config.model))
        return QStringLiteral("model %1 is not in the artifact's compatible models").arg(m_config.model);
    if (!job.rollback && compareVersions(job.version, m_fwVersion) < 0)
        return bounded(QStringLiteral("version %1 is older than the installed %2").arg(job.version, m_fwVersion));
    if (job.size > kMaxFirmwareBytes)
        return QStringLiteral("firmware of %1 bytes is too large (at most %2)").arg(job.size).arg(kMaxFirmwareBytes);
    if ((job.size + job.chunkSize - 1) / job.chunkSize > (1 << 20))
        return QStringLiteral("chunk_size %1 is too small for %2 bytes (more than 1048576 chunks)")
            .arg(job.chunkSize)
            .arg(job.size);
    return QString();
}

void OtaAgent::startJob(Job job)
{
    m_job = std::move(job);
    // The same draws for every job whatever happens, so a run is reproducible from --seed.
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const OtaFailureSpec &f = m_config.options.failures;
    const bool silent = u(m_rng) < f.silent;
    m_failSignature = u(m_rng) < f.signature;
    const bool failDownload = u(m_rng) < f.download;
    const double failAt = u(m_rng);
    m_failBoot = u(m_rng) < f.boot;
    m_failAtOffset = failDownload ? qint64(failAt * double(m_job.size)) : -1;
    m_lastProgress = -1;

    m_state = State::Downloading;  // "running" from here on (a re-delivery is ignored)
    publishStatus(QStringLiteral("QUEUED"), 0, QString());
    if (silent) {
        m_state = State::Silent;
        qCInfo(lcSim).noquote() << m_config.deviceId << "OTA job" << m_job.id << "goes silent (simulated)";
        return;
    }
    if (const QString reason = checkJob(m_job); !reason.isEmpty()) {
        finish(QStringLiteral("REJECTED"), reason, 0);
        return;
    }
    if (compareVersions(m_job.version, m_fwVersion) == 0) {
        finish(QStringLiteral("UPDATED"), QStringLiteral("already on %1").arg(m_fwVersion), 0);
        return;
    }
    startDownload();
}

void OtaAgent::startDownload()
{
    const qint64 chunks = (m_job.size + m_job.chunkSize - 1) / m_job.chunkSize;
    m_data = QByteArray(m_job.size, Qt::Uninitialized);
    m_have.assign(size_t(chunks), false);
    m_haveCount = 0;
    m_haveBytes = 0;
    m_firstMissing = 0;
    m_outstanding.clear();
    m_attempts.clear();
    m_nextSendMs = nowMs();
    disconnect(&m_timer, nullptr, this, nullptr);
    connect(&m_timer, &QTimer::timeout, this, &OtaAgent::pump);
    publishStatus(QStringLiteral("DOWNLOADING"), 0, QString());
    m_lastProgress = 0;
    m_lastProgressMs = nowMs();
    pump();
}

qint64 OtaAgent::chunkLength(qint64 chunk) const
{
    return std::min<qint64>(m_job.chunkSize, m_job.size - chunk * m_job.chunkSize);
}

// Sends what the window and the bandwidth allow, re-asks what went unanswered, and sets the
// timer for the next of these.
void OtaAgent::pump()
{
    if (m_state != State::Downloading || m_stopped)
        return;
    if (!m_link.isConnected()) {
        m_timer.stop();  // handleConnected() resumes from the first missing byte
        return;
    }
    const qint64 now = nowMs();
    // Re-asks first: the chunks unanswered for too long.
    QList<qint64> overdue;
    for (auto it = m_outstanding.cbegin(); it != m_outstanding.cend(); ++it) {
        if (now - it->sentMs < m_config.retryMs)
            continue;
        if (it->attempts > m_config.maxRetries) {
            finish(QStringLiteral("FAILED"), QStringLiteral("download timed out"), int(m_haveBytes * 100 / m_job.size));
            return;
        }
        overdue.append(it.key());
    }
    for (qint64 chunk : std::as_const(overdue))
        sendRequest(chunk);
    // New requests, paced to the bandwidth.
    qint64 next = m_firstMissing;
    while (qsizetype(m_outstanding.size()) < m_config.window && now >= m_nextSendMs) {
        while (next < qint64(m_have.size()) && (m_have[size_t(next)] || m_outstanding.contains(next)))
            ++next;
        if (next >= qint64(m_have.size()))
            break;
        sendRequest(next);
        m_nextSendMs = std::max(m_nextSendMs, now - 1000) + chunkLength(next) * 1000 / m_config.options.bandwidth;
    }
    qint64 wakeAt = std::numeric_limits<qint64>::max();
    for (const Request &r : std::as_const(m_outstanding))
        wakeAt = std::min(wakeAt, r.sentMs + m_config.retryMs);
    if (qsizetype(m_outstanding.size()) < m_config.window && m_haveCount + m_outstanding.size() < qint64(m_have.size()))
        wakeAt = std::min(wakeAt, m_nextSendMs);
    if (wakeAt != std::numeric_limits<qint64>::max())
        m_timer.start(int(std::clamp<qint64>(wakeAt - now, 1, m_config.retryMs)));
}

void OtaAgent::sendRequest(qint64 chunk)
{
    QJsonObject o;
    o.insert(QStringLiteral("job_id"), m_job.id);
    o.insert(QStringLiteral("offset"), double(chunk * m_job.chunkSize));
    o.insert(QStringLiteral("length"), double(chunkLength(chunk)));
    Request &r = m_outstanding[chunk];
    r.sentMs = nowMs();
    r.attempts = ++m_attempts[chunk];
    m_link.publish(m_requestTopic, QJsonDocument(o).toJson(QJsonDocument::Compact), 1, false);
}

void OtaAgent::onChunk(const QByteArray &payload)
{
    if (m_state != State::Downloading)
        return;
    if (payload.size() > kMaxChunkAnswerBytes) {
        qCInfo(lcSim).noquote() << m_config.deviceId << "OTA: ignored a chunk answer of" << payload.size() << "bytes";
        return;
    }
    const QJsonObject o = QJsonDocument::fromJson(payload).object();
    if (o.value(QLatin1StringView("job_id")).toString() != m_job.id)
        return;  // another job's, or garbage
    const std::optional<qint64> offset = integer(o.value(QLatin1StringView("offset")), 0, m_job.size - 1);
    if (!offset || *offset % m_job.chunkSize != 0) {
        qCInfo(lcSim).noquote() << m_config.deviceId << "OTA: ignored a chunk answer with a bad offset";
        return;
    }
    const qint64 chunk = *offset / m_job.chunkSize;
    if (const QJsonValue error = o.value(QLatin1StringView("error")); !error.isUndefined()) {
        const QString text = bounded(error.toString());
        if (text == u"busy") {
            // Too many requests at the console: ask again a little later (counts as a try).
            if (auto it = m_outstanding.find(chunk); it != m_outstanding.end())
                it->sentMs = nowMs() - m_config.retryMs + kBusyRetryMs;
            pump();
            return;
        }
        finish(QStringLiteral("FAILED"), QStringLiteral("download refused: %1").arg(text),
               int(m_haveBytes * 100 / m_job.size));
        return;
    }
    if (m_have[size_t(chunk)])
        return;  // a late answer to a re-ask
    const std::optional<qint64> total = integer(o.value(QLatin1StringView("total")), 0, qint64(1) << 50);
    if (total && *total != m_job.size) {
        finish(QStringLiteral("FAILED"),
               QStringLiteral("download failed: the file has %1 bytes, the job says %2").arg(*total).arg(m_job.size),
               int(m_haveBytes * 100 / m_job.size));
        return;
    }
    const std::optional<QByteArray> data = base64(o.value(QLatin1StringView("data")), kMaxChunkSize);
    if (!data || data->size() != chunkLength(chunk)) {
        qCInfo(lcSim).noquote() << m_config.deviceId << "OTA: ignored a chunk answer without the requested bytes";
        return;  // re-asked when its time is up
    }
    std::copy(data->cbegin(), data->cend(), m_data.begin() + *offset);
    m_have[size_t(chunk)] = true;
    ++m_haveCount;
    m_haveBytes += data->size();
    m_outstanding.remove(chunk);
    while (m_firstMissing < qint64(m_have.size()) && m_have[size_t(m_firstMissing)])
        ++m_firstMissing;
    const qint64 contiguous = std::min(m_job.size, m_firstMissing * m_job.chunkSize);
    if (m_failAtOffset >= 0 && contiguous >= m_failAtOffset && m_haveCount < qint64(m_have.size())) {
        finish(QStringLiteral("FAILED"),
               QStringLiteral("download failed: simulated I/O error at offset %1").arg(contiguous),
               int(m_haveBytes * 100 / m_job.size));
        return;
    }
    if (m_haveCount == qint64(m_have.size())) {
        downloaded();
        return;
    }
    const int progress = int(m_haveBytes * 100 / m_job.size);
    const qint64 now = nowMs();
    if (progress >= m_lastProgress + kProgressStep
        || (progress != m_lastProgress && now - m_lastProgressMs >= kProgressIntervalMs)) {
        m_lastProgress = progress;
        m_lastProgressMs = now;
        publishStatus(QStringLiteral("DOWNLOADING"), progress, QString());
    }
    pump();
}

void OtaAgent::downloaded()
{
    m_timer.stop();
    disconnect(&m_timer, nullptr, this, nullptr);
    m_outstanding.clear();
    publishStatus(QStringLiteral("DOWNLOADED"), 100, QString());
    const QString sha = QString::fromLatin1(QCryptographicHash::hash(m_data, QCryptographicHash::Sha256).toHex());
    const bool sizeOk = m_data.size() == m_job.size;
    m_data = QByteArray();  // installed from here on: the buffer is not needed any more
    m_have = {};
    if (!sizeOk) {
        finish(QStringLiteral("FAILED"), QStringLiteral("size mismatch"), 100);
        return;
    }
    if (sha != m_job.sha256) {
        finish(QStringLiteral("FAILED"), QStringLiteral("SHA-256 mismatch"), 100);
        return;
    }
    publishStatus(QStringLiteral("VERIFIED"), 100, QString());
    publishStatus(QStringLiteral("UPDATING"), 100, QString());
    m_state = State::Installing;
    connect(&m_timer, &QTimer::timeout, this, &OtaAgent::reboot);
    m_timer.start(m_config.options.installMs);
}

// The install is done: reboot. The connection drops without a DISCONNECT (the Last Will
// marks the device offline), it stays down for --ota-reboot-ms, then comes back.
void OtaAgent::reboot()
{
    disconnect(&m_timer, nullptr, this, nullptr);
    if (m_stopped)
        return;
    qCInfo(lcSim).noquote() << m_config.deviceId << "OTA: rebooting into" << m_job.version;
    m_state = State::Dropping;
    QPointer<OtaAgent> self(this);
    const bool dropping = m_link.dropWithWill([self] {
        if (self)
            QMetaObject::invokeMethod(self.data(), [self] { if (self) self->onDropped(); }, Qt::QueuedConnection);
    });
    if (!dropping) {
        // Not connected (the broker is away): reboot all the same, offline already.
        m_link.stayDown();
        onDropped();
        return;
    }
    m_dropTimer.start(m_config.dropTimeoutMs);
}

void OtaAgent::onDropped()
{
    if (m_state != State::Dropping || m_stopped)
        return;
    m_dropTimer.stop();
    m_state = State::Rebooting;
    connect(&m_timer, &QTimer::timeout, this, &OtaAgent::comeBack);
    m_timer.start(m_config.options.rebootMs);
}

void OtaAgent::comeBack()
{
    disconnect(&m_timer, nullptr, this, nullptr);
    if (m_stopped)
        return;
    // The v1 status on connect carries the firmware that booted: the new one, or the old one
    // after a failed boot.
    m_link.setFirmwareVersion(m_failBoot ? m_fwVersion : m_job.version);
    m_state = State::Reconnecting;
    QPointer<OtaAgent> self(this);
    const bool started = m_link.reconnect([self](bool ok) {
        if (self)
            QMetaObject::invokeMethod(self.data(), [self, ok] { if (self) self->onReconnected(ok); }, Qt::QueuedConnection);
    });
    if (!started)
        onReconnected(false);
}

void OtaAgent::onReconnected(bool ok)
{
    if (m_state != State::Reconnecting || m_stopped)
        return;
    if (!ok) {
        m_state = State::Rebooting;
        connect(&m_timer, &QTimer::timeout, this, &OtaAgent::comeBack);
        m_timer.start(kReconnectRetryMs);
        return;
    }
    if (m_failBoot) {
        finish(QStringLiteral("ROLLED_BACK"), QStringLiteral("boot failed"), 100);
        return;
    }
    m_fwVersion = m_job.version;
    ++m_installs;
    finish(QStringLiteral("UPDATED"), QString(), 100);
}

void OtaAgent::handleConnected()
{
    if (m_stopped)
        return;
    if (m_statusPending && !m_lastStatus.isEmpty())
        m_statusPending = !m_link.publish(m_statusTopic, m_lastStatus, 1, true);
    if (m_state == State::Downloading) {
        // Resume from the first byte we lack: what was in flight is lost with the connection
        // (asking again for it is no re-ask: a broker outage is not the console's silence).
        for (auto it = m_outstanding.cbegin(); it != m_outstanding.cend(); ++it)
            --m_attempts[it.key()];
        m_outstanding.clear();
        m_nextSendMs = nowMs();
        pump();
    }
}

void OtaAgent::finish(const QString &state, const QString &reason, int progress)
{
    m_timer.stop();
    disconnect(&m_timer, nullptr, this, nullptr);
    m_dropTimer.stop();
    if (m_finished.size() < kMaxJobIds)
        m_finished.insert(m_job.id, state);  // before the report: it waits for this to be saved
    publishStatus(state, progress, reason, true);
    qCInfo(lcSim).noquote() << m_config.deviceId << "OTA job" << m_job.id << state
                            << (reason.isEmpty() ? QString() : QStringLiteral("(%1)").arg(reason));
    m_state = State::Idle;
    m_data = QByteArray();
    m_have = {};
    m_outstanding.clear();
    m_attempts.clear();
    emit stateChanged();
}

void OtaAgent::abandon(const QString &why)
{
    qCInfo(lcSim).noquote() << m_config.deviceId << "OTA job" << m_job.id << "abandoned:" << why;
    m_timer.stop();
    disconnect(&m_timer, nullptr, this, nullptr);
    m_state = State::Idle;
    m_data = QByteArray();
    m_have = {};
    m_outstanding.clear();
    m_attempts.clear();
}

void OtaAgent::publishPendingFinal()
{
    if (m_pendingFinal.isEmpty() || m_stopped)
        return;
    m_lastStatus = std::exchange(m_pendingFinal, QByteArray());
    m_statusPending = !m_link.publish(m_statusTopic, m_lastStatus, 1, true);
}

void OtaAgent::publishStatus(const QString &state, int progress, const QString &reason, bool afterPersist)
{
    // A job's end still waiting for the flash goes out before anything newer (the retained
    // status must end on the newest).
    publishPendingFinal();
    QJsonObject o;
    o.insert(QStringLiteral("job_id"), m_job.id);
    o.insert(QStringLiteral("state"), state);
    o.insert(QStringLiteral("progress"), progress);
    o.insert(QStringLiteral("reason"), reason);
    o.insert(QStringLiteral("fw_version"), m_fwVersion);
    o.insert(QStringLiteral("ts"), double(nowMs()));
    const QByteArray payload = QJsonDocument(o).toJson(QJsonDocument::Compact);
    if (afterPersist && m_config.persistThen) {
        // Flash first, then the report: a console that saw UPDATED never meets this device
        // back on the old firmware after a restart (stateChanged() comes with finish()).
        m_pendingFinal = payload;
        QPointer<OtaAgent> self(this);
        m_config.persistThen([self] {
            if (self)
                self->publishPendingFinal();
        });
        return;
    }
    m_lastStatus = payload;
    m_statusPending = !m_link.publish(m_statusTopic, m_lastStatus, 1, true);
}

} // namespace fd::sim
