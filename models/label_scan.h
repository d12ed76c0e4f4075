#pragma once

#include <QString>

namespace fd {

// What a technician typed or scanned from a device's label. A barcode scanner is a keyboard
// that types the code and ends with Enter; a label code holding both values reads
// "SERIAL;CLAIM" or "SERIAL<Tab>CLAIM" (a Tab typed by the scanner moves the focus by itself,
// a pasted one stays in the text). parse() splits such a text at its first ';' or Tab, trims
// both parts (spaces, line ends a scanner may add) and bounds them.
struct LabelScan
{
    static constexpr qsizetype kMaxSerialLength = 64;   // docs/protocol.md: 1..64 chars
    static constexpr qsizetype kMaxClaimLength = 256;

    QString serial;
    QString claim;
    bool hasSeparator = false;  // the text held both values

    static LabelScan parse(const QString &text);
    // True for a separator a scan may carry between serial and claim.
    static bool isSeparator(QChar c) { return c == u';' || c == u'\t'; }
    static bool containsSeparator(const QString &text);

    // Why a serial cannot be one (plain words), or '' when it can: 1..64 characters of
    // A-Z a-z 0-9 . _ - (the provisioning protocol's rule).
    static QString serialProblem(const QString &serial);
    // Why a claim code cannot be one, or '': not empty, no control characters, bounded.
    static QString claimProblem(const QString &claim);
};

} // namespace fd
