#pragma once

#include "core/transport/connection_profile.h"

#include <QList>
#include <QString>

#include <optional>

class QSettings;

namespace fd {

// Connection profiles persisted in QSettings (without secrets: those go to a SecretStore
// under SettingsKeys::profilePasswordKey() / profileKeyPassphraseKey(), see ProfileSecrets).
// allowPlaintextPassword is stored as the broker it was confirmed for, and read back as set
// only while the profile still points at that broker.
// Profile names are unique; save() replaces a profile of the same name.
// Reading trusts nothing in the file (edited by hand or by another program): the entries
// present are read (not as many as its "size" says), at most kMaxProfiles of them; an
// entry without a name (or only white space) and a later entry of a name already read are
// skipped; keep alive is held to 0..65535 s (MQTT's 16 bits), QoS to 0..2; an unpaired
// surrogate in a text reads as U+FFFD (what saving writes). A broker address that does not
// parse reads as none (host empty): the profile is listed for editing, and refused at
// connect ("no broker address configured").
class ProfileStore
{
public:
    static constexpr int kMaxProfiles = 1000;

    explicit ProfileStore(QSettings &settings);

    QList<ConnectionProfile> profiles() const;
    QStringList names() const;
    std::optional<ConnectionProfile> profile(const QString &name) const;

    // Adds or replaces the profile called profile.name. False (with a reason) for an empty
    // name or an unusable broker address.
    bool save(const ConnectionProfile &profile, QString *error = nullptr);
    // Removes it; true if it existed. Forgets it as the last used profile too.
    bool remove(const QString &name);
    // Records that the user allows the password of profile name to be sent over plain TCP
    // to broker (ConnectionProfile::allowPlaintextPassword). The record is bound to that
    // broker: false, nothing recorded, when the profile points elsewhere (or is unknown).
    bool confirmPlaintextPassword(const QString &name, const BrokerUrl &broker);

    QString lastUsed() const;
    void setLastUsed(const QString &name);

private:
    void writeAll(const QList<ConnectionProfile> &profiles);

    QSettings &m_settings;
};

} // namespace fd
