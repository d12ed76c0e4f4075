#pragma once

#include "core/broker/mosquitto_launcher.h"

#include <QString>

namespace fd {

// Renders the mosquitto.conf used by MosquittoLauncher.
class MosquittoConfig
{
public:
    // runAsRoot: add "user root" so a broker started by root keeps access to our temp files
    // (otherwise mosquitto drops to the "mosquitto" user and cannot read the certificates).
    // passwordFile: with options.credentials, the password_file written for them.
    static QString render(const MosquittoLauncher::Options &options, quint16 port, bool runAsRoot,
                          const QString &passwordFile = QString());
    static bool isTls(const MosquittoLauncher::Options &options);
};

} // namespace fd
