#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace fd {

// A device on the list of expected devices (expected_devices row): imported from the
// manufacturer's CSV before the devices arrive. The claim code printed on the label is kept
// only as claimHash = SHA-256(serial + ':' + code) in lowercase hex (ProvisioningIds).
struct ExpectedDevice
{
    enum class State { Expected, Enrolled };

    QString serial;
    QString model;
    QString claimHash;
    QString deviceId;   // empty: the device's own choice (its request), checked as any
    QString name;
    QString site;
    QStringList tags;
    qint64 importedMs = 0;
    State state = State::Expected;
    qint64 enrolledMs = 0;

    static QString stateKey(State s) { return s == State::Enrolled ? QStringLiteral("enrolled") : QStringLiteral("expected"); }
    static State stateFromKey(const QString &key) { return key == u"enrolled" ? State::Enrolled : State::Expected; }

    friend bool operator==(const ExpectedDevice &, const ExpectedDevice &) = default;
};

} // namespace fd

Q_DECLARE_METATYPE(fd::ExpectedDevice)
