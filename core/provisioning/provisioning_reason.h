#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace fd {

// The reason keys of a rejected provisioning request (docs/protocol.md "Provisioning"): sent
// to the device in the response's "reason", stored in provisioning_requests.reason_key and
// shown to the technician with describe()'s text.
namespace ProvisioningReason {
inline const QString Malformed = QStringLiteral("malformed");
inline const QString TooLarge = QStringLiteral("too_large");
inline const QString Expired = QStringLiteral("expired");
inline const QString Replay = QStringLiteral("replay");
inline const QString Duplicate = QStringLiteral("duplicate");
inline const QString UnknownSerial = QStringLiteral("unknown_serial");
inline const QString WrongClaim = QStringLiteral("wrong_claim");
inline const QString ModelMismatch = QStringLiteral("model_mismatch");
inline const QString AlreadyEnrolled = QStringLiteral("already_enrolled");
inline const QString InvalidDeviceId = QStringLiteral("invalid_device_id");
inline const QString CaUnusable = QStringLiteral("ca_unusable");
inline const QString RejectedByTechnician = QStringLiteral("rejected_by_technician");
// CsrCheck's keys (core/pki): bad_csr, csr_too_large, bad_csr_signature, subject_mismatch,
// weak_key, wrong_key_type.
inline const QString BadCsr = QStringLiteral("bad_csr");
inline const QString CsrTooLarge = QStringLiteral("csr_too_large");
inline const QString BadCsrSignature = QStringLiteral("bad_csr_signature");
inline const QString SubjectMismatch = QStringLiteral("subject_mismatch");
inline const QString WeakKey = QStringLiteral("weak_key");
inline const QString WrongKeyType = QStringLiteral("wrong_key_type");

QStringList allKeys();
// A short sentence for people (technician, CLI, the response's "message").
QString describe(const QString &key);
} // namespace ProvisioningReason

} // namespace fd
