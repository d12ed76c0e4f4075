#include "core/pki/fleet_ca.h"

#include "core/pki/csr_check.h"
#include "core/pki/openssl_handles.h"
#include "core/pki/certificate_request.h"
#include "core/pki/serial_number.h"

#include <QDateTime>
#include <QRegularExpression>

#include <algorithm>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace fd {
namespace {

constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;
constexpr qsizetype kMaxCommonNameLength = 64;  // RFC 5280 ub-common-name

template <typename T>
std::optional<T> refuse(QString *why, const QString &reason)
{
    if (why)
        *why = reason;
    return std::nullopt;
}

qint64 currentMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

openssl::Asn1TimePtr asn1Time(qint64 ms)
{
    return openssl::Asn1TimePtr(ASN1_TIME_set(nullptr, time_t(ms / 1000)));
}

openssl::Asn1IntegerPtr asn1Serial(const QByteArray &serial)
{
    openssl::BignumPtr bn(
        BN_bin2bn(reinterpret_cast<const unsigned char *>(serial.constData()), int(serial.size()), nullptr));
    return openssl::Asn1IntegerPtr(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr);
}

struct NameEntry
{
    const char *field;
    QString value;
};

openssl::X509NamePtr makeName(std::initializer_list<NameEntry> entries)
{
    openssl::X509NamePtr name(X509_NAME_new());
    for (const NameEntry &e : entries) {
        const QByteArray utf8 = e.value.toUtf8();
        if (!name
            || X509_NAME_add_entry_by_txt(name.get(), e.field, MBSTRING_UTF8,
                                          reinterpret_cast<const unsigned char *>(utf8.constData()), int(utf8.size()),
                                          -1, 0)
                   != 1)
            return nullptr;
    }
    return name;
}

// Adds the extension nid = value (OpenSSL config syntax) to cert, in the context of issuer.
bool addExtension(X509 *cert, X509 *issuer, int nid, const QByteArray &value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    openssl::X509ExtensionPtr ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.constData()));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

struct CertSpec
{
    const X509_NAME *subject = nullptr;
    EVP_PKEY *subjectKey = nullptr;
    X509 *issuerCert = nullptr;   // null: self-signed
    EVP_PKEY *issuerKey = nullptr;
    QByteArray serial;
    qint64 notBeforeMs = 0;
    qint64 notAfterMs = 0;
    QList<QPair<int, QByteArray>> extensions;  // after SKI, before AKI
};

// A signed certificate (SHA-256), or std::nullopt with the OpenSSL reason.
std::optional<Certificate> makeCertificate(const CertSpec &spec, QString *why)
{
    openssl::X509Ptr cert(X509_new());
    const openssl::Asn1IntegerPtr serial = asn1Serial(spec.serial);
    const openssl::Asn1TimePtr notBefore = asn1Time(spec.notBeforeMs);
    const openssl::Asn1TimePtr notAfter = asn1Time(spec.notAfterMs);
    bool ok = cert && serial && notBefore && notAfter && X509_set_version(cert.get(), X509_VERSION_3) == 1
              && X509_set_serialNumber(cert.get(), serial.get()) == 1
              && X509_set_subject_name(cert.get(), spec.subject) == 1
              && X509_set_issuer_name(cert.get(), spec.issuerCert ? X509_get_subject_name(spec.issuerCert)
                                                                 : spec.subject)
                     == 1
              && X509_set1_notBefore(cert.get(), notBefore.get()) == 1
              && X509_set1_notAfter(cert.get(), notAfter.get()) == 1
              && X509_set_pubkey(cert.get(), spec.subjectKey) == 1;
    X509 *issuer = spec.issuerCert ? spec.issuerCert : cert.get();
    ok = ok && addExtension(cert.get(), issuer, NID_subject_key_identifier, "hash");
    for (const auto &[nid, value] : spec.extensions)
        ok = ok && addExtension(cert.get(), issuer, nid, value);
    ok = ok && addExtension(cert.get(), issuer, NID_authority_key_identifier, "keyid:always");
    ok = ok && X509_sign(cert.get(), spec.issuerKey, EVP_sha256()) > 0;
    if (!ok)
        return refuse<Certificate>(why, FleetCa::tr("cannot make the certificate: %1").arg(openssl::takeError()));
    return Certificate::adopt(cert.release());
}

bool isValidCommonName(const QString &name, QString *why)
{
    if (name.isEmpty() || name.size() > kMaxCommonNameLength) {
        if (why)
            *why = FleetCa::tr("a common name is 1 to %1 characters").arg(kMaxCommonNameLength);
        return false;
    }
    for (const QChar c : name) {
        if (!c.isPrint()) {
            if (why)
                *why = FleetCa::tr("the common name holds a control character");
            return false;
        }
    }
    return true;
}

// Device ids become MQTT user names (ACL %u) and file names: [A-Za-z0-9._-]{1,64}, not
// starting with '.', not a reserved identity.
bool isValidDeviceId(const QString &id, QString *why)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$"));
    if (!pattern.match(id).hasMatch()) {
        if (why)
            *why = FleetCa::tr("\"%1\" is not a device id (1 to 64 of A-Z a-z 0-9 . _ -, not starting with '.')")
                       .arg(id.left(80));
        return false;
    }
    if (id == u"bootstrap" || id == u"fleetdeck-operator") {
        if (why)
            *why = FleetCa::tr("\"%1\" is a reserved identity, not a device id").arg(id);
        return false;
    }
    return true;
}

// A host for subjectAltName: an IP address (v4 or v6) or a DNS name; the config value, or
// empty with the reason.
QByteArray sanEntry(const QString &host, QString *why)
{
    const QByteArray latin = host.toLatin1();
    if (host.isEmpty() || host.size() > 253 || QString::fromLatin1(latin) != host) {
        if (why)
            *why = FleetCa::tr("\"%1\" is not a host name or IP address").arg(host.left(80));
        return QByteArray();
    }
    ASN1_OCTET_STRING *ip = a2i_IPADDRESS(latin.constData());
    ERR_clear_error();
    if (ip) {
        ASN1_OCTET_STRING_free(ip);
        return "IP:" + latin;
    }
    static const QRegularExpression dns(QStringLiteral(
        "^(\\*\\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"));
    if (!dns.match(host).hasMatch()) {
        if (why)
            *why = FleetCa::tr("\"%1\" is not a host name or IP address").arg(host.left(80));
        return QByteArray();
    }
    return "DNS:" + latin;
}

bool validWindow(const QString &what, const Certificate &cert, qint64 nowMs, QString *why)
{
    if (nowMs < cert.notBeforeMs()) {
        if (why)
            *why = FleetCa::tr("the %1 certificate is not valid before %2")
                       .arg(what, QDateTime::fromMSecsSinceEpoch(cert.notBeforeMs(), Qt::UTC).toString(Qt::ISODate));
        return false;
    }
    if (nowMs >= cert.notAfterMs()) {
        if (why)
            *why = FleetCa::tr("the %1 certificate expired on %2")
                       .arg(what, QDateTime::fromMSecsSinceEpoch(cert.notAfterMs(), Qt::UTC).toString(Qt::ISODate));
        return false;
    }
    return true;
}

} // namespace

FleetCa::FleetCa(Certificate root, Certificate intermediate, PkiKey key)
    : m_root(std::move(root))
    , m_intermediate(std::move(intermediate))
    , m_key(std::move(key))
{
}

FleetCa::Created FleetCa::create(const QString &name, int rootDays, int intermediateDays, qint64 nowMs)
{
    if (nowMs <= 0)
        nowMs = currentMs();
    PkiKey rootKey = PkiKey::generateP256();
    PkiKey intermediateKey = PkiKey::generateP256();
    const QString org = QStringLiteral("FleetDeck");
    const openssl::X509NamePtr rootName =
        makeName({{"O", org}, {"CN", QString(name + QStringLiteral(" Root CA")).left(kMaxCommonNameLength)}});
    const openssl::X509NamePtr intermediateName =
        makeName({{"O", org}, {"CN", QString(name + QStringLiteral(" Issuing CA")).left(kMaxCommonNameLength)}});
    if (!rootName || !intermediateName)
        qFatal("FleetCa: cannot make the CA names: %s", qPrintable(openssl::takeError()));

    CertSpec rootSpec;
    rootSpec.subject = rootName.get();
    rootSpec.subjectKey = rootKey.get();
    rootSpec.issuerKey = rootKey.get();
    rootSpec.serial = SerialNumber::random();
    rootSpec.notBeforeMs = nowMs - kBackdateMs;
    rootSpec.notAfterMs = nowMs + qint64(rootDays) * kDayMs;
    rootSpec.extensions = {{NID_basic_constraints, "critical,CA:TRUE,pathlen:1"},
                           {NID_key_usage, "critical,keyCertSign,cRLSign"}};
    QString why;
    const std::optional<Certificate> root = makeCertificate(rootSpec, &why);
    if (!root)
        qFatal("FleetCa: cannot make the root certificate: %s", qPrintable(why));

    CertSpec intSpec;
    intSpec.subject = intermediateName.get();
    intSpec.subjectKey = intermediateKey.get();
    intSpec.issuerCert = root->get();
    intSpec.issuerKey = rootKey.get();
    intSpec.serial = SerialNumber::random();
    intSpec.notBeforeMs = nowMs - kBackdateMs;
    intSpec.notAfterMs = std::min(nowMs + qint64(intermediateDays) * kDayMs, root->notAfterMs());
    intSpec.extensions = {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                          {NID_key_usage, "critical,keyCertSign,cRLSign"}};
    const std::optional<Certificate> intermediate = makeCertificate(intSpec, &why);
    if (!intermediate)
        qFatal("FleetCa: cannot make the intermediate certificate: %s", qPrintable(why));
    return Created{FleetCa(*root, *intermediate, intermediateKey), rootKey};
}

std::optional<FleetCa> FleetCa::fromParts(const Certificate &root, const Certificate &intermediate,
                                          const PkiKey &intermediateKey, QString *error)
{
    if (root.isNull() || intermediate.isNull() || intermediateKey.isNull())
        return refuse<FleetCa>(error, tr("a CA needs its root certificate, its intermediate and the intermediate's key"));
    if (!root.isCa())
        return refuse<FleetCa>(error, tr("the root certificate is not a CA certificate (basicConstraints CA:TRUE)"));
    if (!intermediate.isCa())
        return refuse<FleetCa>(error, tr("the intermediate certificate is not a CA certificate (basicConstraints CA:TRUE)"));
    const int selfIssued = X509_check_issued(root.get(), root.get());
    const int rootSigned = X509_verify(root.get(), X509_get0_pubkey(root.get()));
    ERR_clear_error();
    if (selfIssued != X509_V_OK || rootSigned != 1)
        return refuse<FleetCa>(error, tr("the root certificate is not self-signed"));
    const int issued = X509_check_issued(root.get(), intermediate.get());
    const int intSigned = X509_verify(intermediate.get(), X509_get0_pubkey(root.get()));
    ERR_clear_error();
    if (issued != X509_V_OK || intSigned != 1)
        return refuse<FleetCa>(error, tr("the intermediate certificate is not signed by this root"));
    if (!intermediateKey.samePublicKey(X509_get0_pubkey(intermediate.get())))
        return refuse<FleetCa>(error, tr("the private key is not the intermediate certificate's key"));
    if (!EVP_PKEY_is_a(intermediateKey.get(), "EC"))
        return refuse<FleetCa>(error, tr("the intermediate's key must be an EC key (ECDSA with SHA-256)"));
    return FleetCa(root, intermediate, intermediateKey);
}

QByteArray FleetCa::chainPem() const
{
    return m_intermediate.pem() + m_root.pem();
}

bool FleetCa::isUsable(qint64 nowMs, QString *why) const
{
    if (m_key.isNull() || m_intermediate.isNull() || m_root.isNull()) {
        if (why)
            *why = tr("the fleet CA is not loaded");
        return false;
    }
    return validWindow(tr("intermediate"), m_intermediate, nowMs, why) && validWindow(tr("root"), m_root, nowMs, why);
}

namespace {

struct LeafRequest
{
    EVP_PKEY *key = nullptr;
    QString commonName;
    QByteArray extendedKeyUsage;
    QByteArray subjectAltName;  // empty: none
    int days = 0;
    QByteArray serial;
    qint64 nowMs = 0;
};

} // namespace

static std::optional<Certificate> issueLeaf(const Certificate &intermediate, const PkiKey &caKey,
                                            const LeafRequest &r, QString *why)
{
    if (r.days < FleetCa::kMinDays || r.days > FleetCa::kMaxDays)
        return refuse<Certificate>(why, FleetCa::tr("the validity must be %1 to %2 days (asked: %3)")
                                            .arg(FleetCa::kMinDays)
                                            .arg(FleetCa::kMaxDays)
                                            .arg(r.days));
    if (r.serial.isEmpty() || r.serial.size() > 20 || (quint8(r.serial[0]) & 0x80))
        return refuse<Certificate>(why, FleetCa::tr("a serial number is 1 to 20 bytes and positive"));
    const openssl::X509NamePtr subject = makeName({{"CN", r.commonName}});
    if (!subject)
        return refuse<Certificate>(why, FleetCa::tr("cannot make the subject: %1").arg(openssl::takeError()));
    CertSpec spec;
    spec.subject = subject.get();
    spec.subjectKey = r.key;
    spec.issuerCert = intermediate.get();
    spec.issuerKey = caKey.get();
    spec.serial = r.serial;
    spec.notBeforeMs = r.nowMs - FleetCa::kBackdateMs;
    // Never outlives its issuer (a chain is only as valid as its shortest member).
    spec.notAfterMs = std::min(r.nowMs + qint64(r.days) * kDayMs, intermediate.notAfterMs());
    spec.extensions = {{NID_basic_constraints, "critical,CA:FALSE"},
                       {NID_key_usage, "critical,digitalSignature"},
                       {NID_ext_key_usage, r.extendedKeyUsage}};
    if (!r.subjectAltName.isEmpty())
        spec.extensions.append({NID_subject_alt_name, r.subjectAltName});
    return makeCertificate(spec, why);
}

std::optional<Certificate> FleetCa::issueDevice(const QByteArray &csrPem, const QString &deviceId, int days,
                                                const QByteArray &serial, qint64 nowMs, QString *why,
                                                QString *problemKey) const
{
    if (problemKey)
        problemKey->clear();
    QString reason;
    if (!isValidDeviceId(deviceId, &reason)) {
        if (problemKey)
            *problemKey = QStringLiteral("invalid_device_id");
        return refuse<Certificate>(why, reason);
    }
    const CsrVerdict verdict = CsrCheck::check(csrPem, deviceId);
    if (!verdict.ok()) {
        if (problemKey)
            *problemKey = CsrCheck::problemKey(verdict.problem);
        return refuse<Certificate>(why, verdict.reason);
    }
    if (!isUsable(nowMs, &reason)) {
        if (problemKey)
            *problemKey = QStringLiteral("ca_unusable");
        return refuse<Certificate>(why, reason);
    }
    const std::optional<CertificateRequest> request = CertificateRequest::fromPem(csrPem, &reason);
    if (!request)
        return refuse<Certificate>(why, reason);
    LeafRequest r;
    r.key = X509_REQ_get0_pubkey(request->get());
    r.commonName = deviceId;
    r.extendedKeyUsage = "clientAuth";
    r.days = days;
    r.serial = serial;
    r.nowMs = nowMs;
    return issueLeaf(m_intermediate, m_key, r, why);
}

std::optional<Certificate> FleetCa::issueClient(const PkiKey &key, const QString &commonName, int days,
                                                const QByteArray &serial, qint64 nowMs, QString *why) const
{
    QString reason;
    if (key.isNull())
        return refuse<Certificate>(why, tr("no key to certify"));
    if (!isValidCommonName(commonName, &reason) || !isUsable(nowMs, &reason))
        return refuse<Certificate>(why, reason);
    LeafRequest r;
    r.key = key.get();
    r.commonName = commonName;
    r.extendedKeyUsage = "clientAuth";
    r.days = days;
    r.serial = serial;
    r.nowMs = nowMs;
    return issueLeaf(m_intermediate, m_key, r, why);
}

std::optional<Certificate> FleetCa::issueServer(const PkiKey &key, const QString &commonName, const QStringList &hosts,
                                                int days, const QByteArray &serial, qint64 nowMs, QString *why) const
{
    QString reason;
    if (key.isNull())
        return refuse<Certificate>(why, tr("no key to certify"));
    if (!isValidCommonName(commonName, &reason) || !isUsable(nowMs, &reason))
        return refuse<Certificate>(why, reason);
    if (hosts.isEmpty() || hosts.size() > kMaxHosts)
        return refuse<Certificate>(why, tr("a server certificate names 1 to %1 hosts").arg(kMaxHosts));
    QList<QByteArray> entries;
    for (const QString &host : hosts) {
        const QByteArray entry = sanEntry(host, &reason);
        if (entry.isEmpty())
            return refuse<Certificate>(why, reason);
        entries.append(entry);
    }
    LeafRequest r;
    r.key = key.get();
    r.commonName = commonName;
    r.extendedKeyUsage = "serverAuth";
    r.subjectAltName = entries.join(',');
    r.days = days;
    r.serial = serial;
    r.nowMs = nowMs;
    return issueLeaf(m_intermediate, m_key, r, why);
}

QByteArray FleetCa::crlPem(const QList<QPair<QByteArray, qint64>> &revoked, qint64 crlNumber, qint64 nowMs,
                           int nextUpdateDays, QString *why) const
{
    auto fail = [why](const QString &reason) {
        if (why)
            *why = reason;
        return QByteArray();
    };
    if (m_key.isNull())
        return fail(tr("the fleet CA is locked"));
    if (nextUpdateDays < 1 || nextUpdateDays > 366)
        return fail(tr("the next update of a CRL is 1 to 366 days away"));
    openssl::X509CrlPtr crl(X509_CRL_new());
    const openssl::Asn1TimePtr lastUpdate = asn1Time(nowMs - kBackdateMs);
    const openssl::Asn1TimePtr nextUpdate = asn1Time(nowMs + qint64(nextUpdateDays) * kDayMs);
    bool ok = crl && lastUpdate && nextUpdate && X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) == 1
              && X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(m_intermediate.get())) == 1
              && X509_CRL_set1_lastUpdate(crl.get(), lastUpdate.get()) == 1
              && X509_CRL_set1_nextUpdate(crl.get(), nextUpdate.get()) == 1;
    for (const auto &[serial, revokedMs] : revoked) {
        if (!ok)
            break;
        openssl::X509RevokedPtr entry(X509_REVOKED_new());
        const openssl::Asn1IntegerPtr number = asn1Serial(serial);
        const openssl::Asn1TimePtr date = asn1Time(revokedMs > 0 ? revokedMs : nowMs);
        ok = entry && number && date && X509_REVOKED_set_serialNumber(entry.get(), number.get()) == 1
             && X509_REVOKED_set_revocationDate(entry.get(), date.get()) == 1
             && X509_CRL_add0_revoked(crl.get(), entry.get()) == 1;
        if (ok)
            entry.release();  // owned by the CRL now
    }
    const openssl::Asn1IntegerPtr number(ASN1_INTEGER_new());
    ok = ok && number && ASN1_INTEGER_set_int64(number.get(), std::max<qint64>(crlNumber, 0)) == 1;
    ok = ok && number && X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) == 1;
    if (ok) {
        X509V3_CTX ctx;
        X509V3_set_ctx(&ctx, m_intermediate.get(), nullptr, nullptr, crl.get(), 0);
        openssl::X509ExtensionPtr aki(X509V3_EXT_nconf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always"));
        ok = aki && X509_CRL_add_ext(crl.get(), aki.get(), -1) == 1;
    }
    ok = ok && X509_CRL_sort(crl.get()) == 1 && X509_CRL_sign(crl.get(), m_key.get(), EVP_sha256()) > 0;
    const openssl::BioPtr bio = openssl::memoryBio();
    ok = ok && bio && PEM_write_bio_X509_CRL(bio.get(), crl.get()) == 1;
    if (!ok)
        return fail(tr("cannot make the CRL: %1").arg(openssl::takeError()));
    return openssl::bioContents(bio.get());
}

} // namespace fd
