#include "bench/loadgen/load_connection.h"

#include "bench/loadgen/loadgen_logging.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fd::bench {

namespace {

using Clock = std::chrono::steady_clock;

void appendVarint(std::string &out, std::size_t n)
{
    do {
        char byte = char(n % 128);
        n /= 128;
        if (n > 0)
            byte = char(byte | 0x80);
        out.push_back(byte);
    } while (n > 0);
}

void appendU16(std::string &out, std::size_t v)
{
    out.push_back(char((v >> 8) & 0xff));
    out.push_back(char(v & 0xff));
}

bool sendAll(int fd, const char *data, std::size_t size)
{
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        size -= std::size_t(n);
    }
    return true;
}

} // namespace

LoadConnection::LoadConnection(Config config, std::unique_ptr<LoadMessageSource> source)
    : m_config(std::move(config))
    , m_source(std::move(source))
{
    m_out.reserve(1 << 20);
}

LoadConnection::~LoadConnection()
{
    join();
    if (m_fd >= 0)
        ::close(m_fd);
}

bool LoadConnection::connect(QString *error)
{
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(quint16(m_config.port));
    if (m_fd < 0 || ::inet_pton(AF_INET, m_config.host.c_str(), &addr.sin_addr) != 1
        || ::connect(m_fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) != 0) {
        *error = QStringLiteral("cannot connect to %1:%2: %3")
                     .arg(QString::fromStdString(m_config.host))
                     .arg(m_config.port)
                     .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    // CONNECT, MQTT 3.1.1, clean session, keep-alive off (the run is bounded); the source's
    // Will at QoS 1, not retained (a Sparkplug NDEATH).
    const std::optional<LoadMessage> will = m_source->will();
    std::string body;
    appendU16(body, 4);
    body += "MQTT";
    body.push_back(4);  // protocol level 3.1.1
    body.push_back(char(will ? 0x02 | 0x04 | 0x08 : 0x02));  // clean session [+ Will, Will QoS 1]
    appendU16(body, 0);  // keep alive
    appendU16(body, m_config.clientId.size());
    body += m_config.clientId;
    if (will) {
        appendU16(body, will->topic.size());
        body += will->topic;
        appendU16(body, will->payload.size());
        body += will->payload;
    }
    std::string packet(1, char(0x10));
    appendVarint(packet, body.size());
    packet += body;
    if (!sendAll(m_fd, packet.data(), packet.size())) {
        *error = QStringLiteral("cannot send CONNECT: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    char connack[4];
    std::size_t got = 0;
    while (got < sizeof connack) {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, 10000) <= 0) {
            *error = QStringLiteral("no CONNACK within 10 s");
            return false;
        }
        const ssize_t n = ::recv(m_fd, connack + got, sizeof connack - got, 0);
        if (n <= 0) {
            *error = QStringLiteral("connection closed before CONNACK");
            return false;
        }
        got += std::size_t(n);
    }
    if (connack[0] != char(0x20) || connack[3] != 0) {
        *error = QStringLiteral("broker refused the connection (return code %1)").arg(int(connack[3]));
        return false;
    }
    return true;
}

void LoadConnection::appendPublish()
{
    const LoadMessage message = m_source->next();
    const std::string_view topic = message.topic;
    const std::string_view payload = message.payload;
    const bool qos1 = m_config.qos == 1;
    m_out.push_back(char(0x30 | (qos1 ? 0x02 : 0x00)));
    appendVarint(m_out, 2 + topic.size() + (qos1 ? 2 : 0) + payload.size());
    appendU16(m_out, topic.size());
    m_out += topic;
    if (qos1) {
        appendU16(m_out, m_nextId);
        m_nextId = m_nextId == 65535 ? 1 : quint16(m_nextId + 1);
    }
    m_out += payload;
}

bool LoadConnection::flushOut()
{
    if (m_out.empty())
        return true;
    const bool ok = sendAll(m_fd, m_out.data(), m_out.size());
    m_out.clear();
    return ok;
}

// Counts PUBACKs (QoS 1). Other packets are skipped. False if the connection is gone.
bool LoadConnection::readAcks(bool block, int timeoutMs)
{
    if (block) {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, timeoutMs) <= 0)
            return true;
    }
    char buf[65536];
    for (;;) {
        const ssize_t n = ::recv(m_fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n == 0)
            return false;
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
        m_in.insert(m_in.end(), buf, buf + n);
        std::size_t pos = 0;
        while (m_in.size() - pos >= 2) {
            std::size_t length = 0, shift = 0, i = pos + 1;
            bool complete = false;
            while (i < m_in.size() && i < pos + 5) {
                const auto byte = static_cast<unsigned char>(m_in[i++]);
                length |= std::size_t(byte & 0x7f) << shift;
                shift += 7;
                if (!(byte & 0x80)) {
                    complete = true;
                    break;
                }
            }
            if (!complete || m_in.size() - i < length)
                break;
            if ((static_cast<unsigned char>(m_in[pos]) & 0xf0) == 0x40)
                ++m_result.confirmed;
            pos = i + length;
        }
        m_in.erase(m_in.begin(), m_in.begin() + std::ptrdiff_t(pos));
        if (std::size_t(n) < sizeof buf)
            return true;
    }
}

void LoadConnection::start(Clock::time_point t0, Clock::time_point hardStop)
{
    m_thread = std::thread([this, t0, hardStop] { run(t0, hardStop); });
}

void LoadConnection::join()
{
    if (m_thread.joinable())
        m_thread.join();
}

void LoadConnection::run(Clock::time_point t0, Clock::time_point hardStop)
{
    const double perNs = m_config.rate / 1e9;
    Result &r = m_result;
    const bool qos1 = m_config.qos == 1;
    while (r.attempted < m_config.total) {
        const Clock::time_point now = Clock::now();
        if (now >= hardStop)
            break;
        if (now < t0) {
            // Not started yet: a negative elapsed time would make everything due at once.
            std::this_thread::sleep_until(t0);
            continue;
        }
        if (qos1 && !readAcks(false, 0)) {
            qCWarning(lcLoadgen) << m_config.clientId.c_str() << "lost its connection";
            break;
        }
        const double elapsedNs = double(std::chrono::duration_cast<std::chrono::nanoseconds>(now - t0).count());
        const quint64 due = std::min<quint64>(m_config.total, quint64(elapsedNs * perNs) + 1);
        if (r.attempted >= due) {
            std::this_thread::sleep_for(std::chrono::microseconds(500));
            continue;
        }
        r.maxLagMs = std::max(r.maxLagMs, (elapsedNs - double(r.attempted) / perNs) / 1e6);
        quint64 room = due - r.attempted;
        if (qos1) {
            const quint64 outstanding = r.attempted - r.confirmed;
            const quint64 free = outstanding >= quint64(m_config.window) ? 0 : quint64(m_config.window) - outstanding;
            if (free < room) {
                ++r.windowWaits;
                room = free;
            }
        }
        for (quint64 i = 0; i < room; ++i)
            appendPublish();
        r.attempted += room;
        if (!qos1)
            r.confirmed += room;
        if (!flushOut()) {
            qCWarning(lcLoadgen) << m_config.clientId.c_str() << "send failed:" << std::strerror(errno);
            break;
        }
        if (room == 0)
            readAcks(true, 1);  // window full: wait for PUBACKs
    }
}

void LoadConnection::finish(std::chrono::milliseconds timeout)
{
    const Clock::time_point until = Clock::now() + timeout;
    while (m_config.qos == 1 && m_result.confirmed < m_result.attempted && Clock::now() < until) {
        if (!readAcks(true, 50))
            break;
    }
    m_result.failed = m_result.attempted - std::min(m_result.attempted, m_result.confirmed);
    const char disconnect[2] = {char(0xe0), 0};
    if (m_fd >= 0 && !sendAll(m_fd, disconnect, sizeof disconnect))
        qCWarning(lcLoadgen) << "DISCONNECT of" << m_config.clientId.c_str() << "failed:" << std::strerror(errno);
}

} // namespace fd::bench
