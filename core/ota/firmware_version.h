#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringView>

namespace fd {

// Firmware version strings ("2.4.0", "2.4.0-rc1", "10.1+build7") and their order, the same
// on the console and on devices (the device's "older / already on" rule).
//
// compare(): the part before '-' is dotted; each dotted part compares numerically when both
// are digits (any length, no overflow), a missing part counts as 0 (2.4 == 2.4.0), a
// numeric part sorts before a non-numeric one, and non-numeric parts compare as text. With
// equal dotted parts, a pre-release suffix (after the first '-') sorts lower than none
// (2.4.0-rc1 < 2.4.0); two suffixes compare by their dot-separated identifiers like the
// dotted parts (rc.2 < rc.10), a shorter list first when one is a prefix of the other. A
// build suffix (after the first '+') is ignored (2.4.0+b1 == 2.4.0+b2), as in SemVer.
// Garbage never crashes: it is just ordered as text.
class FirmwareVersion
{
    Q_DECLARE_TR_FUNCTIONS(fd::FirmwareVersion)
public:
    static constexpr qsizetype kMaxLength = 64;

    // -1 when a < b, 0 when equal, 1 when a > b.
    static int compare(QStringView a, QStringView b);
    // 1..64 chars of [0-9A-Za-z.+-], starting with a digit; false with the reason in *why.
    static bool isValid(QStringView version, QString *why = nullptr);
};

} // namespace fd
