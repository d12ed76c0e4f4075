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
    static QString render(const MosquittoLauncher::Options &options, quint16 port, bool runAsRoot);
    static bool isTls(const MosquittoLauncher::Options &options);
};

} // namespace fd
