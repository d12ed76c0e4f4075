// Fuzz target: the provisioning wire (docs/protocol.md "Provisioning"), what a factory
// device (shared bootstrap identity, so anyone with the bootstrap certificate) or an
// enrolled device sends FleetDeck, and what FleetDeck's answer looks like to a device.
// Input: "topic id\npayload" (fuzz_support.h): the topic level (serial of
// {root}/{serial}/request, or device id of {prefix}/{id}/pki/csr) and the message.
//
// Checked per input:
//  - ProvisioningRequest::parseEnroll / parseRotation: a refusal has a reason key among
//    malformed, too_large, csr_too_large, a detail, and a nonce only when it is a valid
//    lowercase one; over 16 KiB is too_large, always.
//  - An accepted enrollment keeps the protocol's rules: serial valid and the topic's, nonce
//    32..64 lowercase hex, ts an integer in [0, 2^53 - 1], model 1..64 characters without a
//    control character, claim hash 64 lowercase hex (SHA-256 of serial:claim when the claim
//    is given in clear), device id at most 256 characters (the serial lowercased when none
//    is given), CSR 1..8 KiB. A rotation keeps the topic's id (at most 256 characters).
//  - What was accepted survives toJson -> parse unchanged (what the simulator and tests send
//    is what FleetDeck reads).
//  - ProvisioningResponse::parse on the same payload: an acceptance has certificate, device
//    id and serial, a rejection a reason; both survive toJson -> parse.
#include "fuzz_support.h"

#include "core/domain/json_names.h"
#include "core/provisioning/provisioning_ids.h"
#include "core/provisioning/provisioning_reason.h"
#include "core/provisioning/provisioning_request.h"
#include "core/provisioning/provisioning_response.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace fd;

namespace {

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

void checkRefusal(QByteArrayView payload, const ProvisioningRequest::Error &e)
{
    FD_FUZZ_CHECK(e.key == ProvisioningReason::Malformed || e.key == ProvisioningReason::TooLarge
                      || e.key == ProvisioningReason::CsrTooLarge,
                  "a refusal with a reason key the parser must not give");
    FD_FUZZ_CHECK(!e.detail.isEmpty(), "a refusal without a detail");
    FD_FUZZ_CHECK(e.nonce.isEmpty() || (ProvisioningIds::isValidNonce(e.nonce) && isLowerHex(e.nonce)),
                  "a refusal echoes a nonce that is not valid lowercase hex");
    FD_FUZZ_CHECK((e.key == ProvisioningReason::TooLarge) == (payload.size() > ProvisioningRequest::kMaxBytes),
                  "too_large is not exactly the size limit");
}

void checkCommon(const ProvisioningRequest &r)
{
    FD_FUZZ_CHECK(ProvisioningIds::isValidNonce(r.nonce) && isLowerHex(r.nonce), "an accepted nonce is not lowercase hex");
    FD_FUZZ_CHECK(r.tsMs >= 0 && r.tsMs <= 9007199254740991LL, "an accepted ts outside [0, 2^53 - 1]");
    FD_FUZZ_CHECK(!r.csrPem.isEmpty() && r.csrPem.size() <= ProvisioningRequest::kMaxCsrBytes,
                  "an accepted CSR that is empty or over the limit");
}

void checkSame(const ProvisioningRequest &a, const ProvisioningRequest &b)
{
    FD_FUZZ_CHECK(a.kind == b.kind && a.serial == b.serial && a.model == b.model && a.claimHash == b.claimHash
                      && a.deviceId == b.deviceId && a.csrPem == b.csrPem && a.nonce == b.nonce && a.tsMs == b.tsMs,
                  "toJson -> parse changed the request");
}

void checkEnroll(QByteArrayView payload, const QString &topicId)
{
    ProvisioningRequest::Error e;
    const std::optional<ProvisioningRequest> r = ProvisioningRequest::parseEnroll(payload, topicId, &e);
    if (!r) {
        checkRefusal(payload, e);
        return;
    }
    FD_FUZZ_CHECK(payload.size() <= ProvisioningRequest::kMaxBytes, "a request over 16 KiB accepted");
    FD_FUZZ_CHECK(r->kind == ProvisioningRequest::Kind::Enroll, "parseEnroll gave another kind");
    checkCommon(*r);
    FD_FUZZ_CHECK(ProvisioningIds::isValidSerial(r->serial) && r->serial == topicId,
                  "an accepted serial that is invalid or not the topic's");
    FD_FUZZ_CHECK(!r->model.isEmpty() && r->model.size() <= ProvisioningRequest::kMaxModelChars && !hasControl(r->model),
                  "an accepted model of a wrong length or with a control character");
    FD_FUZZ_CHECK(ProvisioningIds::isValidClaimHash(r->claimHash) && isLowerHex(r->claimHash),
                  "an accepted claim hash that is not 64 lowercase hex");
    FD_FUZZ_CHECK(r->deviceId.size() <= ProvisioningRequest::kMaxDeviceIdChars, "a device id over the kept length");

    const QJsonObject o = QJsonDocument::fromJson(payload.toByteArray()).object();
    if (o.value(u"claim").isString())
        FD_FUZZ_CHECK(r->claimHash == ProvisioningIds::claimHash(r->serial, jsonName(o.value(u"claim").toString())),
                      "the claim hash is not SHA-256(serial:claim)");
    if (o.value(u"device_id").isUndefined() || o.value(u"device_id").isNull())
        FD_FUZZ_CHECK(r->deviceId == ProvisioningIds::defaultDeviceId(r->serial), "no device id: not the serial lowercased");

    ProvisioningRequest::Error again;
    const std::optional<ProvisioningRequest> back = ProvisioningRequest::parseEnroll(r->toJson(), topicId, &again);
    FD_FUZZ_CHECK(back.has_value(), "an accepted enrollment does not parse after toJson");
    checkSame(*r, *back);
}

void checkRotation(QByteArrayView payload, const QString &topicId)
{
    ProvisioningRequest::Error e;
    const std::optional<ProvisioningRequest> r = ProvisioningRequest::parseRotation(payload, topicId, &e);
    if (!r) {
        checkRefusal(payload, e);
        return;
    }
    FD_FUZZ_CHECK(payload.size() <= ProvisioningRequest::kMaxBytes, "a rotation over 16 KiB accepted");
    FD_FUZZ_CHECK(r->kind == ProvisioningRequest::Kind::Rotate, "parseRotation gave another kind");
    checkCommon(*r);
    FD_FUZZ_CHECK(r->deviceId == topicId.left(ProvisioningRequest::kMaxDeviceIdChars), "the device id is not the topic's");
    FD_FUZZ_CHECK(r->serial.isEmpty() && r->model.isEmpty() && r->claimHash.isEmpty(), "a rotation with enrollment fields");
    const std::optional<ProvisioningRequest> back = ProvisioningRequest::parseRotation(r->toJson(), topicId, nullptr);
    FD_FUZZ_CHECK(back.has_value(), "an accepted rotation does not parse after toJson");
    checkSame(*r, *back);
}

void checkResponse(QByteArrayView payload)
{
    QString why;
    const std::optional<ProvisioningResponse> r = ProvisioningResponse::parse(payload, &why);
    if (!r) {
        FD_FUZZ_CHECK(!why.isEmpty(), "a refused response without a reason");
        return;
    }
    FD_FUZZ_CHECK(payload.size() <= ProvisioningResponse::kMaxBytes, "a response over the limit accepted");
    if (r->accepted)
        FD_FUZZ_CHECK(!r->certificatePem.isEmpty() && !r->deviceId.isEmpty() && !r->certSerial.isEmpty(),
                      "an acceptance without certificate, device id or serial");
    else
        FD_FUZZ_CHECK(!r->reasonKey.isEmpty(), "a rejection without a reason");

    const std::optional<ProvisioningResponse> back = ProvisioningResponse::parse(r->toJson(), &why);
    FD_FUZZ_CHECK(back.has_value(), "a parsed response does not parse after toJson");
    FD_FUZZ_CHECK(back->accepted == r->accepted && back->nonce == r->nonce, "toJson -> parse changed status or nonce");
    if (r->accepted)
        FD_FUZZ_CHECK(back->deviceId == r->deviceId && back->certSerial == r->certSerial
                          && back->certificatePem == r->certificatePem && back->chainPem == r->chainPem,
                      "toJson -> parse changed an acceptance");
    else
        FD_FUZZ_CHECK(back->reasonKey == r->reasonKey && back->message == r->message,
                      "toJson -> parse changed a rejection");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fd::fuzz::quietLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto [id, payload] = fd::fuzz::splitAtNewline(fd::fuzz::inputBytes(data, size));
    const QString topicId = QString::fromUtf8(id);
    checkEnroll(payload, topicId);
    checkRotation(payload, topicId);
    checkResponse(payload);
    return 0;
}
