#include "core/settings/profile_secrets.h"

#include "core/settings/settings_keys.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <memory>

namespace fd {

namespace {
constexpr QLatin1StringView kMarker{"fleetdeck-secret"};
constexpr QLatin1StringView kBroker{"broker"};
constexpr QLatin1StringView kValue{"value"};
constexpr int kVersion = 1;
} // namespace

ProfileSecrets::ProfileSecrets(SecretStore &store)
    : m_store(store)
{
}

QString ProfileSecrets::key(const QString &profileName, Kind kind)
{
    return kind == Kind::Password ? SettingsKeys::profilePasswordKey(profileName)
                                  : SettingsKeys::profileKeyPassphraseKey(profileName);
}

QString ProfileSecrets::kindName(Kind kind)
{
    return kind == Kind::Password ? QStringLiteral("password") : QStringLiteral("key passphrase");
}

QString ProfileSecrets::encode(const BrokerUrl &broker, const QString &value)
{
    QJsonObject o;
    o.insert(kMarker, kVersion);
    o.insert(kBroker, broker.identity());
    o.insert(kValue, value);
    // QJsonDocument writes U+FEFF as it is and drops it again at the start of a string it
    // reads (core/domain/json_names.h): a password starting with one came back without it.
    // Written as the escape \ufeff it reads back (found by fuzz/fuzz_connection_profiles).
    QByteArray json = QJsonDocument(o).toJson(QJsonDocument::Compact);
    json.replace("\xEF\xBB\xBF", "\\ufeff");
    return QString::fromUtf8(json);
}

ProfileSecrets::Decoded ProfileSecrets::decode(const QString &stored)
{
    if (stored.startsWith(u'{')) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(stored.toUtf8(), &error);
        const QJsonObject o = doc.object();
        if (error.error == QJsonParseError::NoError && o.size() == 3 && o.value(kMarker).toInt() == kVersion
            && o.value(kBroker).isString() && o.value(kValue).isString() && !o.value(kBroker).toString().isEmpty()) {
            return {o.value(kValue).toString(), o.value(kBroker).toString()};
        }
    }
    return {stored, QString()};  // saved before secrets were bound
}

void ProfileSecrets::load(const QString &profileName, const std::optional<BrokerUrl> &legacyBroker,
                          const BrokerUrl &target, LoadCallback done)
{
    struct Pending
    {
        Loaded loaded;
        int outstanding = 2;
        LoadCallback done;
    };
    auto pending = std::make_shared<Pending>();
    pending->done = std::move(done);
    const QString legacy = legacyBroker ? legacyBroker->identity() : QString();
    const QString wanted = target.identity();
    for (const Kind kind : {Kind::Password, Kind::KeyPassphrase}) {
        m_store.read(key(profileName, kind), [pending, kind, legacy, wanted](const SecretStore::Result &r) {
            Loaded &l = pending->loaded;
            if (r.ok && !r.value.isEmpty()) {
                const Decoded d = decode(r.value);
                const QString boundTo = d.broker.isEmpty() ? legacy : d.broker;
                if (!boundTo.isEmpty() && boundTo == wanted) {
                    (kind == Kind::Password ? l.secrets.password : l.secrets.keyPassphrase) = d.value;
                } else {
                    l.withheld.append(kindName(kind));
                    l.savedFor = boundTo.isEmpty() ? QStringLiteral("an unknown broker") : boundTo;
                }
            } else if (!r.ok && !r.notFound) {
                l.errors.append(r.error);
            }
            if (--pending->outstanding == 0 && pending->done)
                pending->done(l);
        });
    }
}

void ProfileSecrets::store(const QString &profileName, Kind kind, const BrokerUrl &broker, const QString &value,
                           SecretStore::Callback done)
{
    if (value.isEmpty())
        m_store.remove(key(profileName, kind), std::move(done));
    else
        m_store.write(key(profileName, kind), encode(broker, value), std::move(done));
}

} // namespace fd
