#pragma once

#include <QCoreApplication>
#include <QString>

namespace fd {

class OperationsStore;

// What demo mode needs for firmware rollouts, in a folder of its own (AppData/demo-firmware):
//  - the demo release key "demo-release": generated once, its private key kept there
//    encrypted with the passphrase "fleetdeck-demo" (said in the README and the demo's
//    notes: a demo secret, not a secret), its public key given to the simulated devices
//    (fleetdeck-sim --ota-trust) and entered in the operations store so the wizard signs
//    with it;
//  - one firmware image per demo model, a version newer than any the fleet runs
//    (TH-100-2.5.0.bin, ...): 256 KiB of reproducible bytes, ready to import and sign.
class DemoFirmware
{
    Q_DECLARE_TR_FUNCTIONS(fd::DemoFirmware)
public:
    static constexpr const char *kKeyName = "demo-release";
    static constexpr const char *kPassphrase = "fleetdeck-demo";
    static constexpr qint64 kImageBytes = 256 * 1024;

    // Prepares dir; returns the public key PEM's path ('' with *error). The store gets the
    // key (a job; nothing happens when it has it already).
    static QString prepare(const QString &dir, OperationsStore *store, const QString &actor, QString *error);
};

} // namespace fd
