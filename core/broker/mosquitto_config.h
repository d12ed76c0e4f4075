#pragma once

#include "core/broker/mosquitto_launcher.h"

#include <QString>

namespace fd {

// Renders the mosquitto.conf used by MosquittoLauncher.
class MosquittoConfig
{
public:
    // runAsRoot: add "user root" for a broker started by root that is meant to stay root
    // (MosquittoLauncher found no unprivileged user); otherwise mosquitto would drop to the
    // "mosquitto" user by itself, unable to read our temp files.
    // passwordFile: with options.credentials, the password_file written for them.
    // aclFile: the acl_file to name (the launcher's private copy); empty: none.
    static QString render(const MosquittoLauncher::Options &options, quint16 port, bool runAsRoot,
                          const QString &passwordFile = QString(), const QString &aclFile = QString());
    static bool isTls(const MosquittoLauncher::Options &options);
    // Options mosquitto would refuse or that would not do what they say (a CRL without TLS,
    // use_identity_as_username without client certificates, ...); empty when fine.
    static QString problem(const MosquittoLauncher::Options &options);
};

} // namespace fd
