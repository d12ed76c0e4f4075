#include "core/protocol/sparkplug/sparkplug_decoder.h"

#include "core/protocol/decode_sink.h"
#include "core/protocol/payload_codec.h"
#include "core/protocol/sparkplug/sparkplug_codec.h"
#include "core/protocol/sparkplug/sparkplug_command_builder.h"
#include "core/protocol/sparkplug/sparkplug_logging.h"
#include "core/protocol/sparkplug/sparkplug_topic.h"
#include "core/protocol/sparkplug/sparkplug_value_mapper.h"

#include <QHash>
#include <QSet>
#include <QVarLengthArray>

#include <algorithm>
#include <limits>
#include <vector>

namespace fd {

namespace {

using Type = SparkplugTopic::Type;

constexpr int kMaxProblemsShown = 5;
constexpr int kMaxAliasesShown = 5;

const QString &bdSeqName()
{
    static const QString name = QStringLiteral("bdSeq");
    return name;
}

bool isControlMetric(const QString &name)
{
    if (name.isEmpty() || (name.front() != u'b' && name.front() != u'N'))
        return false;  // the usual case, without comparing strings
    return name == QLatin1StringView("bdSeq") || name.startsWith(QLatin1StringView("Node Control/"));
}

// A metric's integer value (bdSeq), if it has one.
std::optional<qint64> integerOf(const SparkplugMetric &m)
{
    if (!m.isValid() || m.isNull)
        return std::nullopt;
    if (const auto *i = std::get_if<qint64>(&m.value))
        return *i;
    if (const auto *u = std::get_if<quint64>(&m.value); u && *u <= quint64(std::numeric_limits<qint64>::max()))
        return qint64(*u);
    return std::nullopt;
}

qint64 timestampOr(const std::optional<quint64> &ts, qint64 fallback)
{
    return ts && *ts <= quint64(std::numeric_limits<qint64>::max()) ? qint64(*ts) : fallback;
}

struct AliasEntry
{
    QString name;  // empty: no alias here (in the dense table)
    quint32 datatype = 0;
};

// The aliases a BIRTH declared. Edge nodes number them 0, 1, 2, ...: those below a bound
// proportional to the BIRTH's size are in a plain table (one index per DATA metric, the hot
// path), any others in a hash.
class AliasMap
{
public:
    void clear()
    {
        m_dense.clear();
        m_sparse.clear();
    }
    // Prepares for a BIRTH of n metrics.
    void reset(qsizetype n)
    {
        clear();
        m_denseLimit = quint64(4 * n + 64);
    }
    // false when alias is declared already (the first declaration stays).
    bool insert(quint64 alias, const QString &name, quint32 datatype)
    {
        if (alias < m_denseLimit) {
            if (alias >= quint64(m_dense.size()))
                m_dense.resize(qsizetype(alias) + 1);
            AliasEntry &e = m_dense[qsizetype(alias)];
            if (!e.name.isEmpty())
                return false;
            e = AliasEntry{name, datatype};
            return true;
        }
        if (m_sparse.contains(alias))
            return false;
        m_sparse.insert(alias, AliasEntry{name, datatype});
        return true;
    }
    const AliasEntry *find(quint64 alias) const
    {
        if (alias < quint64(m_dense.size())) {
            const AliasEntry &e = m_dense.at(qsizetype(alias));
            return e.name.isEmpty() ? nullptr : &e;
        }
        if (m_sparse.isEmpty())
            return nullptr;
        const auto it = m_sparse.constFind(alias);
        return it == m_sparse.cend() ? nullptr : &it.value();
    }

private:
    QList<AliasEntry> m_dense;
    QHash<quint64, AliasEntry> m_sparse;
    quint64 m_denseLimit = 64;
};

// An edge node or a device: its session and what its last BIRTH declared.
struct Entity : SparkplugCodec::DatatypeLookup
{
    QByteArray path;  // "group/node" or "group/node/device"
    QString id;       // the node's or device's own id
    bool born = false;      // in a session: BIRTH seen, no death since
    bool everBorn = false;  // a BIRTH was seen since FleetDeck started
    SparkplugSession session;
    AliasMap aliases;

    quint32 datatypeOf(const QString &name, bool hasAlias, quint64 alias) const override
    {
        if (hasAlias) {
            if (const AliasEntry *e = aliases.find(alias))
                return e->datatype;
        }
        if (!name.isEmpty()) {
            if (const SparkplugMetricDefinition *def = session.definition(name))
                return def->datatype;
        }
        return 0;
    }
};

struct Device : Entity
{
};

enum class Kind : quint8 { NBirth, NData, DBirth, DData, DDeath };

Type typeOf(Kind kind)
{
    switch (kind) {
    case Kind::NBirth: return Type::NBirth;
    case Kind::NData: return Type::NData;
    case Kind::DBirth: return Type::DBirth;
    case Kind::DData: return Type::DData;
    case Kind::DDeath: return Type::DDeath;
    }
    return Type::NData;
}

// A message held back for the reorder timeout (its payload shared, not copied).
struct Held
{
    int seq = 0;
    Kind kind = Kind::NData;
    QByteArray device;
    QByteArray payload;
    qint64 receivedMs = 0;
};

struct Node : Entity
{
    QString group;
    int lastSeq = 0;  // seq of the last message applied in this session
    std::vector<Held> held;
    qsizetype heldBytes = 0;
    qint64 deadline = 0;  // when what is held is applied anyway; 0: nothing held
    QString holdCause;
    bool holdIsGap = false;
    QHash<QByteArray, std::shared_ptr<Device>> devices;
    std::vector<Device *> deviceOrder;  // the devices in the order they were first seen
    bool rebirthRequested = false;
    qint64 lastRebirthRequestMs = 0;
};

} // namespace

struct SparkplugDecoder::Impl
{
    Impl(const Options &o, const SparkplugLimits &limits)
        : options(o)
        , codec(limits)
    {
    }

    const Options &options;
    SparkplugCodec codec;
    SparkplugValueMapper mapper;
    QHash<QByteArray, std::shared_ptr<Node>> nodes;  // by "group/node"
    QSet<Node *> holding;                             // nodes with held messages
    QByteArray key;                                   // reused for lookups
    SparkplugPayload payload;                         // reused
    QList<TelemetrySample> samples;                   // reused
    QStringList problems;
    QList<quint64> unknownAliases;

    Node *node(QByteArrayView group, QByteArrayView id, bool create);
    Device *device(Node &n, QByteArrayView id, bool create);

    void onNodeBirth(Node &n, const MqttMessage &message, DecodeSink &sink);
    void onNodeDeath(Node &n, const MqttMessage &message, DecodeSink &sink);
    void onSequenced(Node &n, Kind kind, QByteArrayView deviceId, const MqttMessage &message, DecodeSink &sink);

    enum class Applied { Done, Blocked };
    // Applies the message the codec holds; Blocked (nothing applied, *cause set) when a
    // DATA metric names an alias not known and force is false.
    Applied apply(Node &n, Kind kind, QByteArrayView deviceId, qint64 receivedMs, DecodeSink &sink, bool force,
                  QString *cause);
    void hold(Node &n, int seq, Kind kind, QByteArrayView deviceId, const MqttMessage &message, const QString &cause,
              bool gap);
    void drain(Node &n, DecodeSink &sink);
    void flush(Node &n, DecodeSink &sink, qint64 nowMs, bool timedOut);
    void requestRebirth(Node &n, const QString &cause, qint64 nowMs, DecodeSink &sink);
    void kill(Entity &e, qint64 tsMs, bool count, DecodeSink &sink);
    void killDevices(Node &n, qint64 tsMs, bool count, DecodeSink &sink);
    void birth(Entity &e, const Node &n, qint64 bdSeq, qint64 receivedMs, DecodeSink &sink, int handle);
    void emitMetrics(Node &n, Entity &e, int handle, qint64 receivedMs, Kind kind, QByteArrayView deviceId,
                     DecodeSink &sink);
    void rejectPath(DecodeSink &sink, const QByteArray &path, RejectReason reason, const QString &detail);
    static QString what(Kind kind, const Node &n, QByteArrayView deviceId);
};

// --- lookups -------------------------------------------------------------------------------

Node *SparkplugDecoder::Impl::node(QByteArrayView group, QByteArrayView id, bool create)
{
    key.resize(0);  // keeps the capacity
    key.append(group).append('/').append(id);
    const auto it = nodes.constFind(key);
    if (it != nodes.cend())
        return it->get();
    if (!create || nodes.size() >= kMaxNodes)
        return nullptr;
    auto n = std::make_shared<Node>();
    n->path = key;
    n->path.detach();
    n->id = QString::fromUtf8(id);
    n->group = QString::fromUtf8(group);
    Node *raw = n.get();
    nodes.insert(n->path, std::move(n));
    return raw;
}

Device *SparkplugDecoder::Impl::device(Node &n, QByteArrayView id, bool create)
{
    const auto it = n.devices.constFind(QByteArray::fromRawData(id.data(), id.size()));
    if (it != n.devices.cend())
        return it->get();
    if (!create || n.devices.size() >= kMaxDevicesPerNode)
        return nullptr;
    auto dev = std::make_shared<Device>();
    dev->path = n.path + '/' + id.toByteArray();
    dev->id = QString::fromUtf8(id);
    Device *raw = dev.get();
    n.devices.insert(id.toByteArray(), std::move(dev));
    n.deviceOrder.push_back(raw);
    return raw;
}

QString SparkplugDecoder::Impl::what(Kind kind, const Node &n, QByteArrayView deviceId)
{
    const QString type = SparkplugTopic::typeName(typeOf(kind));
    if (kind == Kind::NData || kind == Kind::NBirth)
        return type + QStringLiteral(" of ") + n.id;
    return type + QStringLiteral(" of ") + QString::fromUtf8(deviceId);
}

void SparkplugDecoder::Impl::rejectPath(DecodeSink &sink, const QByteArray &path, RejectReason reason,
                                        const QString &detail)
{
    const int h = sink.device(path);
    if (h >= 0)
        sink.reject(h, reason, detail);
}

// --- sessions ------------------------------------------------------------------------------

void SparkplugDecoder::Impl::requestRebirth(Node &n, const QString &cause, qint64 nowMs, DecodeSink &sink)
{
    if (n.rebirthRequested && nowMs >= n.lastRebirthRequestMs
        && nowMs - n.lastRebirthRequestMs < options.rebirthRetryMs) {
        qCDebug(lcSparkplug) << "rebirth of" << n.path << "not requested again so soon:" << cause;
        return;
    }
    const auto command = SparkplugCommandBuilder::rebirth(QString::fromUtf8(n.path), nowMs);
    if (!command)
        return;
    qCInfo(lcSparkplug) << "requesting a rebirth of" << n.path << ":" << cause;
    sink.sendToDevice(n.path, command->name, command->topic, command->payload, cause);
    n.rebirthRequested = true;
    n.lastRebirthRequestMs = nowMs;
    n.session.lastRebirthCause = cause;
    n.session.lastRebirthMs = nowMs;
    if (n.everBorn) {  // a node never born in this run is not created by a request
        const int h = sink.device(n.path);
        if (h >= 0)
            sink.session(h, n.session);
    }
}

void SparkplugDecoder::Impl::kill(Entity &e, qint64 tsMs, bool count, DecodeSink &sink)
{
    if (!e.born)
        return;
    e.born = false;
    e.aliases.clear();
    const int h = sink.device(e.path);
    if (count) {
        ++e.session.deaths;
        e.session.lastDeathMs = tsMs;
    }
    if (h < 0)
        return;
    sink.death(h, tsMs);
    if (count)
        sink.session(h, e.session);
}

void SparkplugDecoder::Impl::killDevices(Node &n, qint64 tsMs, bool count, DecodeSink &sink)
{
    for (Device *dev : n.deviceOrder)
        kill(*dev, tsMs, count, sink);
}

void SparkplugDecoder::Impl::birth(Entity &e, const Node &n, qint64 bdSeq, qint64 receivedMs, DecodeSink &sink,
                                   int handle)
{
    const bool first = !e.everBorn;
    e.born = true;
    e.everBorn = true;
    e.session.bdSeq = bdSeq;
    ++e.session.births;
    e.session.lastBirthMs = receivedMs;

    auto defs = std::make_shared<SparkplugMetricDefinitions>();
    defs->reserve(payload.metrics.size());
    e.aliases.reset(payload.metrics.size());
    DeviceStatus status;
    status.deviceId = sink.deviceId(handle);
    status.online = true;
    for (const SparkplugMetric &m : std::as_const(payload.metrics)) {
        if (m.name.isEmpty())
            continue;
        SparkplugMetricDefinition def;
        def.hasAlias = m.alias.has_value();
        def.alias = m.alias.value_or(0);
        def.datatype = m.datatype;
        def.integerInLongValue = m.integerInLongValue;
        bool readOnly = false;
        if (m.properties) {
            if (const SparkplugPropertyValue *p = m.properties->value(u"readOnly")) {
                const bool *b = std::get_if<bool>(&p->value);
                readOnly = b && *b;
            }
        }
        def.writable = m.isValid() && sparkplugIsScalar(m.datatype) && !isControlMetric(m.name) && !readOnly;
        defs->insert(m.name, def);
        if (def.hasAlias && !e.aliases.insert(def.alias, m.name, m.datatype))
            qCDebug(lcSparkplug) << e.path << "declares alias" << def.alias << "twice; kept" << e.aliases.find(def.alias)->name;
        // Properties/* attributes (String metrics)
        const auto *text = std::get_if<QString>(&m.value);
        if (!text || !m.isValid() || !m.name.startsWith(QLatin1StringView("Properties/")))
            continue;
        const QString value = SparkplugValueMapper::bounded(*text, PayloadCodec::kMaxAttributeLength);
        if (m.name == u"Properties/Name")
            status.name = value;
        else if (m.name == u"Properties/Model")
            status.model = value;
        else if (m.name == u"Properties/Firmware")
            status.fwVersion = value;
        else if (m.name == u"Properties/Site")
            status.site = value;
    }
    e.session.metrics = std::move(defs);
    if (first) {
        if (!status.name)
            status.name = e.id;
        if (!status.site)
            status.site = n.group;
    }
    sink.status(handle, status);
    sink.session(handle, e.session);
}

void SparkplugDecoder::Impl::emitMetrics(Node &n, Entity &e, int handle, qint64 receivedMs, Kind kind,
                                         QByteArrayView deviceId, DecodeSink &sink)
{
    const qint64 base = timestampOr(payload.timestamp, receivedMs);
    samples.clear();
    problems.clear();
    unknownAliases.clear();
    // One sample per distinct (timestamp, historical, transient); usually just one.
    struct Key
    {
        qint64 ts;
        bool historical;
        bool transient;
    };
    QVarLengthArray<Key, 4> keys;
    for (const SparkplugMetric &m : std::as_const(payload.metrics)) {
        const QString *name = &m.name;
        if (name->isEmpty()) {
            if (!m.alias) {
                problems.append(QStringLiteral("a metric without name or alias"));
                continue;
            }
            const AliasEntry *entry = e.aliases.find(*m.alias);
            if (!entry) {
                unknownAliases.append(*m.alias);
                continue;
            }
            name = &entry->name;
        }
        if (isControlMetric(*name))
            continue;  // session facts and commands, not readings
        if (name->size() > SparkplugValueMapper::kMaxNameLength) {
            problems.append(SparkplugValueMapper::bounded(*name, 128)
                            + QStringLiteral(": a name longer than %1 characters").arg(SparkplugValueMapper::kMaxNameLength));
            continue;
        }
        const Key k{timestampOr(m.timestamp, base), m.isHistorical, m.isTransient};
        qsizetype at = 0;
        while (at < keys.size()
               && (keys[at].ts != k.ts || keys[at].historical != k.historical || keys[at].transient != k.transient))
            ++at;
        if (at == keys.size()) {
            keys.append(k);
            TelemetrySample s;
            s.timestampMs = k.ts;
            s.seq = 0;  // Sparkplug's seq is the node's, not the device's: not FleetState's gap counter
            s.metrics.reserve(at == 0 ? payload.metrics.size() : 4);
            samples.append(std::move(s));
        }
        mapper.append(*name, m, &samples[at].metrics, &problems);
    }
    // Historical values first: the current ones of the same message are the latest.
    for (int pass = 0; pass < 2; ++pass) {
        for (qsizetype i = 0; i < samples.size(); ++i) {
            if (keys[i].historical == (pass == 0) && !samples[i].metrics.isEmpty())
                sink.metrics(handle, std::move(samples[i]));
        }
    }
    samples.clear();
    if (!problems.isEmpty()) {
        QString detail = QStringLiteral("%1 (%2 metric%3 left out): ")
                             .arg(what(kind, n, deviceId))
                             .arg(problems.size())
                             .arg(problems.size() == 1 ? QString() : QStringLiteral("s"));
        detail += problems.mid(0, kMaxProblemsShown).join(QStringLiteral("; "));
        if (problems.size() > kMaxProblemsShown)
            detail += QStringLiteral("; …");
        sink.reject(handle, RejectReason::UnsupportedMetric, detail);
    }
    if (!unknownAliases.isEmpty()) {
        QStringList shown;
        for (qsizetype i = 0; i < unknownAliases.size() && i < kMaxAliasesShown; ++i)
            shown.append(QString::number(unknownAliases.at(i)));
        if (unknownAliases.size() > kMaxAliasesShown)
            shown.append(QStringLiteral("…"));
        const QString cause = QStringLiteral("unknown alias%1 %2 in %3")
                                  .arg(unknownAliases.size() == 1 ? QString() : QStringLiteral("es"),
                                       shown.join(QStringLiteral(", ")), what(kind, n, deviceId));
        sink.reject(handle, RejectReason::UnknownAlias, cause);
        requestRebirth(n, cause, receivedMs, sink);
    }
}

SparkplugDecoder::Impl::Applied SparkplugDecoder::Impl::apply(Node &n, Kind kind, QByteArrayView deviceId,
                                                              qint64 receivedMs, DecodeSink &sink, bool force,
                                                              QString *cause)
{
    auto firstUnknownAlias = [this](const Entity &e) -> std::optional<quint64> {
        for (const SparkplugMetric &m : std::as_const(payload.metrics)) {
            if (m.name.isEmpty() && m.alias && !e.aliases.find(*m.alias))
                return *m.alias;
        }
        return std::nullopt;
    };

    switch (kind) {
    case Kind::NBirth:  // not sequenced: onNodeBirth()
        return Applied::Done;
    case Kind::NData: {
        codec.read(&payload, &n);
        if (!force) {
            if (const auto alias = firstUnknownAlias(n)) {
                *cause = QStringLiteral("unknown alias %1 in %2").arg(*alias).arg(what(kind, n, deviceId));
                return Applied::Blocked;
            }
        }
        const int h = sink.device(n.path);
        if (h >= 0)
            emitMetrics(n, n, h, receivedMs, kind, deviceId, sink);
        return Applied::Done;
    }
    case Kind::DData: {
        Device *dev = device(n, deviceId, false);
        if (!dev || !dev->born) {
            const QString why = QStringLiteral("%1 before its DBIRTH in the edge node's session").arg(what(kind, n, deviceId));
            rejectPath(sink, n.path + '/' + deviceId.toByteArray(), RejectReason::NoSession, why);
            requestRebirth(n, why, receivedMs, sink);
            return Applied::Done;
        }
        codec.read(&payload, dev);
        if (!force) {
            if (const auto alias = firstUnknownAlias(*dev)) {
                *cause = QStringLiteral("unknown alias %1 in %2").arg(*alias).arg(what(kind, n, deviceId));
                return Applied::Blocked;
            }
        }
        const int h = sink.device(dev->path);
        if (h >= 0)
            emitMetrics(n, *dev, h, receivedMs, kind, deviceId, sink);
        return Applied::Done;
    }
    case Kind::DBirth: {
        Device *dev = device(n, deviceId, true);
        if (!dev) {
            rejectPath(sink, n.path + '/' + deviceId.toByteArray(), RejectReason::DeviceLimit,
                       QStringLiteral("edge node %1 already has %2 devices").arg(n.id).arg(kMaxDevicesPerNode));
            return Applied::Done;
        }
        codec.read(&payload, nullptr);
        const int h = sink.device(dev->path);
        if (h < 0)
            return Applied::Done;
        birth(*dev, n, n.session.bdSeq, receivedMs, sink, h);
        emitMetrics(n, *dev, h, receivedMs, kind, deviceId, sink);
        return Applied::Done;
    }
    case Kind::DDeath: {
        Device *dev = device(n, deviceId, false);
        if (!dev || !dev->born) {
            qCDebug(lcSparkplug) << "DDEATH of" << n.path << deviceId << "without a session: ignored";
            return Applied::Done;
        }
        // The device's death time is the DDEATH's timestamp (the node wrote it when the
        // device went away), not later than its arrival.
        const SparkplugCodec::Header header = codec.header();
        const qint64 ts = qMin(timestampOr(header.timestamp, receivedMs), receivedMs);
        kill(*dev, ts > 0 ? ts : receivedMs, true, sink);
        return Applied::Done;
    }
    }
    return Applied::Done;
}

// --- reordering --------------------------------------------------------------------------

void SparkplugDecoder::Impl::hold(Node &n, int seq, Kind kind, QByteArrayView deviceId, const MqttMessage &message,
                                  const QString &cause, bool gap)
{
    for (const Held &h : n.held) {
        if (h.seq == seq) {
            qCDebug(lcSparkplug) << "seq" << seq << "of" << n.path << "is held already: duplicate dropped";
            return;
        }
    }
    if (n.held.empty()) {
        n.deadline = message.receivedMs + qMax<qint64>(0, options.reorderTimeoutMs);
        if (n.deadline == 0)
            n.deadline = 1;
        n.holdCause = cause;
        n.holdIsGap = gap;
        holding.insert(&n);
    }
    n.held.push_back(Held{seq, kind, deviceId.toByteArray(), message.payload, message.receivedMs});
    n.heldBytes += message.payload.size();
}

void SparkplugDecoder::Impl::drain(Node &n, DecodeSink &sink)
{
    while (!n.held.empty()) {
        const int expected = (n.lastSeq + 1) & 0xff;
        const auto it = std::find_if(n.held.begin(), n.held.end(), [expected](const Held &h) { return h.seq == expected; });
        if (it == n.held.end())
            break;
        DecodeError error;
        if (!codec.parse(it->payload, &error)) {  // parsed once already: cannot happen
            n.heldBytes -= it->payload.size();
            n.held.erase(it);
            n.lastSeq = expected;
            continue;
        }
        QString cause;
        if (apply(n, it->kind, it->device, it->receivedMs, sink, false, &cause) == Applied::Blocked) {
            if (n.holdIsGap) {  // the gap is filled; now an alias holds it up
                n.holdCause = cause;
                n.holdIsGap = false;
            }
            break;
        }
        n.heldBytes -= it->payload.size();
        n.held.erase(it);
        n.lastSeq = expected;
    }
    if (n.held.empty()) {
        n.heldBytes = 0;
        n.deadline = 0;
        n.holdCause.clear();
        holding.remove(&n);
    }
}

void SparkplugDecoder::Impl::flush(Node &n, DecodeSink &sink, qint64 nowMs, bool timedOut)
{
    if (n.held.empty())
        return;
    std::vector<Held> held = std::move(n.held);
    const QString cause = n.holdCause;
    const bool gap = n.holdIsGap;
    n.held.clear();
    n.heldBytes = 0;
    n.deadline = 0;
    n.holdCause.clear();
    holding.remove(&n);

    const int expected = (n.lastSeq + 1) & 0xff;
    std::sort(held.begin(), held.end(), [expected](const Held &a, const Held &b) {
        return ((a.seq - expected) & 0xff) < ((b.seq - expected) & 0xff);
    });
    if (timedOut && gap) {
        const int h = sink.device(n.path);
        if (h >= 0)
            sink.reject(h, RejectReason::SequenceGap, cause);
    }
    for (const Held &m : held) {
        DecodeError error;
        if (codec.parse(m.payload, &error)) {
            QString ignored;
            apply(n, m.kind, m.device, m.receivedMs, sink, true, &ignored);
        }
        n.lastSeq = m.seq;
    }
    if (timedOut)
        requestRebirth(n, cause, nowMs, sink);
}

// --- messages ------------------------------------------------------------------------------

void SparkplugDecoder::Impl::onNodeBirth(Node &n, const MqttMessage &message, DecodeSink &sink)
{
    const int h = sink.device(n.path);
    if (h < 0)
        return;
    const SparkplugCodec::Header header = codec.header();
    if (!header.seq) {
        sink.reject(h, RejectReason::MissingField, QStringLiteral("NBIRTH without seq"));
        return;
    }
    if (*header.seq > 255) {
        sink.reject(h, RejectReason::WrongType, QStringLiteral("NBIRTH seq %1 is not 0-255").arg(*header.seq));
        return;
    }
    const int seq = int(*header.seq);
    codec.read(&payload, nullptr);
    std::optional<qint64> bdSeq;
    for (const SparkplugMetric &m : std::as_const(payload.metrics)) {
        if (m.name == bdSeqName()) {
            bdSeq = integerOf(m);
            break;
        }
    }
    if (!bdSeq) {
        sink.reject(h, RejectReason::MissingField, QStringLiteral("NBIRTH without an integer bdSeq metric"));
        return;
    }

    // The old session: what is held of it is applied first (real readings), except the
    // messages that continue this birth's seq (they overtook it).
    if (!n.held.empty()) {
        std::vector<Held> next;
        for (int k = 1; k < 256; ++k) {
            const int s = (seq + k) & 0xff;
            const auto it = std::find_if(n.held.begin(), n.held.end(), [s](const Held &x) { return x.seq == s; });
            if (it == n.held.end())
                break;
            n.heldBytes -= it->payload.size();
            next.push_back(std::move(*it));
            n.held.erase(it);
        }
        flush(n, sink, message.receivedMs, false);
        for (Held &x : next) {
            if (n.held.empty()) {
                n.deadline = message.receivedMs + qMax<qint64>(1, options.reorderTimeoutMs);
                n.holdCause = QStringLiteral("seq gap after NBIRTH %1").arg(seq);
                n.holdIsGap = true;
                holding.insert(&n);
            }
            n.heldBytes += x.payload.size();
            n.held.push_back(std::move(x));
        }
        DecodeError error;
        codec.parse(message.payload, &error);  // flush() parsed others
        codec.read(&payload, nullptr);
    }
    // A new NBIRTH invalidates the node's devices until their DBIRTH: offline and STALE from
    // now on (not counted as deaths).
    killDevices(n, message.receivedMs, false, sink);
    n.lastSeq = seq;
    birth(n, n, *bdSeq, message.receivedMs, sink, h);
    emitMetrics(n, n, h, message.receivedMs, Kind::NBirth, {}, sink);
    if (!n.held.empty())
        drain(n, sink);
}

void SparkplugDecoder::Impl::onNodeDeath(Node &n, const MqttMessage &message, DecodeSink &sink)
{
    codec.read(&payload, nullptr);
    std::optional<qint64> bdSeq;
    for (const SparkplugMetric &m : std::as_const(payload.metrics)) {
        if (m.name == bdSeqName()) {
            bdSeq = integerOf(m);
            break;
        }
    }
    if (!bdSeq) {
        rejectPath(sink, n.path, RejectReason::MissingField, QStringLiteral("NDEATH without an integer bdSeq metric"));
        return;
    }
    if (!n.born) {
        qCDebug(lcSparkplug) << "NDEATH of" << n.path << "without a current session: ignored";
        return;
    }
    if (*bdSeq != n.session.bdSeq) {
        qCInfo(lcSparkplug) << "NDEATH of" << n.path << "with bdSeq" << *bdSeq << "of an older session (current"
                            << n.session.bdSeq << "): ignored";
        return;
    }
    flush(n, sink, message.receivedMs, false);
    // An NDEATH is the Will the node registered when it connected: its timestamp is not the
    // time of death, its arrival is.
    kill(n, message.receivedMs, true, sink);
    killDevices(n, message.receivedMs, true, sink);
}

void SparkplugDecoder::Impl::onSequenced(Node &n, Kind kind, QByteArrayView deviceId, const MqttMessage &message,
                                         DecodeSink &sink)
{
    if (!n.born) {
        if (kind == Kind::DDeath) {
            qCDebug(lcSparkplug) << "DDEATH of" << n.path << deviceId << "without a node session: ignored";
            return;
        }
        const QString why = QStringLiteral("%1 without a session of edge node %2 (no NBIRTH since FleetDeck "
                                           "connected, or since its death)")
                                .arg(what(kind, n, deviceId), n.id);
        rejectPath(sink, kind == Kind::NData ? n.path : n.path + '/' + deviceId.toByteArray(), RejectReason::NoSession, why);
        requestRebirth(n, why, message.receivedMs, sink);
        return;
    }
    const SparkplugCodec::Header header = codec.header();
    if (!header.seq || *header.seq > 255) {
        const QString type = SparkplugTopic::typeName(typeOf(kind));
        rejectPath(sink, kind == Kind::NData ? n.path : n.path + '/' + deviceId.toByteArray(),
                   header.seq ? RejectReason::WrongType : RejectReason::MissingField,
                   header.seq ? QStringLiteral("%1 seq %2 is not 0-255").arg(type).arg(*header.seq)
                              : QStringLiteral("%1 without seq").arg(type));
        return;
    }
    const int seq = int(*header.seq);
    if (seq == n.lastSeq) {  // at most 128 are held, so never a whole wrap ahead: a redelivery
        qCDebug(lcSparkplug) << "seq" << seq << "of" << n.path << "again: duplicate dropped";
        return;
    }
    const int expected = (n.lastSeq + 1) & 0xff;
    if (n.held.empty() && seq == expected) {
        QString cause;
        if (apply(n, kind, deviceId, message.receivedMs, sink, false, &cause) == Applied::Done)
            n.lastSeq = seq;
        else
            hold(n, seq, kind, deviceId, message, cause, false);
        return;
    }
    hold(n, seq, kind, deviceId, message, QStringLiteral("seq gap: expected %1, got %2").arg(expected).arg(seq), true);
    drain(n, sink);
    if (int(n.held.size()) > kMaxHeldMessages || n.heldBytes > kMaxHeldBytes)
        flush(n, sink, message.receivedMs, true);
}

// --- SparkplugDecoder ------------------------------------------------------------------------

SparkplugDecoder::SparkplugDecoder(const Options &options)
    : m_options(options)
{
    SparkplugLimits limits;
    if (m_options.maxPayloadBytes > 0)
        limits.maxPayloadBytes = m_options.maxPayloadBytes;
    else
        m_options.maxPayloadBytes = limits.maxPayloadBytes;
    d = std::make_unique<Impl>(m_options, limits);
}

SparkplugDecoder::~SparkplugDecoder() = default;

QString SparkplugDecoder::protocolName() const
{
    return QStringLiteral("sparkplug-b");
}

QStringList SparkplugDecoder::subscriptions() const
{
    return {QStringLiteral("spBv1.0/#")};
}

bool SparkplugDecoder::claims(QByteArrayView topic) const
{
    return topic.startsWith(SparkplugTopic::kNamespace);
}

void SparkplugDecoder::decode(const MqttMessage &message, DecodeSink &sink)
{
    const SparkplugTopic topic = SparkplugTopic::parse(message.topic);
    switch (topic.type) {
    case Type::State:
    case Type::NCmd:
    case Type::DCmd:
        return;  // host applications' state and commands (ours or another host's): not device data
    case Type::Invalid:
        sink.reject(-1, topic.problem == SparkplugTopic::Problem::BadId ? RejectReason::BadDeviceId : RejectReason::UnknownTopic,
                    topic.detail);
        return;
    default:
        break;
    }
    Node *n = d->node(topic.group, topic.node, true);
    if (!n) {
        QByteArray path = topic.group.toByteArray() + '/' + topic.node.toByteArray();
        if (topic.isDeviceMessage())
            path += '/' + topic.device.toByteArray();
        d->rejectPath(sink, path, RejectReason::DeviceLimit,
                      QStringLiteral("this connection already has %1 Sparkplug edge nodes").arg(kMaxNodes));
        return;
    }
    const qsizetype bytes = message.payloadBytes();
    if (message.discardedPayloadBytes > 0 || bytes > m_options.maxPayloadBytes) {
        d->rejectPath(sink, topic.isDeviceMessage() ? n->path + '/' + topic.device.toByteArray() : n->path,
                      RejectReason::Oversize,
                      QStringLiteral("payload of %1 bytes, the limit is %2").arg(bytes).arg(m_options.maxPayloadBytes));
        return;
    }
    DecodeError error;
    if (!d->codec.parse(message.payload, &error)) {
        qCDebug(lcSparkplug) << "rejected" << message.topic << error.detail;
        d->rejectPath(sink, topic.isDeviceMessage() ? n->path + '/' + topic.device.toByteArray() : n->path,
                      error.reason, error.detail);
        return;
    }
    switch (topic.type) {
    case Type::NBirth: d->onNodeBirth(*n, message, sink); return;
    case Type::NDeath: d->onNodeDeath(*n, message, sink); return;
    case Type::NData: d->onSequenced(*n, Kind::NData, {}, message, sink); return;
    case Type::DBirth: d->onSequenced(*n, Kind::DBirth, topic.device, message, sink); return;
    case Type::DData: d->onSequenced(*n, Kind::DData, topic.device, message, sink); return;
    case Type::DDeath: d->onSequenced(*n, Kind::DDeath, topic.device, message, sink); return;
    default: return;
    }
}

qint64 SparkplugDecoder::nextDeadlineMs() const
{
    qint64 next = 0;
    for (const Node *n : std::as_const(d->holding)) {
        if (n->deadline > 0 && (next == 0 || n->deadline < next))
            next = n->deadline;
    }
    return next;
}

void SparkplugDecoder::tick(qint64 nowMs, DecodeSink &sink)
{
    if (d->holding.isEmpty())
        return;
    QList<Node *> due;
    for (Node *n : std::as_const(d->holding)) {
        if (n->deadline > 0 && n->deadline <= nowMs)
            due.append(n);
    }
    std::sort(due.begin(), due.end(), [](const Node *a, const Node *b) { return a->path < b->path; });  // deterministic
    for (Node *n : std::as_const(due))
        d->flush(*n, sink, nowMs, true);
}

void SparkplugDecoder::connectionChanged(bool up, qint64 tsMs, DecodeSink &sink)
{
    if (up)
        return;  // sessions come with births
    QList<Node *> all;
    all.reserve(d->nodes.size());
    for (const std::shared_ptr<Node> &n : std::as_const(d->nodes))
        all.append(n.get());
    std::sort(all.begin(), all.end(), [](const Node *a, const Node *b) { return a->path < b->path; });
    for (Node *n : std::as_const(all)) {
        d->flush(*n, sink, tsMs, false);  // received before the loss: applied
        d->kill(*n, tsMs, true, sink);
        d->killDevices(*n, tsMs, true, sink);
        n->rebirthRequested = false;  // after the reconnection a request may go out at once
    }
}

} // namespace fd
