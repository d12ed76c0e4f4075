#include "core/transport/tls_file_check.h"

#include <QByteArray>
#include <QFile>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstring>
#include <memory>

namespace fd {

namespace {

struct BioFree { void operator()(BIO *b) const { BIO_free(b); } };
struct X509Free { void operator()(X509 *x) const { X509_free(x); } };
struct PkeyFree { void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); } };

QString lastOpenSslReason()
{
    unsigned long code = 0;
    unsigned long last = 0;
    while ((code = ERR_get_error()) != 0)
        last = code;
    if (last == 0)
        return QStringLiteral("unknown error");
    const char *reason = ERR_reason_error_string(last);
    return reason ? QString::fromUtf8(reason) : QStringLiteral("error %1").arg(last, 0, 16);
}

std::unique_ptr<BIO, BioFree> openFile(const QString &path, QString *problem)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *problem = QStringLiteral("cannot read \"%1\": %2").arg(path, file.errorString());
        return nullptr;
    }
    const QByteArray data = file.readAll();
    BIO *bio = BIO_new(BIO_s_mem());
    BIO_write(bio, data.constData(), int(data.size()));
    return std::unique_ptr<BIO, BioFree>(bio);
}

int passphraseCallback(char *buf, int size, int, void *userdata)
{
    const QByteArray *pass = static_cast<const QByteArray *>(userdata);
    if (!pass || pass->isEmpty())
        return -1;  // never prompt on a terminal
    const int n = std::min(size, int(pass->size()));
    std::memcpy(buf, pass->constData(), size_t(n));
    return n;
}

} // namespace

QString TlsFileCheck::checkCaFile(const QString &path)
{
    QString problem;
    auto bio = openFile(path, &problem);
    if (!bio)
        return problem;
    ERR_clear_error();
    int count = 0;
    while (X509 *cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        X509_free(cert);
        ++count;
    }
    ERR_clear_error();  // the loop ends with a "no start line" error by design
    if (count == 0)
        return QStringLiteral("CA file \"%1\" contains no PEM certificate").arg(path);
    return {};
}

QString TlsFileCheck::checkClientIdentity(const QString &certPath, const QString &keyPath, const QString &passphrase)
{
    QString problem;
    auto certBio = openFile(certPath, &problem);
    if (!certBio)
        return problem;
    ERR_clear_error();
    std::unique_ptr<X509, X509Free> cert(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
    if (!cert) {
        return QStringLiteral("client certificate \"%1\" is not a PEM certificate (%2)")
            .arg(certPath, lastOpenSslReason());
    }
    auto keyBio = openFile(keyPath, &problem);
    if (!keyBio)
        return problem;
    QByteArray pass = passphrase.toUtf8();
    ERR_clear_error();
    std::unique_ptr<EVP_PKEY, PkeyFree> key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, passphraseCallback, &pass));
    pass.fill('\0');
    if (!key) {
        const QString reason = lastOpenSslReason();
        if (passphrase.isEmpty()) {
            return QStringLiteral("cannot load client key \"%1\" (%2): is it encrypted? enter its passphrase")
                .arg(keyPath, reason);
        }
        return QStringLiteral("cannot decrypt client key \"%1\": wrong passphrase? (%2)").arg(keyPath, reason);
    }
    if (X509_check_private_key(cert.get(), key.get()) != 1) {
        ERR_clear_error();
        return QStringLiteral("client key \"%1\" does not belong to certificate \"%2\"").arg(keyPath, certPath);
    }
    return {};
}

} // namespace fd
