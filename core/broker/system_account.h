#pragma once

#include <QString>

#include <optional>

namespace fd {

// A local user account to run a child process as (Unix). FleetDeck started as root (CI,
// containers) runs its private broker as the "mosquitto" account instead of root.
struct SystemAccount
{
    QString name;
    uint uid = 0;
    uint gid = 0;

    // The account called name; nullopt with a reason when there is none (or not on Unix).
    static std::optional<SystemAccount> lookup(const QString &name, QString *why = nullptr);
    // Makes path (a file or folder we created) belong to this account; false with a reason.
    bool takeOwnership(const QString &path, QString *error = nullptr) const;
    // Whether this account can walk down to path (an existing folder): every folder on the
    // way, path included, lets it in (owner, primary group or others execute bit;
    // supplementary groups are not considered). False with the first folder that does not.
    bool canEnter(const QString &path, QString *why = nullptr) const;
};

} // namespace fd
