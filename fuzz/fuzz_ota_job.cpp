// Fuzz target: the OTA wire (docs/protocol.md "Firmware updates (OTA)"), what a device or
// anyone on the broker can hand FleetDeck, and what a device reads from FleetDeck: the job
// document (retained, read back by the runner at every reconnect), the signed manifest in
// it, and a device's status message.
// Input: "kind\npayload" (fuzz_support.h), kind `job`, `manifest` or `status`; any other
// first line runs all three parsers on the payload.
//
// Checked per input:
//  - OtaJobDocument::parse: a refusal has a reason of one line; an empty document (a clear)
//    and one over 16 KiB are refused. An accepted document keeps the protocol's rules
//    (job_id [A-Za-z0-9._-]{1,64}, rollout and ts integers in [0, 2^53], version 1..64
//    characters, size 1 byte..4 GiB, sha256 64 lowercase hex, manifest 1..8 KiB and
//    signature 1..1,024 bytes decoded, key_id 16 lowercase hex, chunk_size 1..65,536,
//    timeout_s 1 s..7 days), its toJson() fits in 16 KiB and parses back unchanged.
//  - The device's checks on an accepted document: the signature over the manifest bytes
//    with the trusted key its key_id names (a fixed Ed25519 and a fixed ECDSA P-256 key of
//    this target): a refusal has a reason; an Ed25519 signature that verifies is exactly
//    the key's own signature of those bytes (Ed25519 is deterministic: nothing else may
//    pass). The manifest in it is checked as below; the job's and the manifest's versions
//    order consistently (FirmwareVersion::compare is antisymmetric).
//  - FirmwareManifest::fromBytes: a refusal has a reason of one line; over 8 KiB is refused.
//    An accepted manifest isValid(): version per FirmwareVersion::isValid, 1..64 distinct
//    models of 1..64 characters without control characters, notes at most 2 KiB of UTF-8,
//    sha256 64 lowercase hex, size 1 byte..4 GiB; toBytes() -> fromBytes gives the same
//    manifest, and toBytes() is a fixed point (the signed form is canonical).
//  - OtaStatus::parse: a refusal has a reason of one line; over 4 KiB is refused. An
//    accepted status has a valid job_id, one of the ten wire states, progress 0..100, a
//    reason of at most 512 characters (never empty for FAILED, REJECTED, TIMED_OUT,
//    ROLLED_BACK), fw_version of at most 64 characters, ts in [0, 2^53]; written again as a
//    device writes it (QJsonDocument), it parses back unchanged.
#include "fuzz_support.h"

#include "core/ota/firmware_manifest.h"
#include "core/ota/firmware_version.h"
#include "core/ota/ota_device_state.h"
#include "core/ota/ota_job_document.h"
#include "core/ota/ota_status_message.h"
#include "core/ota/release_key.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <optional>

using namespace fd;

namespace {

// Test keys of this target only (the seeds in fuzz/corpus/fuzz_ota_job/ are signed with
// them). Ed25519: key id 61cad06fcd54b490; ECDSA P-256: key id 390bf257760ea1d0.
constexpr char kEd25519PrivatePem[] = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
                                      "MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAgdsFGdxG+gGAICCAAw\n"
                                      "DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEPztQ6V9H4MnRESEFNXWrAAEQKQH\n"
                                      "6ghgoQKM+WB+jGj6GyOgPzpCjnT+cvWoCkLK8nE73Y9id/tU72D16mGPqP7g4qFt\n"
                                      "YvTPHNbP1FQYLQqMc+4=\n"
                                      "-----END ENCRYPTED PRIVATE KEY-----\n";
constexpr char kEd25519Passphrase[] = "fleetdeck-fuzz";
constexpr char kP256PublicPem[] = "-----BEGIN PUBLIC KEY-----\n"
                                  "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEee9eBD541ASqD3vC+lVzzzytrH6d\n"
                                  "fVekzAmr6MDtH7WqF8F4jhiUZtXmIXHAAkRQOHV5fnT0Nj9o8M4p4R/JLw==\n"
                                  "-----END PUBLIC KEY-----\n";

constexpr qint64 kMaxSafeInteger = qint64(1) << 53;
constexpr qsizetype kMaxStatusBytes = 4096;  // docs/protocol.md ("at most 4 KiB")

struct TrustedKeys
{
    std::optional<ReleaseKey> ed25519;  // with its private part: the expected signatures
    std::optional<ReleaseKey> p256;
};

TrustedKeys *g_keys = nullptr;

bool isLowerHex(const QString &s)
{
    for (QChar c : s) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

bool hasControl(const QString &s)
{
    for (QChar c : s) {
        if (c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

// A reason for a refusal: some text, one line (it goes to logs, counters and, for the
// device, into a REJECTED status).
bool isOneLine(const QString &s)
{
    for (QChar c : s) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Separator_Line
            || c.category() == QChar::Separator_Paragraph)
            return false;
    }
    return true;
}

void checkReason(const QString &why, const char *what)
{
    FD_FUZZ_CHECK(!why.isEmpty() && isOneLine(why) && why.size() <= 512, what);
}

void checkManifest(QByteArrayView bytes)
{
    QString why;
    const std::optional<FirmwareManifest> m = FirmwareManifest::fromBytes(bytes, &why);
    if (!m) {
        checkReason(why, "a refused manifest without a reason of one line");
        return;
    }
    FD_FUZZ_CHECK(bytes.size() <= FirmwareManifest::kMaxBytes, "a manifest over 8 KiB accepted");
    QString invalid;
    FD_FUZZ_CHECK(m->isValid(&invalid), "an accepted manifest is not valid");
    FD_FUZZ_CHECK(FirmwareVersion::isValid(m->version), "an accepted manifest with an invalid version");
    FD_FUZZ_CHECK(!m->models.isEmpty() && m->models.size() <= FirmwareManifest::kMaxModels,
                  "an accepted manifest with no model or too many");
    FD_FUZZ_CHECK(QSet<QString>(m->models.cbegin(), m->models.cend()).size() == m->models.size(), "a model twice");
    for (const QString &model : m->models)
        FD_FUZZ_CHECK(!model.trimmed().isEmpty() && model.size() <= FirmwareManifest::kMaxModelLength
                          && !hasControl(model),
                      "a model that is empty, too long or with a control character");
    FD_FUZZ_CHECK(m->notes.toUtf8().size() <= FirmwareManifest::kMaxNotesBytes, "notes over 2 KiB");
    FD_FUZZ_CHECK(FirmwareManifest::isSha256Hex(m->sha256), "an accepted sha256 that is not 64 lowercase hex");
    FD_FUZZ_CHECK(m->size >= 1 && m->size <= FirmwareManifest::kMaxSize, "an accepted size outside 1 byte..4 GiB");

    // The signed form: what FleetDeck writes reads back the same, and is canonical.
    const QByteArray signedBytes = m->toBytes();
    FD_FUZZ_CHECK(signedBytes.size() <= FirmwareManifest::kMaxBytes, "a valid manifest whose signed form is over 8 KiB");
    const std::optional<FirmwareManifest> back = FirmwareManifest::fromBytes(signedBytes, &why);
    FD_FUZZ_CHECK(back.has_value(), "a manifest written by toBytes() is refused");
    FD_FUZZ_CHECK(*back == *m, "toBytes() -> fromBytes changed the manifest");
    FD_FUZZ_CHECK(back->toBytes() == signedBytes, "toBytes() is not canonical");
}

void checkSignature(const OtaJobDocument &d)
{
    const ReleaseKey *key = nullptr;
    if (g_keys->ed25519 && d.keyId == g_keys->ed25519->keyId())
        key = &*g_keys->ed25519;
    else if (g_keys->p256 && d.keyId == g_keys->p256->keyId())
        key = &*g_keys->p256;
    if (!key)
        return;  // a device refuses a key it does not trust before any check
    QString why;
    const bool ok = key->verify(d.manifest, d.signature, &why);
    if (!ok) {
        checkReason(why, "a signature refused without a reason of one line");
        return;
    }
    if (key->algorithm() == ReleaseKey::Algorithm::Ed25519)
        FD_FUZZ_CHECK(key->sign(d.manifest, &why) == d.signature,
                      "an Ed25519 signature verifies that is not the key's signature of the manifest");
}

void checkJob(QByteArrayView payload)
{
    QString why;
    const std::optional<OtaJobDocument> d = OtaJobDocument::parse(payload, &why);
    if (!d) {
        checkReason(why, "a refused job document without a reason of one line");
        return;
    }
    FD_FUZZ_CHECK(!payload.isEmpty(), "an empty payload (a clear) read as a job document");
    FD_FUZZ_CHECK(payload.size() <= OtaJobDocument::kMaxBytes, "a job document over 16 KiB accepted");
    FD_FUZZ_CHECK(OtaJobDocument::isValidJobId(d->jobId), "an accepted job id that is invalid");
    FD_FUZZ_CHECK(d->rollout >= 0 && d->rollout <= kMaxSafeInteger, "rollout outside [0, 2^53]");
    FD_FUZZ_CHECK(!d->version.isEmpty() && d->version.size() <= 64, "a version that is empty or over 64 characters");
    FD_FUZZ_CHECK(d->size >= 1 && d->size <= OtaJobDocument::kMaxSize, "a size outside 1 byte..4 GiB");
    FD_FUZZ_CHECK(d->sha256.size() == 64 && isLowerHex(d->sha256), "a sha256 that is not 64 lowercase hex");
    FD_FUZZ_CHECK(!d->manifest.isEmpty() && d->manifest.size() <= OtaJobDocument::kMaxManifestBytes,
                  "a manifest that is empty or over 8 KiB");
    FD_FUZZ_CHECK(!d->signature.isEmpty() && d->signature.size() <= OtaJobDocument::kMaxSignatureBytes,
                  "a signature that is empty or over 1,024 bytes");
    FD_FUZZ_CHECK(d->keyId.size() == 16 && isLowerHex(d->keyId), "a key id that is not 16 lowercase hex");
    FD_FUZZ_CHECK(d->chunkSize >= OtaJobDocument::kMinChunkSize && d->chunkSize <= OtaJobDocument::kMaxChunkSize,
                  "a chunk size outside 1..65536");
    FD_FUZZ_CHECK(d->timeoutS >= 1 && d->timeoutS <= 7 * 24 * 3600, "a timeout outside 1 s..7 days");
    FD_FUZZ_CHECK(d->tsMs >= 0 && d->tsMs <= kMaxSafeInteger, "ts outside [0, 2^53]");

    const QByteArray json = d->toJson();
    FD_FUZZ_CHECK(json.size() <= OtaJobDocument::kMaxBytes, "an accepted document written again is over 16 KiB");
    const std::optional<OtaJobDocument> back = OtaJobDocument::parse(json, &why);
    FD_FUZZ_CHECK(back.has_value(), "an accepted document does not parse after toJson");
    FD_FUZZ_CHECK(back->jobId == d->jobId && back->rollout == d->rollout && back->version == d->version
                      && back->size == d->size && back->sha256 == d->sha256 && back->manifest == d->manifest
                      && back->signature == d->signature && back->keyId == d->keyId
                      && back->chunkSize == d->chunkSize && back->rollback == d->rollback
                      && back->timeoutS == d->timeoutS && back->tsMs == d->tsMs,
                  "toJson -> parse changed the job document");

    // What a device does with it before downloading anything.
    checkSignature(*d);
    checkManifest(d->manifest);
    QString invalid;
    if (const std::optional<FirmwareManifest> m = FirmwareManifest::fromBytes(d->manifest, &invalid)) {
        FD_FUZZ_CHECK(FirmwareVersion::compare(d->version, m->version) == -FirmwareVersion::compare(m->version, d->version),
                      "FirmwareVersion::compare is not antisymmetric");
        FD_FUZZ_CHECK(FirmwareVersion::compare(d->version, d->version) == 0, "a version differs from itself");
    }
}

void checkStatus(QByteArrayView payload)
{
    QString why;
    const std::optional<OtaStatus> s = OtaStatus::parse(payload, &why);
    if (!s) {
        checkReason(why, "a refused status without a reason of one line");
        return;
    }
    FD_FUZZ_CHECK(!payload.isEmpty() && payload.size() <= kMaxStatusBytes, "a status that is empty or over 4 KiB accepted");
    FD_FUZZ_CHECK(OtaJobDocument::isValidJobId(s->jobId), "an accepted status with an invalid job id");
    const QString wireName = otaDeviceStateWireName(s->state);
    FD_FUZZ_CHECK(!wireName.isEmpty(), "an accepted status with a state a device does not report");
    FD_FUZZ_CHECK(s->progress >= 0 && s->progress <= 100, "progress outside 0..100");
    FD_FUZZ_CHECK(s->reason.size() <= 512, "a reason over 512 characters");
    const bool needsReason = s->state == OtaDeviceState::Failed || s->state == OtaDeviceState::Rejected
                             || s->state == OtaDeviceState::TimedOut || s->state == OtaDeviceState::RolledBack;
    FD_FUZZ_CHECK(!needsReason || !s->reason.isEmpty(), "a failure without a reason");
    FD_FUZZ_CHECK(s->fwVersion.size() <= 64, "a fw_version over 64 characters");
    FD_FUZZ_CHECK(s->tsMs >= 0 && s->tsMs <= kMaxSafeInteger, "ts outside [0, 2^53]");

    // Written again as a device writes it.
    QJsonObject o;
    o.insert(QStringLiteral("job_id"), s->jobId);
    o.insert(QStringLiteral("state"), wireName);
    o.insert(QStringLiteral("progress"), s->progress);
    o.insert(QStringLiteral("reason"), s->reason);
    o.insert(QStringLiteral("fw_version"), s->fwVersion);
    o.insert(QStringLiteral("ts"), double(s->tsMs));
    const QByteArray json = QJsonDocument(o).toJson(QJsonDocument::Compact);
    if (json.size() > kMaxStatusBytes)
        return;  // a reason of 512 characters of 3 UTF-8 bytes each, escaped: not the device's problem here
    const std::optional<OtaStatus> back = OtaStatus::parse(json, &why);
    FD_FUZZ_CHECK(back.has_value(), "an accepted status written again is refused");
    FD_FUZZ_CHECK(back->jobId == s->jobId && back->state == s->state && back->progress == s->progress
                      && back->reason == s->reason && back->fwVersion == s->fwVersion && back->tsMs == s->tsMs,
                  "an accepted status written again reads differently");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fd::fuzz::quietLogging();
    g_keys = new TrustedKeys;
    QString why;
    g_keys->ed25519 = ReleaseKey::fromPrivatePem(QByteArray(kEd25519PrivatePem), QByteArray(kEd25519Passphrase), &why);
    g_keys->p256 = ReleaseKey::fromPublicPem(QByteArray(kP256PublicPem), &why);
    FD_FUZZ_CHECK(g_keys->ed25519 && g_keys->ed25519->keyId() == u"61cad06fcd54b490",
                  "the target's Ed25519 key does not load");
    FD_FUZZ_CHECK(g_keys->p256 && g_keys->p256->keyId() == u"390bf257760ea1d0", "the target's P-256 key does not load");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto [kind, payload] = fd::fuzz::splitAtNewline(fd::fuzz::inputBytes(data, size));
    if (kind == "job") {
        checkJob(payload);
    } else if (kind == "manifest") {
        checkManifest(payload);
    } else if (kind == "status") {
        checkStatus(payload);
    } else {
        checkJob(payload);
        checkManifest(payload);
        checkStatus(payload);
    }
    return 0;
}
