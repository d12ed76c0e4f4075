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
    static QString render(const MosquittoLauncher::Options &options, quint16 port, bool runAsRoot,
                          const QString &passwordFile = QString());
    static bool isTls(const MosquittoLauncher::Options &options);
};

} // namespace fd
