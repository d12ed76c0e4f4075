#include "core/provisioning/expected_device_csv.h"

#include "core/provisioning/provisioning_ids.h"

#include <QHash>
#include <QStringDecoder>

namespace fd {
namespace {

struct Record
{
    int line = 0;
    QStringList fields;
};

bool hasControl(const QString &s)
{
    for (QChar c : s) {
        if (c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

// A value from the file quoted in an error: at most max characters, control characters
// (a quoted field may hold a line break) as '?', so every error stays one line of text.
QString shown(const QString &value, qsizetype max)
{
    QString out = value.left(max);
    for (QChar &c : out) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Separator_Line
            || c.category() == QChar::Separator_Paragraph)
            c = u'?';
    }
    return out;
}

} // namespace

ExpectedDeviceCsv::Result ExpectedDeviceCsv::parse(QByteArrayView bytes, qint64 importedMs)
{
    Result result;
    auto error = [&result](int line, const QString &text) {
        if (result.errors.size() < kMaxErrors)
            result.errors.append(tr("line %1: %2").arg(line).arg(text));
    };
    if (bytes.size() > kMaxBytes) {
        result.errors.append(tr("the file is larger than %1 MiB").arg(kMaxBytes / (1024 * 1024)));
        return result;
    }
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes = bytes.sliced(3);
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder.decode(bytes);
    if (decoder.hasError()) {
        result.errors.append(tr("the file is not UTF-8 text"));
        return result;
    }

    // Records, with the line each starts on.
    QList<Record> records;
    Record current;
    QString field;
    bool inQuotes = false;
    bool fieldQuoted = false;
    bool recordHasText = false;
    int line = 1;
    current.line = 1;
    auto endRecord = [&]() {
        current.fields.append(field);
        if (recordHasText || current.fields.size() > 1)
            records.append(current);
        current = Record{};
        field.clear();
        fieldQuoted = false;
        recordHasText = false;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inQuotes) {
            if (c == u'"') {
                if (i + 1 < text.size() && text.at(i + 1) == u'"') {
                    field.append(u'"');
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                if (c == u'\n')
                    ++line;
                field.append(c);
            }
            continue;
        }
        if (c == u'"') {
            if (!field.trimmed().isEmpty() || fieldQuoted) {
                error(line, tr("a quote inside an unquoted field"));
                return result;
            }
            field.clear();
            inQuotes = true;
            fieldQuoted = true;
            recordHasText = true;
        } else if (c == u',') {
            if (current.fields.size() >= kMaxFields - 1) {
                // A valid file has at most 7 columns; millions of empty fields are not kept.
                error(current.line, tr("more than %1 fields").arg(kMaxFields));
                return result;
            }
            current.fields.append(field);
            field.clear();
            fieldQuoted = false;
            recordHasText = true;
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            continue;
        } else if (c == u'\n') {
            endRecord();
            ++line;
            current.line = line;
        } else {
            if (fieldQuoted) {
                if (!c.isSpace()) {
                    error(line, tr("text after a closing quote"));
                    return result;
                }
                continue;
            }
            field.append(c);
            if (!c.isSpace())
                recordHasText = true;
        }
        if (records.size() > kMaxRows + 1) {
            result.errors.append(tr("more than %1 rows").arg(kMaxRows));
            return result;
        }
    }
    if (inQuotes) {
        error(current.line, tr("a quoted field is not closed"));
        return result;
    }
    endRecord();
    if (records.size() > kMaxRows + 1) {
        result.errors.append(tr("more than %1 rows").arg(kMaxRows));
        return result;
    }
    if (records.isEmpty()) {
        result.errors.append(tr("the file is empty: it needs a header \"serial,model,claim_code\""));
        return result;
    }

    // Header.
    const Record &header = records.constFirst();
    static const QStringList known = {QStringLiteral("serial"), QStringLiteral("model"), QStringLiteral("claim_code"),
                                      QStringLiteral("device_id"), QStringLiteral("name"), QStringLiteral("site"),
                                      QStringLiteral("tags")};
    QHash<QString, int> column;
    for (int i = 0; i < header.fields.size(); ++i) {
        const QString name = header.fields.at(i).trimmed().toLower();
        if (!known.contains(name)) {
            error(header.line, tr("unknown column \"%1\" (known: %2)").arg(shown(name, 64), known.join(QStringLiteral(", "))));
            continue;
        }
        if (column.contains(name)) {
            error(header.line, tr("the column \"%1\" appears twice").arg(name));
            continue;
        }
        column.insert(name, i);
    }
    for (const char *required : {"serial", "model", "claim_code"}) {
        if (!column.contains(QString::fromLatin1(required)))
            error(header.line, tr("the header has no \"%1\" column").arg(QString::fromLatin1(required)));
    }
    if (!result.errors.isEmpty())
        return result;

    QHash<QString, int> seen;  // serial -> line
    for (qsizetype r = 1; r < records.size(); ++r) {
        const Record &rec = records.at(r);
        if (rec.fields.size() != header.fields.size()) {
            error(rec.line, tr("%1 fields, the header has %2").arg(rec.fields.size()).arg(header.fields.size()));
            continue;
        }
        auto value = [&rec, &column](const char *name) {
            const int i = column.value(QString::fromLatin1(name), -1);
            return i < 0 ? QString() : rec.fields.at(i).trimmed();
        };
        ExpectedDevice d;
        d.serial = value("serial");
        d.model = value("model");
        const QString claim = value("claim_code");
        d.deviceId = value("device_id");
        d.name = value("name");
        d.site = value("site");
        const QString tags = value("tags");
        d.importedMs = importedMs;

        if (!ProvisioningIds::isValidSerial(d.serial))
            error(rec.line, tr("serial \"%1\": 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'").arg(shown(d.serial, 80)));
        if (d.model.isEmpty() || d.model.size() > 64 || hasControl(d.model))
            error(rec.line, tr("model: 1 to 64 printable characters"));
        if (claim.isEmpty() || claim.size() > 128 || hasControl(claim))
            error(rec.line, tr("claim_code: 1 to 128 printable characters"));
        QString why;
        if (!d.deviceId.isEmpty() && !ProvisioningIds::isValidDeviceId(d.deviceId, &why))
            error(rec.line, tr("device_id \"%1\": %2").arg(shown(d.deviceId, 80), why));
        if (d.name.size() > kMaxTextChars || hasControl(d.name))
            error(rec.line, tr("name: at most %1 printable characters").arg(kMaxTextChars));
        if (d.site.size() > kMaxTextChars || hasControl(d.site))
            error(rec.line, tr("site: at most %1 printable characters").arg(kMaxTextChars));
        for (const QString &t : tags.split(u';', Qt::SkipEmptyParts)) {
            const QString tag = t.trimmed();
            if (tag.isEmpty())
                continue;
            if (tag.size() > 64 || hasControl(tag)) {
                error(rec.line, tr("tags: each tag 1 to 64 printable characters"));
                break;
            }
            if (!d.tags.contains(tag))
                d.tags.append(tag);
            if (d.tags.size() > kMaxTags) {
                // Stops here: comparing each of a million tags with the others took minutes.
                error(rec.line, tr("tags: at most %1").arg(kMaxTags));
                break;
            }
        }
        if (const auto it = seen.constFind(d.serial); it != seen.cend() && !d.serial.isEmpty())
            error(rec.line, tr("serial \"%1\" already on line %2").arg(shown(d.serial, 80), QString::number(it.value())));
        else
            seen.insert(d.serial, rec.line);
        if (!result.errors.isEmpty())
            continue;  // the import is refused anyway: only the errors matter now
        d.claimHash = ProvisioningIds::claimHash(d.serial, claim);
        result.devices.append(d);
    }
    if (!result.errors.isEmpty())
        result.devices.clear();
    else if (result.devices.isEmpty())
        result.errors.append(tr("the file has a header but no device"));
    return result;
}

QString ExpectedDeviceCsv::quoted(const QString &field)
{
    // Also defuses spreadsheet formulas: a leading = + - @ is prefixed by an apostrophe.
    QString f = field;
    if (!f.isEmpty() && QStringView(u"=+-@").contains(f.at(0)))
        f.prepend(u'\'');
    if (f.contains(u',') || f.contains(u'"') || f.contains(u'\n') || f.contains(u'\r') || f != field)
        return u'"' + QString(f).replace(u'"', QStringLiteral("\"\"")) + u'"';
    return f;
}

QByteArray ExpectedDeviceCsv::write(const QList<ExpectedDevice> &devices)
{
    QString out = QStringLiteral("serial,model,claim_sha256,device_id,name,site,tags,state\n");
    for (const ExpectedDevice &d : devices) {
        const QStringList fields = {d.serial, d.model, d.claimHash, d.deviceId, d.name, d.site,
                                    d.tags.join(u';'), ExpectedDevice::stateKey(d.state)};
        QStringList q;
        for (const QString &f : fields)
            q.append(quoted(f));
        out += q.join(u',') + u'\n';
    }
    return out.toUtf8();
}

} // namespace fd
