// Fuzz target: the saved connection profiles (ProfileStore over QSettings), read from a
// settings file that the user or another program may have edited, with the parsers on that
// path: BrokerUrl::parse (the profile's broker address, also what --broker and the dialog
// take) and ProfileSecrets::decode (the keychain entry of a profile's secret).
// Input: the settings file (INI). It is written to one file of a temporary folder made
// once per process (on /dev/shm when there is one), overwritten per input, and read
// through QSettings as FleetDeck reads its settings. QSettings keeps a file's contents in
// a cache by name and reads it again only when its size or modification time changed: each
// input gets a modification time of its own (a new file name per input instead would leave
// a cache entry behind each time, and libFuzzer then runs its leak check on every input).
//
// Checked per input:
//  - ProfileStore::profiles(): names non-empty (not only white space) and unique; names()
//    and profile(name) agree with it; the broker either absent (no host: shown empty for
//    editing, refused at connect with "no broker address configured") or a usable BrokerUrl
//    (below); MQTT version 3 or 5, QoS 0..2, keep alive 0..65,535 s (MQTT's 16 bits),
//    Sparkplug reorder timeout 0..60,000 ms; a plain-text password confirmation only for a
//    plain TCP broker.
//  - No secret comes from the file: before the input (after its byte order mark, if any)
//    the target writes, for the first 32 profile entries, keys a careless reader might take
//    secrets from (password, keyPassphrase, ...) with a marker value, then "[General]" (where
//    keys before any section go); no field of any profile holds the marker. (Written after
//    the input, an unclosed quote of its last value could take them in.)
//  - Save -> read: the profiles that save() accepts (a host, a name), saved one by one into
//    a new file by ProfileStore, read back the same, in the same order.
//  - BrokerUrl::parse on every line of the file and on the value after '=': a refusal has a
//    reason; an accepted address has a host of valid characters and a port in 1..65535, and
//    toString(), pahoUri() and identity() parse back to it (identity() to the same identity).
//  - ProfileSecrets::decode on the whole input: a value bound to a broker comes only from
//    FleetDeck's envelope; an unbound value is the stored text itself; encode -> decode
//    gives the same value and broker.
#include "fuzz_support.h"

#include "core/settings/profile_secrets.h"
#include "core/settings/profile_store.h"
#include "core/transport/broker_url.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSet>
#include <QSettings>
#include <QTemporaryDir>

#include <memory>

using namespace fd;

namespace {

// Not in the seeds nor the dictionary: the fuzzer does not write it by chance.
constexpr char kSecretMarker[] = "fd-fuzz-secret-7c1e4a";
constexpr int kMarkedEntries = 32;

QTemporaryDir *g_dir = nullptr;
qint64 g_inputs = 0;

// Keys beside the profile's documented ones where someone might have put a secret (made
// once: the same for every input).
QByteArray makeSecretKeys()
{
    QByteArray text = "[General]\npassword=" + QByteArray(kSecretMarker) + "\n[profiles]\n";
    for (int i = 1; i <= kMarkedEntries; ++i) {
        for (const char *key : {"password", "keyPassphrase", "key-passphrase", "tls\\keyPassphrase", "tls\\password",
                                "secret"})
            text += QByteArray::number(i) + '\\' + key + '=' + kSecretMarker + '\n';
    }
    return text + "[General]\n";
}

bool isHostChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'.' || c == u'-' || c == u'_';
}

bool sameUrl(const BrokerUrl &a, const BrokerUrl &b)
{
    return a.host == b.host && a.port == b.port && a.tls == b.tls;
}

void checkUrl(const QString &text)
{
    QString why;
    const std::optional<BrokerUrl> url = BrokerUrl::parse(text, &why);
    if (!url) {
        FD_FUZZ_CHECK(!why.isEmpty(), "a broker address refused without a reason");
        return;
    }
    FD_FUZZ_CHECK(!url->host.isEmpty() && url->port >= 1, "an accepted address without a host or port");
    const bool ipv6 = url->host.contains(u':');
    for (QChar c : url->host)
        FD_FUZZ_CHECK(ipv6 ? (c.isDigit() || QStringLiteral("abcdefABCDEF:.%").contains(c)) : isHostChar(c),
                      "a host with a character the syntax does not allow");
    for (const QString &again : {url->toString(), url->pahoUri()}) {
        const std::optional<BrokerUrl> back = BrokerUrl::parse(again, &why);
        FD_FUZZ_CHECK(back && sameUrl(*back, *url), "toString() or pahoUri() does not parse back to the address");
    }
    const std::optional<BrokerUrl> identity = BrokerUrl::parse(url->identity(), &why);
    if (!identity || identity->identity() != url->identity())
        std::fprintf(stderr, "address %s: identity %s, read back as %s (%s)\n", qPrintable(text),
                     qPrintable(url->identity()), identity ? qPrintable(identity->identity()) : "nothing", qPrintable(why));
    FD_FUZZ_CHECK(identity && identity->identity() == url->identity(), "identity() does not parse back to itself");
}

bool holdsMarker(const ConnectionProfile &p)
{
    const QLatin1StringView marker(kSecretMarker);
    for (const QString *s : {&p.name, &p.broker.host, &p.username, &p.clientId, &p.topicPrefix, &p.caFile,
                             &p.clientCertFile, &p.clientKeyFile, &p.sparkplugHostId}) {
        if (s->contains(marker))
            return true;
    }
    return false;
}

bool sameProfile(const ConnectionProfile &a, const ConnectionProfile &b)
{
    return a.name == b.name && sameUrl(a.broker, b.broker) && a.username == b.username && a.clientId == b.clientId
           && a.topicPrefix == b.topicPrefix && a.mqttVersion == b.mqttVersion && a.keepAliveSeconds == b.keepAliveSeconds
           && a.qos == b.qos && a.caFile == b.caFile && a.clientCertFile == b.clientCertFile
           && a.clientKeyFile == b.clientKeyFile && a.verifyHostname == b.verifyHostname
           && a.persistentSession == b.persistentSession && a.sparkplug == b.sparkplug
           && a.sparkplugHostId == b.sparkplugHostId && a.sparkplugReorderTimeoutMs == b.sparkplugReorderTimeoutMs
           && a.allowPlaintextPassword == b.allowPlaintextPassword;
}

// On a failed comparison: what the two profiles hold, to see which field changed.
void print(const char *what, const ConnectionProfile &p)
{
    QStringList fields;
    for (const QString *f : {&p.name, &p.broker.host, &p.username, &p.clientId, &p.topicPrefix, &p.caFile,
                             &p.clientCertFile, &p.clientKeyFile, &p.sparkplugHostId})
        fields << QString::fromLatin1(f->toUtf8().toPercentEncoding());
    std::fprintf(stderr, "%s: %s port %d tls %d v%d ka %d qos %d %d%d%d reorder %d plain %d\n", what,
                 qPrintable(fields.join(u' ')), int(p.broker.port), int(p.broker.tls), p.mqttVersion,
                 p.keepAliveSeconds, p.qos, int(p.verifyHostname), int(p.persistentSession), int(p.sparkplug),
                 p.sparkplugReorderTimeoutMs, int(p.allowPlaintextPassword));
}

void checkSameProfile(const ConnectionProfile &a, const ConnectionProfile &b, const char *what)
{
    if (!sameProfile(a, b)) {
        print("read", a);
        print("then", b);
    }
    FD_FUZZ_CHECK(sameProfile(a, b), what);
}

void checkProfiles(QByteArrayView input)
{
    const QString path = g_dir->filePath(QStringLiteral("in.ini"));
    {
        QFile file(path);
        FD_FUZZ_CHECK(file.open(QIODevice::WriteOnly | QIODevice::Truncate), "cannot write the settings file");
        static const QByteArray secretKeys = makeSecretKeys();
        const QByteArrayView bom("\xEF\xBB\xBF");
        const QByteArrayView body = input.startsWith(bom) ? input.sliced(bom.size()) : input;
        if (body.size() != input.size())
            file.write(bom.data(), bom.size());
        file.write(secretKeys);
        file.write(body.data(), body.size());
        file.flush();
        // 2020-01-01 plus one millisecond per input: QSettings reads this input, not its cache.
        FD_FUZZ_CHECK(file.setFileTime(QDateTime::fromMSecsSinceEpoch(1577836800000 + ++g_inputs, Qt::UTC),
                                       QFileDevice::FileModificationTime),
                      "cannot set the settings file's time");
    }
    const bool markerInInput = input.toByteArray().contains(kSecretMarker);
    QList<ConnectionProfile> saveable;
    {
        QSettings settings(path, QSettings::IniFormat);
        const ProfileStore store(settings);
        const QList<ConnectionProfile> profiles = store.profiles();
        QSet<QString> names;
        QStringList ordered;
        for (const ConnectionProfile &p : profiles) {
            FD_FUZZ_CHECK(!p.name.trimmed().isEmpty(), "a profile without a name");
            FD_FUZZ_CHECK(!names.contains(p.name), "two profiles of one name");
            names.insert(p.name);
            ordered.append(p.name);
            if (!p.broker.host.isEmpty()) {
                checkUrl(p.broker.toString());
                const std::optional<BrokerUrl> back = BrokerUrl::parse(p.broker.toString());
                FD_FUZZ_CHECK(back && sameUrl(*back, p.broker), "a profile's broker is not a usable address");
            } else {
                FD_FUZZ_CHECK(!p.allowPlaintextPassword, "a plain-text confirmation without a broker");
            }
            FD_FUZZ_CHECK(p.mqttVersion == 3 || p.mqttVersion == 5, "an MQTT version other than 3 or 5");
            FD_FUZZ_CHECK(p.qos >= 0 && p.qos <= 2, "a QoS outside 0..2");
            FD_FUZZ_CHECK(p.keepAliveSeconds >= 0 && p.keepAliveSeconds <= 65535, "a keep alive outside 0..65535 s");
            FD_FUZZ_CHECK(p.sparkplugReorderTimeoutMs >= 0 && p.sparkplugReorderTimeoutMs <= 60000,
                          "a reorder timeout outside 0..60000 ms");
            FD_FUZZ_CHECK(!p.allowPlaintextPassword || !p.broker.tls, "a plain-text confirmation for a TLS broker");
            FD_FUZZ_CHECK(markerInInput || !holdsMarker(p), "a secret read from the settings file");
            const std::optional<ConnectionProfile> byName = store.profile(p.name);
            FD_FUZZ_CHECK(byName.has_value(), "profile(name) does not find a listed profile");
            checkSameProfile(p, *byName, "profile(name) is not the listed profile");
            if (!p.broker.host.isEmpty())
                saveable.append(p);
        }
        FD_FUZZ_CHECK(store.names() == ordered, "names() does not list the profiles");
        (void)store.lastUsed();
    }

    // Saved again by FleetDeck, read back.
    const QString outPath = g_dir->filePath(QStringLiteral("out.ini"));
    {
        QSettings settings(outPath, QSettings::IniFormat);
        ProfileStore store(settings);
        for (const ConnectionProfile &p : saveable) {
            QString why;
            FD_FUZZ_CHECK(store.save(p, &why), "a profile read from the file cannot be saved");
        }
        settings.sync();
    }
    if (QFile written(outPath); written.open(QIODevice::ReadOnly)) {
        // Read back from the file, not from QSettings' cache of what it wrote.
        FD_FUZZ_CHECK(written.setFileTime(QDateTime::fromMSecsSinceEpoch(1577836800000 + ++g_inputs, Qt::UTC),
                                          QFileDevice::FileModificationTime),
                      "cannot set the saved file's time");
    }
    {
        QSettings settings(outPath, QSettings::IniFormat);
        const QList<ConnectionProfile> back = ProfileStore(settings).profiles();
        FD_FUZZ_CHECK(back.size() == saveable.size(), "save -> read: another number of profiles");
        for (qsizetype i = 0; i < back.size(); ++i)
            checkSameProfile(saveable.at(i), back.at(i), "save -> read changed a profile");
    }
    QFile::remove(outPath);
}

void checkSecret(QByteArrayView input)
{
    const QString stored = QString::fromUtf8(input);
    const ProfileSecrets::Decoded d = ProfileSecrets::decode(stored);
    if (d.broker.isEmpty())
        FD_FUZZ_CHECK(d.value == stored, "an unbound secret is not the stored text");
    else
        FD_FUZZ_CHECK(stored.startsWith(u'{'), "a secret bound to a broker without FleetDeck's envelope");
    static const BrokerUrl url = *BrokerUrl::parse(QStringLiteral("mqtts://Broker.Example.com."));
    const ProfileSecrets::Decoded back = ProfileSecrets::decode(ProfileSecrets::encode(url, d.value));
    FD_FUZZ_CHECK(back.value == d.value && back.broker == url.identity(), "encode -> decode changed the secret");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fd::fuzz::quietLogging();
    // QSettings warns of every "@Variant(...)" value it cannot load ("QVariant::load:
    // unknown user type"): the fuzzer writes thousands.
    QLoggingCategory::setFilterRules(QStringLiteral("fleetdeck.*.debug=false\ndefault.warning=false"));
    const QString shm = QStringLiteral("/dev/shm");
    g_dir = QFileInfo(shm).isWritable() ? new QTemporaryDir(shm + QStringLiteral("/fuzz_connection_profiles-XXXXXX"))
                                        : new QTemporaryDir;
    FD_FUZZ_CHECK(g_dir->isValid(), "no temporary folder");
    std::atexit([] { delete g_dir; });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input = fd::fuzz::inputBytes(data, size);
    checkProfiles(input);
    // Every line, and the value after '=' (an INI value as written, before QSettings'
    // unescaping), as a broker address.
    int lines = 0;
    for (const QByteArray &line : input.toByteArray().split('\n')) {
        if (++lines > 64)
            break;
        checkUrl(QString::fromUtf8(line));
        if (const qsizetype eq = line.indexOf('='); eq >= 0)
            checkUrl(QString::fromUtf8(line.mid(eq + 1)));
    }
    checkSecret(input);
    return 0;
}
