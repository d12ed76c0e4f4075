#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include <optional>

namespace fd {

// One provisioning_requests row: a request as received and what became of it.
struct ProvisioningRequestRecord
{
    enum class Kind { Enroll, Rotate };
    enum class State { Pending, Accepted, Rejected, Expired };

    qint64 id = 0;
    QString serial;      // enroll: the device's; rotate: the device's serial when known, else its id
    QString model;
    QString nonce;
    Kind kind = Kind::Enroll;
    QString source;      // the connection it came in on
    QString deviceId;    // asked for (enroll) / the topic's (rotate)
    qint64 receivedMs = 0;
    qint64 requestTsMs = 0;
    QByteArray csrPem;
    QString claimHash;
    State state = State::Pending;
    QString reasonKey;
    QString reason;
    QString certSerial;
    qint64 decidedMs = 0;
    QString decidedBy;

    static QString kindKey(Kind k) { return k == Kind::Rotate ? QStringLiteral("rotate") : QStringLiteral("enroll"); }
    static Kind kindFromKey(const QString &key) { return key == u"rotate" ? Kind::Rotate : Kind::Enroll; }
    static QString stateKey(State s);
    static std::optional<State> stateFromKey(const QString &key);

    friend bool operator==(const ProvisioningRequestRecord &, const ProvisioningRequestRecord &) = default;
};

inline QString ProvisioningRequestRecord::stateKey(State s)
{
    switch (s) {
    case State::Pending: return QStringLiteral("pending");
    case State::Accepted: return QStringLiteral("accepted");
    case State::Rejected: return QStringLiteral("rejected");
    case State::Expired: return QStringLiteral("expired");
    }
    return QStringLiteral("pending");
}

inline std::optional<ProvisioningRequestRecord::State> ProvisioningRequestRecord::stateFromKey(const QString &key)
{
    for (State s : {State::Pending, State::Accepted, State::Rejected, State::Expired}) {
        if (stateKey(s) == key)
            return s;
    }
    return std::nullopt;
}

} // namespace fd

Q_DECLARE_METATYPE(fd::ProvisioningRequestRecord)
