#include "core/ota/ota_job_document.h"

#include "core/domain/json_names.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

#include <cmath>

namespace fd {

namespace {

bool isHex(QStringView s)
{
    for (QChar c : s) {
        const char16_t u = c.unicode();
        if (!((u >= '0' && u <= '9') || (u >= 'a' && u <= 'f')))
            return false;
    }
    return true;
}

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

// A JSON number that is an integer within [lo, hi].
bool readInteger(const QJsonObject &o, const char *key, qint64 lo, qint64 hi, qint64 *out, QString *error, bool required = true)
{
    const QJsonValue v = o.value(QLatin1StringView(key));
    if (v.isUndefined()) {
        if (required)
            return fail(error, QStringLiteral("\"%1\" is missing").arg(QLatin1StringView(key)));
        return true;
    }
    const double d = v.toDouble(std::nan(""));
    if (!v.isDouble() || !std::isfinite(d) || d != std::floor(d) || d < double(lo) || d > double(hi))
        return fail(error, QStringLiteral("\"%1\" must be an integer from %2 to %3").arg(QLatin1StringView(key)).arg(lo).arg(hi));
    *out = qint64(d);
    return true;
}

bool readString(const QJsonObject &o, const char *key, qsizetype maxChars, QString *out, QString *error)
{
    const QJsonValue v = o.value(QLatin1StringView(key));
    if (!v.isString())
        return fail(error, QStringLiteral("\"%1\" must be a string").arg(QLatin1StringView(key)));
    const QString s = v.toString();
    if (s.size() > maxChars)
        return fail(error, QStringLiteral("\"%1\" is longer than %2 characters").arg(QLatin1StringView(key)).arg(maxChars));
    *out = s;
    return true;
}

bool readBase64(const QJsonObject &o, const char *key, qsizetype maxBytes, QByteArray *out, QString *error)
{
    QString text;
    if (!readString(o, key, (maxBytes + 2) / 3 * 4 + 4, &text, error))
        return false;
    auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty() || decoded.decoded.size() > maxBytes)
        return fail(error, QStringLiteral("\"%1\" must be base64 of 1 to %2 bytes").arg(QLatin1StringView(key)).arg(maxBytes));
    *out = decoded.decoded;
    return true;
}

} // namespace

bool OtaJobDocument::isValidJobId(QStringView id)
{
    if (id.isEmpty() || id.size() > 64)
        return false;
    for (QChar c : id) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '.'
                        || u == '_' || u == '-';
        if (!ok)
            return false;
    }
    return true;
}

QByteArray OtaJobDocument::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("job_id"), jobId);
    o.insert(QStringLiteral("rollout"), double(rollout));
    o.insert(QStringLiteral("version"), version);
    o.insert(QStringLiteral("size"), double(size));
    o.insert(QStringLiteral("sha256"), sha256);
    o.insert(QStringLiteral("manifest"), QString::fromLatin1(manifest.toBase64()));
    o.insert(QStringLiteral("signature"), QString::fromLatin1(signature.toBase64()));
    o.insert(QStringLiteral("key_id"), keyId);
    o.insert(QStringLiteral("chunk_size"), chunkSize);
    o.insert(QStringLiteral("rollback"), rollback);
    o.insert(QStringLiteral("timeout_s"), timeoutS);
    o.insert(QStringLiteral("ts"), double(tsMs));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<OtaJobDocument> OtaJobDocument::parse(QByteArrayView json, QString *error)
{
    if (json.isEmpty()) {
        fail(error, QStringLiteral("empty job document"));
        return std::nullopt;
    }
    if (json.size() > kMaxBytes) {
        fail(error, QStringLiteral("job document of %1 bytes, the limit is %2").arg(json.size()).arg(kMaxBytes));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        fail(error, parseError.error != QJsonParseError::NoError
                        ? QStringLiteral("not JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset)
                        : QStringLiteral("not a JSON object"));
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    OtaJobDocument d;
    qint64 n = 0;
    if (!readString(o, "job_id", 64, &d.jobId, error))
        return std::nullopt;
    if (!isValidJobId(d.jobId)) {
        fail(error, QStringLiteral("\"job_id\" must be 1-64 letters, digits, '.', '_' or '-'"));
        return std::nullopt;
    }
    if (!readInteger(o, "rollout", 0, qint64(1) << 53, &d.rollout, error, false))
        return std::nullopt;
    if (!readString(o, "version", 64, &d.version, error))
        return std::nullopt;
    d.version = jsonName(d.version);  // U+FEFF: read the same however it was written
    if (d.version.isEmpty()) {
        fail(error, QStringLiteral("\"version\" is empty"));
        return std::nullopt;
    }
    if (!readInteger(o, "size", 1, kMaxSize, &d.size, error))
        return std::nullopt;
    if (!readString(o, "sha256", 64, &d.sha256, error))
        return std::nullopt;
    if (d.sha256.size() != 64 || !isHex(d.sha256)) {
        fail(error, QStringLiteral("\"sha256\" must be 64 lowercase hex characters"));
        return std::nullopt;
    }
    if (!readBase64(o, "manifest", kMaxManifestBytes, &d.manifest, error))
        return std::nullopt;
    if (!readBase64(o, "signature", kMaxSignatureBytes, &d.signature, error))
        return std::nullopt;
    if (!readString(o, "key_id", 16, &d.keyId, error))
        return std::nullopt;
    if (d.keyId.size() != 16 || !isHex(d.keyId)) {
        fail(error, QStringLiteral("\"key_id\" must be 16 lowercase hex characters"));
        return std::nullopt;
    }
    n = kDefaultChunkSize;
    if (!readInteger(o, "chunk_size", kMinChunkSize, kMaxChunkSize, &n, error, false))
        return std::nullopt;
    d.chunkSize = int(n);
    const QJsonValue rollback = o.value(QLatin1StringView("rollback"));
    if (!rollback.isUndefined() && !rollback.isBool()) {
        fail(error, QStringLiteral("\"rollback\" must be true or false"));
        return std::nullopt;
    }
    d.rollback = rollback.toBool(false);
    n = 1800;
    if (!readInteger(o, "timeout_s", 1, 7 * 24 * 3600, &n, error, false))
        return std::nullopt;
    d.timeoutS = int(n);
    if (!readInteger(o, "ts", 0, qint64(1) << 53, &d.tsMs, error, false))
        return std::nullopt;
    return d;
}

} // namespace fd
