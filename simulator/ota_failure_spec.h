#pragma once

#include <QString>

#include <optional>

namespace fd::sim {

// --ota-failures: how often each kind of OTA failure is simulated, per job (each 0..1):
//   download   the download breaks off midway: FAILED "download failed: simulated I/O error at offset N"
//   signature  the device takes the signature for bad: REJECTED "signature check failed (simulated)"
//   boot       the new firmware does not boot: back on the old one, ROLLED_BACK "boot failed"
//   silent     the device goes quiet after QUEUED and never reports on that job again
// Text form: "download=0.1,signature=0,boot=0.05,silent=0"; keys may be left out (0) but
// not repeated.
struct OtaFailureSpec
{
    double download = 0;
    double signature = 0;
    double boot = 0;
    double silent = 0;

    bool any() const { return download > 0 || signature > 0 || boot > 0 || silent > 0; }
    // Canonical text (every key, in the order above); parse(toString()) gives the same rates.
    QString toString() const;
    // nullopt with a reason naming the bad part.
    static std::optional<OtaFailureSpec> parse(const QString &text, QString *error);
};

} // namespace fd::sim
