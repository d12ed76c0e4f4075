// Fuzz target: ExpectedDeviceCsv::parse, the list of expected devices a manufacturer sends
// (a file from outside, imported by `fleetdeckctl provision import` and the GUI).
// Input: the CSV bytes.
//
// Checked per input:
//  - All or nothing: ok() exactly when there are no errors; a refused file gives no device;
//    at most kMaxErrors errors, each one line of text.
//  - An accepted file: 1..kMaxRows devices, serials valid and unique, model 1..64
//    characters without control characters, claim hash 64 lowercase hex, device id empty or
//    valid, name / site within kMaxTextChars without control characters, at most kMaxTags
//    unique non-empty tags without ';', importedMs as given, state expected; no field has
//    white space around it (fields are trimmed).
//  - Written again by this target with every field quoted (RFC 4180) and one claim code,
//    the devices parse back to the same serials, models, device ids, names, sites and tags:
//    the reader's quoting is the standard's.
#include "fuzz_support.h"

#include "core/provisioning/expected_device_csv.h"
#include "core/provisioning/provisioning_ids.h"

#include <QSet>

using namespace fd;

namespace {

constexpr qint64 kImportedMs = 1764145000123;

bool hasControl(const QString &s)
{
    for (QChar c : s) {
        if (c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

bool isTrimmed(const QString &s)
{
    return s == s.trimmed();
}

QString quote(const QString &field)
{
    return u'"' + QString(field).replace(u'"', QStringLiteral("\"\"")) + u'"';
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fd::fuzz::quietLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes = fd::fuzz::inputBytes(data, size);
    const ExpectedDeviceCsv::Result r = ExpectedDeviceCsv::parse(bytes, kImportedMs);
    FD_FUZZ_CHECK(r.ok() == r.errors.isEmpty(), "ok() is not 'no errors'");
    FD_FUZZ_CHECK(r.errors.size() <= ExpectedDeviceCsv::kMaxErrors, "more errors than the limit");
    for (const QString &e : r.errors)
        FD_FUZZ_CHECK(!e.isEmpty() && !e.contains(u'\n'), "an error that is empty or not one line");
    if (!r.ok()) {
        FD_FUZZ_CHECK(r.devices.isEmpty(), "a refused file gave devices");
        return 0;
    }
    FD_FUZZ_CHECK(bytes.size() <= ExpectedDeviceCsv::kMaxBytes, "a file over the limit accepted");
    FD_FUZZ_CHECK(!r.devices.isEmpty() && r.devices.size() <= ExpectedDeviceCsv::kMaxRows,
                  "an accepted file with no device or too many");

    QSet<QString> serials;
    for (const ExpectedDevice &d : r.devices) {
        FD_FUZZ_CHECK(ProvisioningIds::isValidSerial(d.serial), "an accepted serial that is invalid");
        FD_FUZZ_CHECK(!serials.contains(d.serial), "one serial twice");
        serials.insert(d.serial);
        FD_FUZZ_CHECK(!d.model.isEmpty() && d.model.size() <= 64 && !hasControl(d.model) && isTrimmed(d.model),
                      "an accepted model of a wrong length, untrimmed or with a control character");
        FD_FUZZ_CHECK(ProvisioningIds::isValidClaimHash(d.claimHash) && d.claimHash == d.claimHash.toLower(),
                      "a claim hash that is not 64 lowercase hex");
        FD_FUZZ_CHECK(d.deviceId.isEmpty() || ProvisioningIds::isValidDeviceId(d.deviceId), "an invalid device id");
        for (const QString *text : {&d.name, &d.site})
            FD_FUZZ_CHECK(text->size() <= ExpectedDeviceCsv::kMaxTextChars && !hasControl(*text) && isTrimmed(*text),
                          "a name or site too long, untrimmed or with a control character");
        FD_FUZZ_CHECK(d.tags.size() <= ExpectedDeviceCsv::kMaxTags, "more tags than the limit");
        FD_FUZZ_CHECK(QSet<QString>(d.tags.cbegin(), d.tags.cend()).size() == d.tags.size(), "a tag twice");
        for (const QString &t : d.tags)
            FD_FUZZ_CHECK(!t.isEmpty() && t.size() <= 64 && !t.contains(u';') && !hasControl(t) && isTrimmed(t),
                          "a tag that is empty, too long, untrimmed, with ';' or a control character");
        FD_FUZZ_CHECK(d.importedMs == kImportedMs && d.state == ExpectedDevice::State::Expected,
                      "importedMs or state not as imported");
    }

    // Written again, every field quoted: the same devices.
    QString csv = QStringLiteral("serial,model,claim_code,device_id,name,site,tags\r\n");
    for (const ExpectedDevice &d : r.devices) {
        const QStringList fields = {d.serial, d.model, QStringLiteral("claim"), d.deviceId, d.name, d.site,
                                    d.tags.join(u';')};
        QStringList quoted;
        for (const QString &f : fields)
            quoted.append(quote(f));
        csv += quoted.join(u',') + QStringLiteral("\r\n");
    }
    const ExpectedDeviceCsv::Result back = ExpectedDeviceCsv::parse(csv.toUtf8(), kImportedMs);
    FD_FUZZ_CHECK(back.ok(), "the devices written again with quoted fields are refused");
    FD_FUZZ_CHECK(back.devices.size() == r.devices.size(), "written again: another number of devices");
    for (qsizetype i = 0; i < back.devices.size(); ++i) {
        const ExpectedDevice &a = r.devices.at(i);
        const ExpectedDevice &b = back.devices.at(i);
        FD_FUZZ_CHECK(a.serial == b.serial && a.model == b.model && a.deviceId == b.deviceId && a.name == b.name
                          && a.site == b.site && a.tags == b.tags,
                      "written again with quoted fields: another device");
        FD_FUZZ_CHECK(b.claimHash == ProvisioningIds::claimHash(b.serial, QStringLiteral("claim")),
                      "the claim hash is not SHA-256(serial:claim)");
    }
    return 0;
}
