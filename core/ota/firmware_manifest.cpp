#include "core/ota/firmware_manifest.h"

#include "core/domain/json_names.h"
#include "core/domain/plain_text.h"
#include "core/ota/firmware_version.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSet>

#include <cmath>

namespace fd {
namespace {

bool fail(QString *why, const QString &reason)
{
    if (why)
        *why = reason;
    return false;
}

bool hasControlCharacter(QStringView s)
{
    for (QChar c : s) {
        if (c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

} // namespace

bool FirmwareManifest::isSha256Hex(QStringView text)
{
    if (text.size() != 64)
        return false;
    for (QChar c : text) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

bool FirmwareManifest::isValid(QString *why) const
{
    QString reason;
    if (!FirmwareVersion::isValid(version, &reason))
        return fail(why, tr("invalid version \"%1\": %2").arg(oneLineText(version, FirmwareVersion::kMaxLength), reason));
    if (models.isEmpty())
        return fail(why, tr("at least one compatible model is required"));
    if (models.size() > kMaxModels)
        return fail(why, tr("more than %1 models").arg(kMaxModels));
    QSet<QString> seen;
    for (const QString &m : models) {
        if (m.trimmed().isEmpty())
            return fail(why, tr("a model name is empty"));
        if (m.size() > kMaxModelLength)
            return fail(why, tr("the model name \"%1...\" is longer than %2 characters").arg(oneLineText(m, 20)).arg(kMaxModelLength));
        if (hasControlCharacter(m))
            return fail(why, tr("a model name holds a control character"));
        // A JSON reader drops a leading U+FEFF written plainly (json_names.h): such a model
        // would not read back from the signed bytes as itself.
        if (m.startsWith(QChar(QChar::ByteOrderMark)))
            return fail(why, tr("a model name starts with a byte order mark (U+FEFF)"));
        if (seen.contains(m))
            return fail(why, tr("the model \"%1\" is listed twice").arg(oneLineText(m, kMaxModelLength)));
        seen.insert(m);
    }
    if (notes.toUtf8().size() > kMaxNotesBytes)
        return fail(why, tr("the release notes are larger than %1 KiB").arg(kMaxNotesBytes / 1024));
    if (notes.startsWith(QChar(QChar::ByteOrderMark)))
        return fail(why, tr("the release notes start with a byte order mark (U+FEFF)"));
    if (!isSha256Hex(sha256))
        return fail(why, tr("sha256 must be 64 lowercase hex characters"));
    if (size < 1 || size > kMaxSize)
        return fail(why, tr("size %1 is outside 1 byte .. 4 GiB").arg(size));
    return true;
}

QByteArray FirmwareManifest::toBytes() const
{
    QJsonObject o;  // QJsonObject keeps its keys sorted: the output is canonical
    o.insert(QStringLiteral("models"), QJsonArray::fromStringList(models));
    o.insert(QStringLiteral("notes"), notes);
    o.insert(QStringLiteral("sha256"), sha256);
    o.insert(QStringLiteral("size"), size);
    o.insert(QStringLiteral("version"), version);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<FirmwareManifest> FirmwareManifest::fromBytes(QByteArrayView bytes, QString *error)
{
    if (bytes.size() > kMaxBytes) {
        fail(error, tr("the manifest is larger than %1 KiB").arg(kMaxBytes / 1024));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        fail(error, parseError.error != QJsonParseError::NoError
                        ? tr("the manifest is not JSON: %1").arg(parseError.errorString())
                        : tr("the manifest is not a JSON object"));
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    FirmwareManifest m;
    const QJsonValue version = o.value(QStringLiteral("version"));
    const QJsonValue models = o.value(QStringLiteral("models"));
    const QJsonValue notes = o.value(QStringLiteral("notes"));
    const QJsonValue sha256 = o.value(QStringLiteral("sha256"));
    const QJsonValue size = o.value(QStringLiteral("size"));
    if (!version.isString()) {
        fail(error, tr("the manifest has no \"version\" string"));
        return std::nullopt;
    }
    if (!models.isArray()) {
        fail(error, tr("the manifest has no \"models\" array"));
        return std::nullopt;
    }
    if (!notes.isUndefined() && !notes.isString()) {
        fail(error, tr("the manifest's \"notes\" is not a string"));
        return std::nullopt;
    }
    if (!sha256.isString()) {
        fail(error, tr("the manifest has no \"sha256\" string"));
        return std::nullopt;
    }
    if (!size.isDouble()) {
        fail(error, tr("the manifest has no \"size\" number"));
        return std::nullopt;
    }
    const QJsonArray modelArray = models.toArray();
    if (modelArray.size() > kMaxModels) {
        fail(error, tr("more than %1 models").arg(kMaxModels));
        return std::nullopt;
    }
    for (const QJsonValue &v : modelArray) {
        if (!v.isString()) {
            fail(error, tr("a model in the manifest is not a string"));
            return std::nullopt;
        }
        m.models.append(jsonName(v.toString()));
    }
    const double sizeValue = size.toDouble();
    if (!std::isfinite(sizeValue) || sizeValue != std::floor(sizeValue) || sizeValue < 1.0
        || sizeValue > double(kMaxSize)) {
        fail(error, tr("the manifest's size is not a whole number of bytes in 1 .. 4 GiB"));
        return std::nullopt;
    }
    // U+FEFF at the start of a string: read the same however it was written (json_names.h).
    m.version = jsonName(version.toString());
    m.notes = jsonName(notes.toString());
    m.sha256 = sha256.toString();
    m.size = qint64(sizeValue);
    if (!m.isValid(error))
        return std::nullopt;
    return m;
}

} // namespace fd
