#include "core/transport/tls_probe.h"

#include "core/transport/paho_connect_options.h"
#include "core/transport/tls_policy.h"

#include <QByteArray>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cstring>
#include <memory>

#ifdef Q_OS_UNIX
#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#endif

namespace fd {

namespace {

struct CtxFree { void operator()(SSL_CTX *c) const { SSL_CTX_free(c); } };
struct SslFree { void operator()(SSL *s) const { SSL_free(s); } };

QString openSslReason()
{
    unsigned long code = 0;
    unsigned long first = 0;
    while ((code = ERR_get_error()) != 0) {
        if (first == 0)
            first = code;
    }
    if (first == 0)
        return {};
    const char *reason = ERR_reason_error_string(first);
    return reason ? QString::fromUtf8(reason) : QString();
}

int passphraseCallback(char *buf, int size, int, void *userdata)
{
    const QByteArray *pass = static_cast<const QByteArray *>(userdata);
    if (!pass || pass->isEmpty())
        return -1;
    const int n = std::min(size, int(pass->size()));
    std::memcpy(buf, pass->constData(), size_t(n));
    return n;
}

#ifdef Q_OS_UNIX
// A connected blocking socket with send/receive timeouts, or -1 with a reason.
int connectSocket(const QString &host, quint16 port, int timeoutMs, QString *reason)
{
    addrinfo hints = {};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *res = nullptr;
    const QByteArray portText = QByteArray::number(port);
    if (const int rc = ::getaddrinfo(host.toUtf8().constData(), portText.constData(), &hints, &res); rc != 0) {
        *reason = QStringLiteral("cannot resolve %1: %2").arg(host, QString::fromUtf8(::gai_strerror(rc)));
        return -1;
    }
    int fd = -1;
    for (addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = ::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0)
            continue;
        const int flags = ::fcntl(fd, F_GETFL, 0);
        ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            pollfd p{fd, POLLOUT, 0};
            rc = ::poll(&p, 1, timeoutMs) == 1 ? 0 : -1;
            int err = 0;
            socklen_t len = sizeof(err);
            if (rc == 0 && (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0))
                rc = -1;
        }
        if (rc != 0) {
            ::close(fd);
            fd = -1;
            continue;
        }
        ::fcntl(fd, F_SETFL, flags);
        timeval tv{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    }
    ::freeaddrinfo(res);
    if (fd < 0)
        *reason = QStringLiteral("cannot reach %1:%2").arg(host).arg(port);
    return fd;
}
#endif

} // namespace

TlsProbe::Result TlsProbe::diagnose(const Settings &s)
{
    using Stage = Result::Stage;
#ifndef Q_OS_UNIX
    Q_UNUSED(s);
    return {};
#else
    ERR_clear_error();
    std::unique_ptr<SSL_CTX, CtxFree> ctx(SSL_CTX_new(TLS_client_method()));
    if (!ctx)
        return {Stage::Tls, QStringLiteral("OpenSSL is not usable: %1").arg(openSslReason())};
    // The same floor as the real connection (TlsPolicy), set directly here so OpenSSL names
    // the problem ("protocol version") instead of "no shared cipher".
    SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(ctx.get(), TlsPolicy::kCipherList);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
    const QString trust = s.caFile.isEmpty() ? PahoConnectOptions::systemTrustStore() : s.caFile;
    const bool loaded = trust.isEmpty() ? SSL_CTX_set_default_verify_paths(ctx.get()) == 1
                                        : SSL_CTX_load_verify_locations(ctx.get(), trust.toLocal8Bit().constData(), nullptr) == 1;
    if (!loaded)
        return {Stage::Tls, QStringLiteral("cannot load CA certificates: %1").arg(openSslReason())};

    QByteArray pass = s.keyPassphrase.toUtf8();
    if (!s.clientCertFile.isEmpty() && !s.clientKeyFile.isEmpty()) {
        SSL_CTX_set_default_passwd_cb(ctx.get(), passphraseCallback);
        SSL_CTX_set_default_passwd_cb_userdata(ctx.get(), &pass);
        if (SSL_CTX_use_certificate_chain_file(ctx.get(), s.clientCertFile.toLocal8Bit().constData()) != 1
            || SSL_CTX_use_PrivateKey_file(ctx.get(), s.clientKeyFile.toLocal8Bit().constData(), SSL_FILETYPE_PEM) != 1) {
            return {Stage::Tls, QStringLiteral("cannot load the client certificate or key: %1").arg(openSslReason())};
        }
    }

    QString reason;
    const int fd = connectSocket(s.host, s.port, s.timeoutMs, &reason);
    if (fd < 0)
        return {Stage::Network, reason};
    std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
    SSL_set_fd(ssl.get(), fd);
    const QByteArray hostUtf8 = s.host.toUtf8();
    unsigned char addr[16];
    const bool isIp = ::inet_pton(AF_INET, hostUtf8.constData(), addr) == 1
        || ::inet_pton(AF_INET6, hostUtf8.constData(), addr) == 1;
    if (!isIp)
        SSL_set_tlsext_host_name(ssl.get(), s.host.toUtf8().constData());
    if (s.verifyHostname) {
        X509_VERIFY_PARAM *param = SSL_get0_param(ssl.get());
        if (isIp)
            X509_VERIFY_PARAM_set1_ip_asc(param, s.host.toUtf8().constData());
        else
            SSL_set1_host(ssl.get(), s.host.toUtf8().constData());
    }
    const int rc = SSL_connect(ssl.get());
    QString result;
    if (rc != 1) {
        const long verify = SSL_get_verify_result(ssl.get());
        if (verify != X509_V_OK)
            result = QString::fromUtf8(X509_verify_cert_error_string(verify));
        else if (QString r = openSslReason(); !r.isEmpty())
            result = r;
        else
            result = QStringLiteral("the broker closed the connection during the TLS handshake");
    } else {
        // TLS 1.3: a broker that wants a client certificate says so only after the client
        // finished its handshake. Give it a moment to send that alert.
        timeval tv{0, 500 * 1000};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        char byte = 0;
        if (SSL_read(ssl.get(), &byte, 1) <= 0 && SSL_get_error(ssl.get(), 0) == SSL_ERROR_SSL)
            result = openSslReason();
        else
            SSL_shutdown(ssl.get());
    }
    ::close(fd);
    pass.fill('\0');
    ERR_clear_error();
    return {result.isEmpty() ? Stage::Ok : Stage::Tls, result};
#endif
}

} // namespace fd
