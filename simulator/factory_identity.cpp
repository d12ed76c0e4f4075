#include "simulator/factory_identity.h"

#include "core/provisioning/provisioning_ids.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSet>

namespace fd::sim {

QString FactoryIdentities::claimCode(const QString &serial, quint64 seed)
{
    static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford base32
    const QByteArray input = QByteArray("fleetdeck-sim-claim:") + QByteArray::number(seed) + ':' + serial.toUtf8();
    const QByteArray digest = QCryptographicHash::hash(input, QCryptographicHash::Sha256);
    QString code;
    for (int i = 0; i < 12; ++i) {
        if (i > 0 && i % 4 == 0)
            code += u'-';
        code += QLatin1Char(kAlphabet[quint8(digest.at(i)) % 32]);
    }
    return code;
}

FactoryIdentity FactoryIdentities::identity(const QString &serial, quint64 seed, const QString &model)
{
    return {serial, model, claimCode(serial, seed), ProvisioningIds::defaultDeviceId(serial)};
}

QList<FactoryIdentity> FactoryIdentities::generate(int count, quint64 seed, const QString &model)
{
    QList<FactoryIdentity> out;
    for (int i = 1; i <= qBound(0, count, kMaxDevices); ++i)
        out << identity(QStringLiteral("SN-%1-%2").arg(seed).arg(i, 4, 10, QChar(u'0')), seed, model);
    return out;
}

bool FactoryIdentities::fromSerialFile(const QString &path, quint64 seed, const QString &model,
                                       QList<FactoryIdentity> *out, QString *why)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *why = QStringLiteral("--factory-serials %1: %2").arg(path, file.errorString());
        return false;
    }
    if (file.size() > kMaxSerialFileBytes) {
        *why = QStringLiteral("--factory-serials %1: larger than %2 bytes").arg(path).arg(kMaxSerialFileBytes);
        return false;
    }
    const QList<QByteArray> lines = file.read(kMaxSerialFileBytes + 1).split('\n');
    QSet<QString> seen;
    out->clear();
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString serial = QString::fromUtf8(lines.at(i)).trimmed();
        if (serial.isEmpty() || serial.startsWith(u'#'))
            continue;
        if (!ProvisioningIds::isValidSerial(serial)) {
            *why = QStringLiteral("--factory-serials %1, line %2: '%3' is not a serial (1 to 64 of A-Z a-z 0-9 . _ -)")
                       .arg(path)
                       .arg(i + 1)
                       .arg(serial.left(80));
            return false;
        }
        if (seen.contains(serial)) {
            *why = QStringLiteral("--factory-serials %1, line %2: %3 is listed twice").arg(path).arg(i + 1).arg(serial);
            return false;
        }
        if (seen.size() >= kMaxDevices) {
            *why = QStringLiteral("--factory-serials %1: more than %2 serials").arg(path).arg(kMaxDevices);
            return false;
        }
        seen.insert(serial);
        out->append(identity(serial, seed, model));
    }
    if (out->isEmpty()) {
        *why = QStringLiteral("--factory-serials %1: no serial in the file").arg(path);
        return false;
    }
    return true;
}

} // namespace fd::sim
