#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <optional>

namespace fd {

// What a release key signs: the firmware's version, compatible models, release notes,
// SHA-256 and size. toBytes() is the exact signed form, compact JSON with sorted keys:
//   {"models":["TH-100"],"notes":"...","sha256":"<64 hex>","size":N,"version":"2.4.0"}
// Devices check the signature over these bytes, then that sha256/size/version match the
// job document and what they downloaded. fromBytes() reads the bytes of an outside source
// (a device, the store) and refuses anything outside the limits below with a reason.
struct FirmwareManifest
{
    Q_DECLARE_TR_FUNCTIONS(fd::FirmwareManifest)
public:
    // The manifest travels in every job document (base64), which a device takes up to
    // 16 KiB (docs/protocol.md): at most 8 KiB of manifest, so 64 models of 64 chars and 2 KiB
    // of notes always fit together.
    static constexpr qsizetype kMaxBytes = 8 * 1024;
    static constexpr qsizetype kMaxModels = 64;
    static constexpr qsizetype kMaxModelLength = 64;
    static constexpr qsizetype kMaxNotesBytes = 2 * 1024;  // UTF-8
    static constexpr qint64 kMaxSize = qint64(4) * 1024 * 1024 * 1024;  // 4 GiB

    QString version;
    QStringList models;
    QString notes;
    QString sha256;  // lowercase hex
    qint64 size = 0;

    // Checks every field against the limits (version per FirmwareVersion::isValid, 1..64
    // distinct non-empty models of <= 64 chars without control characters, notes, 64
    // lowercase hex chars, 1 <= size <= 4 GiB; no model and no notes starting with U+FEFF,
    // which would not read back from toBytes()); false with the reason.
    bool isValid(QString *why = nullptr) const;
    // The signed bytes (valid or not: check isValid() first).
    QByteArray toBytes() const;
    // Parses and validates; std::nullopt with the reason. Unknown keys are ignored; leading
    // U+FEFF of the version, models and notes are dropped however they were written
    // (json_names.h), so toBytes() -> fromBytes() gives the same manifest.
    static std::optional<FirmwareManifest> fromBytes(QByteArrayView bytes, QString *error);
    // Whether a string is 64 lowercase hex characters.
    static bool isSha256Hex(QStringView text);

    friend bool operator==(const FirmwareManifest &, const FirmwareManifest &) = default;
};

} // namespace fd
