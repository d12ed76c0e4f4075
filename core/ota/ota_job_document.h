#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace fd {

// The job document FleetDeck publishes (retained, QoS 1) on {prefix}/{d}/ota/job
// (docs/protocol.md "Firmware updates (OTA)"):
//   {"job_id":"7f3a9c1e-1","rollout":12,"version":"2.4.0","size":1048576,"sha256":"<64 hex>",
//    "manifest":"<base64>","signature":"<base64>","key_id":"<16 hex>","chunk_size":16384,
//    "rollback":false,"timeout_s":1800,"ts":1764500000000}
// parse() is for untrusted input (the simulator's agent, the runner reading retained
// documents back): bounded size, every field checked, a reason for every refusal.
struct OtaJobDocument
{
    // Devices take documents of at most 16 KiB (docs/protocol.md); FleetDeck's signed
    // manifests are at most FirmwareManifest::kMaxBytes (8 KiB), so what it builds always
    // fits. The runner still refuses a rollout whose document would be larger.
    static constexpr qsizetype kMaxBytes = 16 * 1024;          // whole document
    static constexpr qsizetype kMaxManifestBytes = 8 * 1024;   // decoded
    static constexpr qsizetype kMaxDeviceBytes = 16 * 1024;
    static constexpr qsizetype kMaxSignatureBytes = 1024;      // decoded (DER ECDSA ~72, Ed25519 64)
    static constexpr int kDefaultChunkSize = 16384;
    static constexpr int kMaxChunkSize = 65536;
    static constexpr int kMinChunkSize = 1;  // the protocol's; FleetDeck sends 256 or more
    static constexpr qint64 kMaxSize = qint64(4) * 1024 * 1024 * 1024;  // 4 GiB firmware

    QString jobId;       // "<rollout uid>-<attempt>", [A-Za-z0-9._-]{1,64}
    qint64 rollout = 0;  // rollout id (display only)
    QString version;
    qint64 size = 0;     // bytes of the firmware file
    QString sha256;      // lowercase hex, 64 chars
    QByteArray manifest; // the signed manifest bytes (FirmwareManifest::toBytes)
    QByteArray signature;
    QString keyId;       // 16 hex chars
    int chunkSize = kDefaultChunkSize;
    bool rollback = false;
    int timeoutS = 1800;
    qint64 tsMs = 0;

    // Compact JSON, keys as above.
    QByteArray toJson() const;
    // nullopt with *error when json is not a valid job document. An empty payload is not
    // a document (it clears the job): the caller checks that first.
    static std::optional<OtaJobDocument> parse(QByteArrayView json, QString *error);

    static bool isValidJobId(QStringView id);
};

} // namespace fd
