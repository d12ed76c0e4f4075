#include "core/settings/profile_store.h"

#include "core/settings/settings_keys.h"

#include <QCoreApplication>
#include <QSet>
#include <QSettings>

#include <algorithm>

namespace fd {

namespace K = SettingsKeys;

namespace {

// Text as QSettings writes it back: an unpaired surrogate (an edited file can hold one, as the
// escape \xdc00) is written as U+FFFD, or dropped at the end of the text, so a profile read
// with one was another profile once saved (a name, the keychain key of its secrets, too).
// Read as U+FFFD here, the text saves and reads back the same. Found by fuzzing
// (fuzz/fuzz_connection_profiles).
QString validText(QString text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            ++i;
        else if (c.isSurrogate())
            text[i] = QChar(QChar::ReplacementCharacter);
    }
    return text;
}

} // namespace

ProfileStore::ProfileStore(QSettings &settings)
    : m_settings(settings)
{
}

QList<ConnectionProfile> ProfileStore::profiles() const
{
    // The file may have been edited by hand or by another program: its "size" is not
    // trusted (2147483647 made this reserve 2^31 profiles and abort): only the entries
    // present are read, at most kMaxProfiles of them; entries without a name (or only white
    // space) and later entries of a name already read are skipped, and the numbers are held
    // to their ranges. Found by fuzzing (fuzz/fuzz_connection_profiles).
    const int size = m_settings.beginReadArray(K::kProfilesArray);
    m_settings.endArray();
    m_settings.beginGroup(K::kProfilesArray);
    const QStringList groups = m_settings.childGroups();
    m_settings.endGroup();
    QList<int> indexes;  // array indexes (entry n is index n - 1) of the entries present
    for (const QString &group : groups) {
        bool ok = false;
        const int n = group.toInt(&ok);
        if (ok && n >= 1 && n <= size && group == QString::number(n))
            indexes.append(n - 1);
    }
    std::sort(indexes.begin(), indexes.end());
    if (indexes.size() > kMaxProfiles)
        indexes.resize(kMaxProfiles);

    QList<ConnectionProfile> result;
    QSet<QString> names;
    m_settings.beginReadArray(K::kProfilesArray);
    for (const int i : std::as_const(indexes)) {
        m_settings.setArrayIndex(i);
        const auto text = [this](QLatin1StringView key, const QString &absent = QString()) {
            return validText(m_settings.value(key, absent).toString());
        };
        ConnectionProfile p;
        p.name = text(K::kProfileName);
        if (p.name.trimmed().isEmpty() || names.contains(p.name))
            continue;
        names.insert(p.name);
        if (auto url = BrokerUrl::parse(text(K::kProfileBroker)))
            p.broker = *url;
        p.username = text(K::kProfileUsername);
        p.clientId = text(K::kProfileClientId);
        p.topicPrefix = text(K::kProfileTopicPrefix, p.topicPrefix);
        p.mqttVersion = m_settings.value(K::kProfileMqttVersion, p.mqttVersion).toInt() == 3 ? 3 : 5;
        p.keepAliveSeconds = qBound(0, m_settings.value(K::kProfileKeepAlive, p.keepAliveSeconds).toInt(), 65535);
        p.qos = qBound(0, m_settings.value(K::kProfileQos, p.qos).toInt(), 2);
        p.caFile = text(K::kProfileCaFile);
        p.clientCertFile = text(K::kProfileClientCert);
        p.clientKeyFile = text(K::kProfileClientKey);
        p.verifyHostname = m_settings.value(K::kProfileVerifyHostname, true).toBool();
        p.persistentSession = m_settings.value(K::kProfilePersistentSession, false).toBool();
        p.sparkplug = m_settings.value(K::kProfileSparkplug, true).toBool();
        p.sparkplugHostId = text(K::kProfileSparkplugHostId);
        p.sparkplugReorderTimeoutMs = qBound(0, m_settings.value(K::kProfileSparkplugReorderTimeout,
                                                                 p.sparkplugReorderTimeoutMs).toInt(), 60000);
        const QString confirmedFor = text(K::kProfilePlaintextPasswordConfirmedFor);
        p.allowPlaintextPassword = !confirmedFor.isEmpty() && !p.broker.host.isEmpty() && !p.broker.tls
            && confirmedFor == p.broker.identity();
        result.append(p);
    }
    m_settings.endArray();
    return result;
}

QStringList ProfileStore::names() const
{
    QStringList result;
    const QList<ConnectionProfile> all = profiles();
    for (const ConnectionProfile &p : all)
        result.append(p.name);
    return result;
}

std::optional<ConnectionProfile> ProfileStore::profile(const QString &name) const
{
    const QList<ConnectionProfile> all = profiles();
    for (const ConnectionProfile &p : all) {
        if (p.name == name)
            return p;
    }
    return std::nullopt;
}

bool ProfileStore::save(const ConnectionProfile &profile, QString *error)
{
    if (profile.name.trimmed().isEmpty()) {
        if (error)
            *error = QCoreApplication::translate("fd::ProfileStore", "A connection profile needs a name.");
        return false;
    }
    if (profile.broker.host.isEmpty()) {
        if (error)
            *error = QCoreApplication::translate("fd::ProfileStore",
                                                 "The profile \"%1\" has no broker host.").arg(profile.name);
        return false;
    }
    QList<ConnectionProfile> all = profiles();
    bool replaced = false;
    for (ConnectionProfile &p : all) {
        if (p.name == profile.name) {
            p = profile;
            replaced = true;
            break;
        }
    }
    if (!replaced)
        all.append(profile);
    writeAll(all);
    m_settings.sync();
    if (m_settings.status() != QSettings::NoError) {
        if (error)
            *error = QCoreApplication::translate("fd::ProfileStore",
                                                 "Could not write the settings file %1.").arg(m_settings.fileName());
        return false;
    }
    return true;
}

bool ProfileStore::remove(const QString &name)
{
    QList<ConnectionProfile> all = profiles();
    const qsizetype removed = all.removeIf([&](const ConnectionProfile &p) { return p.name == name; });
    if (removed == 0)
        return false;
    writeAll(all);
    if (lastUsed() == name)
        m_settings.remove(K::kLastProfile);
    m_settings.sync();
    return true;
}

bool ProfileStore::confirmPlaintextPassword(const QString &name, const BrokerUrl &broker)
{
    QList<ConnectionProfile> all = profiles();
    for (ConnectionProfile &p : all) {
        if (p.name != name)
            continue;
        if (p.broker.identity() != broker.identity())
            return false;
        p.allowPlaintextPassword = true;
        writeAll(all);
        m_settings.sync();
        return m_settings.status() == QSettings::NoError;
    }
    return false;
}

QString ProfileStore::lastUsed() const
{
    return m_settings.value(K::kLastProfile).toString();
}

void ProfileStore::setLastUsed(const QString &name)
{
    m_settings.setValue(K::kLastProfile, name);
}

void ProfileStore::writeAll(const QList<ConnectionProfile> &profiles)
{
    m_settings.remove(K::kProfilesArray);
    m_settings.beginWriteArray(K::kProfilesArray, int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        const ConnectionProfile &p = profiles.at(i);
        m_settings.setArrayIndex(i);
        m_settings.setValue(K::kProfileName, p.name);
        m_settings.setValue(K::kProfileBroker, p.broker.toString());
        m_settings.setValue(K::kProfileUsername, p.username);
        m_settings.setValue(K::kProfileClientId, p.clientId);
        m_settings.setValue(K::kProfileTopicPrefix, p.topicPrefix);
        m_settings.setValue(K::kProfileMqttVersion, p.mqttVersion);
        m_settings.setValue(K::kProfileKeepAlive, p.keepAliveSeconds);
        m_settings.setValue(K::kProfileQos, p.qos);
        m_settings.setValue(K::kProfileCaFile, p.caFile);
        m_settings.setValue(K::kProfileClientCert, p.clientCertFile);
        m_settings.setValue(K::kProfileClientKey, p.clientKeyFile);
        m_settings.setValue(K::kProfileVerifyHostname, p.verifyHostname);
        m_settings.setValue(K::kProfilePersistentSession, p.persistentSession);
        m_settings.setValue(K::kProfileSparkplug, p.sparkplug);
        m_settings.setValue(K::kProfileSparkplugHostId, p.sparkplugHostId);
        m_settings.setValue(K::kProfileSparkplugReorderTimeout, p.sparkplugReorderTimeoutMs);
        if (p.allowPlaintextPassword && !p.broker.tls)
            m_settings.setValue(K::kProfilePlaintextPasswordConfirmedFor, p.broker.identity());
    }
    m_settings.endArray();
}

} // namespace fd
