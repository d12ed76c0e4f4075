#include "app/gui/demo_firmware.h"

#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "core/ota/release_key.h"
#include "core/ota/release_key_table.h"
#include "core/ota/release_key_vault.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSaveFile>

namespace fd {

namespace {

struct DemoImage
{
    const char *model;
    const char *version;
};

// Newer than every version the simulator's fleet runs (simulator/fleet_generator.cpp).
constexpr DemoImage kImages[] = {
    {"TH-100", "2.5.0"}, {"TH-200", "1.2.0"}, {"GW-5", "5.4.0"}, {"PM-10", "1.1.0"}};

bool writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = DemoFirmware::tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

QString DemoFirmware::prepare(const QString &dir, OperationsStore *store, const QString &actor, QString *error)
{
    if (!QDir().mkpath(dir)) {
        *error = tr("cannot create %1").arg(dir);
        return {};
    }
    const QDir folder(dir);
    const QString privatePath = folder.filePath(QStringLiteral("demo-release.key.pem"));
    const QString publicPath = folder.filePath(QStringLiteral("demo-release.pub.pem"));
    const QByteArray passphrase(kPassphrase);

    std::optional<ReleaseKey> key;
    QFile existing(privatePath);
    if (existing.open(QIODevice::ReadOnly))
        key = ReleaseKey::fromPrivatePem(existing.read(64 * 1024), passphrase, error);
    if (!key) {
        key = ReleaseKey::generate(ReleaseKey::Algorithm::Ed25519);
        const QByteArray pem = key->privatePem(passphrase);
        if (pem.isEmpty()) {
            *error = tr("cannot encrypt the demo release key");
            return {};
        }
        if (!writeFile(privatePath, pem, error))
            return {};
    }
    if (!writeFile(publicPath, key->publicPem(), error))
        return {};

    for (const DemoImage &image : kImages) {
        const QString path = folder.filePath(QStringLiteral("%1-%2.bin").arg(QLatin1StringView(image.model),
                                                                            QLatin1StringView(image.version)));
        if (QFileInfo::exists(path))
            continue;
        QRandomGenerator rng(qHash(QByteArray(image.model) + image.version));
        QByteArray bytes(kImageBytes, Qt::Uninitialized);
        rng.fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / int(sizeof(quint32)));
        if (!writeFile(path, bytes, error))
            return {};
    }

    const std::optional<ReleaseKeyRecord> record =
        ReleaseKeyVault::protectWithPassphrase(QString::fromLatin1(kKeyName), *key, passphrase, error);
    if (!record)
        return {};
    OperationsJob job;
    job.name = QStringLiteral("enter the demo release key");
    job.run = [record = *record, actor](OperationsTransaction &t, QString *jobError) {
        ReleaseKeyRecord known;
        bool found = false;
        if (!ReleaseKeyTable::read(t.handle(), record.name, &known, &found, jobError))
            return false;
        return found || ReleaseKeyTable::insert(t, record, actor, jobError);
    };
    store->submit(std::move(job), error);
    return publicPath;
}

} // namespace fd
