#include "core/pki/certificate_authority_service.h"

#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "core/pki/ca_table.h"
#include "core/pki/certificate_issuance.h"
#include "core/pki/certificate_table.h"

#include <QDateTime>
#include <QPointer>

namespace fd {

namespace {

// Runs job on the store; done(ok, error) on context's thread once it committed or failed,
// or at once when the store refuses it.
void runJob(OperationsStore *store, QObject *context, OperationsJob job, OperationsStore::JobDone done)
{
    QString error;
    if (store->submit(std::move(job), context, done, &error) == 0)
        done(false, error);
}

struct LoadResult
{
    std::optional<CaRecord> record;
    QList<CertificateRecord> certificates;
};

} // namespace

CertificateAuthorityService::CertificateAuthorityService(OperationsStore *store, SecretStore *secrets, QString actor,
                                                         QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_vault(secrets)
    , m_actor(std::move(actor))
{
    qRegisterMetaType<fd::CertificateRecord>();
    qRegisterMetaType<QList<fd::CertificateRecord>>();
}

QByteArray CertificateAuthorityService::chainPem() const
{
    return m_record ? m_record->chainPem() : QByteArray();
}

void CertificateAuthorityService::load(const QString &name)
{
    auto result = std::make_shared<LoadResult>();
    OperationsJob job;
    job.name = QStringLiteral("read the fleet CA and its certificates");
    job.run = [result, name](OperationsTransaction &t, QString *error) {
        CaRecord ca;
        bool found = false;
        if (!CaTable::read(t.handle(), name, &ca, &found, error))
            return false;
        if (found)
            result->record = ca;
        return CertificateTable::list(t.handle(), CertificateFilter{}, &result->certificates, error);
    };
    runJob(m_store, this, std::move(job), [this, result](bool ok, const QString &error) {
        if (!ok) {
            emit failed(tr("Cannot read the fleet CA: %1").arg(error));
            return;
        }
        if (m_ca && (!result->record || !m_record || result->record->id != m_record->id))
            lock();
        m_record = result->record;
        emit authorityLoaded(m_record.has_value(), authorityName());
        m_certificates = result->certificates;
        emit certificatesChanged(m_certificates);
    });
}

void CertificateAuthorityService::insertAuthority(const CaRecord &record, std::shared_ptr<const FleetCa> ca, Done done)
{
    OperationsJob job;
    job.name = QStringLiteral("create fleet CA %1").arg(record.name);
    auto inserted = std::make_shared<CaRecord>(record);
    job.run = [inserted, actor = m_actor](OperationsTransaction &t, QString *error) {
        const qint64 id = CaTable::insert(t, *inserted, false, actor, error);
        inserted->id = id;
        inserted->createdMs = inserted->createdMs > 0 ? inserted->createdMs : t.nowMs();
        return id > 0;
    };
    runJob(m_store, this, std::move(job), [this, inserted, ca, done](bool ok, const QString &error) {
        if (!ok) {
            done(false, error);
            return;
        }
        m_record = *inserted;
        m_ca = ca;
        emit authorityLoaded(true, m_record->name);
        emit unlocked();
        done(true, QString());
    });
}

void CertificateAuthorityService::createWithPassphrase(const QString &name, const QByteArray &passphrase, Done done)
{
    if (m_record) {
        done(false, tr("a fleet CA exists already (%1)").arg(m_record->name));
        return;
    }
    QString why;
    if (!CaRecord::isValidName(name, &why) || !CaKeyVault::isAcceptablePassphrase(passphrase, &why)) {
        done(false, why);
        return;
    }
    FleetCa::Created created = FleetCa::create(name);
    const std::optional<CaRecord> record =
        CaKeyVault::protectWithPassphrase(name, created.ca, created.rootKey, passphrase, &why);
    if (!record) {
        done(false, why);
        return;
    }
    insertAuthority(*record, std::make_shared<const FleetCa>(created.ca), std::move(done));
}

void CertificateAuthorityService::createInKeychain(const QString &name, Done done)
{
    if (m_record) {
        done(false, tr("a fleet CA exists already (%1)").arg(m_record->name));
        return;
    }
    QString why;
    if (!CaRecord::isValidName(name, &why)) {
        done(false, why);
        return;
    }
    if (!m_vault.hasKeychain()) {
        done(false, tr("no OS keychain is available: protect the CA with a passphrase"));
        return;
    }
    FleetCa::Created created = FleetCa::create(name);
    const std::optional<CaRecord> record = CaKeyVault::keychainRecord(name, created.ca, &why);
    if (!record) {
        done(false, why);
        return;
    }
    auto ca = std::make_shared<const FleetCa>(created.ca);
    QPointer<CertificateAuthorityService> self(this);
    m_vault.storeInKeychain(name, created.ca.intermediateKey(), created.rootKey,
                            [self, record = *record, ca, done](bool ok, const QString &reason) {
                                if (!self)
                                    return;
                                if (!ok) {
                                    done(false, tr("the OS keychain refused the CA's keys: %1").arg(reason));
                                    return;
                                }
                                self->insertAuthority(record, ca, done);
                            });
}

void CertificateAuthorityService::unlockWithPassphrase(const QByteArray &passphrase)
{
    if (!m_record) {
        emit unlockFailed(tr("there is no fleet CA to unlock"));
        return;
    }
    QString why;
    const std::optional<FleetCa> ca = CaKeyVault::unlockWithPassphrase(*m_record, passphrase, &why);
    if (!ca) {
        emit unlockFailed(why);
        return;
    }
    m_ca = std::make_shared<const FleetCa>(*ca);
    emit unlocked();
}

void CertificateAuthorityService::unlockFromKeychain()
{
    if (!m_record) {
        emit unlockFailed(tr("there is no fleet CA to unlock"));
        return;
    }
    QPointer<CertificateAuthorityService> self(this);
    const qint64 id = m_record->id;
    m_vault.unlockFromKeychain(*m_record, [self, id](std::optional<FleetCa> ca, const QString &error) {
        if (!self)
            return;
        if (!ca || !self->m_record || self->m_record->id != id) {
            emit self->unlockFailed(ca ? tr("the fleet CA changed while it was being unlocked") : error);
            return;
        }
        self->m_ca = std::make_shared<const FleetCa>(*ca);
        emit self->unlocked();
    });
}

bool CertificateAuthorityService::setAuthority(std::shared_ptr<const FleetCa> ca, QString *error)
{
    if (!ca || !m_record || ca->intermediate().pem() != Certificate::fromPem(m_record->intermediatePem, nullptr)
                                                              .value_or(Certificate())
                                                              .pem()) {
        if (error)
            *error = tr("this CA is not the loaded fleet CA");
        return false;
    }
    m_ca = std::move(ca);
    emit unlocked();
    return true;
}

void CertificateAuthorityService::lock()
{
    if (!m_ca)
        return;
    m_ca.reset();
    emit locked();
}

void CertificateAuthorityService::refresh()
{
    auto rows = std::make_shared<QList<CertificateRecord>>();
    OperationsJob job;
    job.name = QStringLiteral("read certificates");
    job.run = [rows](OperationsTransaction &t, QString *error) {
        return CertificateTable::list(t.handle(), CertificateFilter{}, rows.get(), error);
    };
    runJob(m_store, this, std::move(job), [this, rows](bool ok, const QString &error) {
        if (!ok) {
            emit failed(tr("Cannot read the certificates: %1").arg(error));
            return;
        }
        m_certificates = *rows;
        emit certificatesChanged(m_certificates);
    });
}

void CertificateAuthorityService::revoke(const QString &serial, const QString &reason, Done done)
{
    OperationsJob job;
    job.name = QStringLiteral("revoke certificate %1").arg(serial);
    job.run = [serial, reason, actor = m_actor](OperationsTransaction &t, QString *error) {
        return CertificateTable::revoke(t, serial, reason, t.nowMs(), actor, error);
    };
    runJob(m_store, this, std::move(job), [this, done](bool ok, const QString &error) {
        done(ok, error);
        if (ok)
            refresh();
    });
}

void CertificateAuthorityService::writeCrl(CrlDone done)
{
    if (!m_record || !m_ca) {
        done(QByteArray(), m_record ? tr("the fleet CA is locked") : tr("there is no fleet CA"));
        return;
    }
    auto pem = std::make_shared<QByteArray>();
    OperationsJob job;
    job.name = QStringLiteral("write the CRL");
    job.run = [pem, ca = m_ca, name = m_record->name, actor = m_actor](OperationsTransaction &t, QString *error) {
        QList<QPair<QByteArray, qint64>> revoked;
        if (!CertificateTable::revokedForCrl(t.handle(), &revoked, error))
            return false;
        const qint64 number = CaTable::nextCrlNumber(t, name, actor, error);
        if (number <= 0)
            return false;
        *pem = ca->crlPem(revoked, number, t.nowMs(), kDefaultCrlDays, error);
        return !pem->isEmpty();
    };
    runJob(m_store, this, std::move(job), [this, pem, done](bool ok, const QString &error) {
        if (!ok) {
            done(QByteArray(), error);
            return;
        }
        done(*pem, QString());
        emit crlChanged(*pem);
    });
}

void CertificateAuthorityService::issueDevice(const QByteArray &csrPem, const QString &deviceId, int days,
                                              CertificateRecord::Kind kind, const QString &replacesSerial,
                                              IssueDone done)
{
    if (!m_ca) {
        done(std::nullopt, QStringLiteral("ca_unusable"),
             m_record ? tr("the fleet CA is locked") : tr("there is no fleet CA"));
        return;
    }
    struct Outcome
    {
        std::optional<CertificateRecord> record;
        QString key;
        QString reason;
    };
    auto outcome = std::make_shared<Outcome>();
    OperationsJob job;
    job.name = QStringLiteral("issue a certificate for %1").arg(deviceId);
    job.run = [=, ca = m_ca, actor = m_actor](OperationsTransaction &t, QString *error) {
        const qint64 now = t.nowMs();
        const CertificateIssuance::Sign sign = [&](const QByteArray &serial, QString *why, QString *key) {
            return ca->issueDevice(csrPem, deviceId, days, serial, now, why, key);
        };
        outcome->record = CertificateIssuance::run(t, sign, kind, deviceId, actor, replacesSerial, &outcome->reason,
                                                   &outcome->key);
        if (!outcome->record && error)
            *error = outcome->reason;
        return outcome->record.has_value();
    };
    runJob(m_store, this, std::move(job), [this, outcome, done](bool ok, const QString &error) {
        if (!ok) {
            done(std::nullopt, outcome->key.isEmpty() ? QStringLiteral("store_failed") : outcome->key,
                 outcome->reason.isEmpty() ? error : outcome->reason);
            return;
        }
        done(outcome->record, QString(), QString());
        refresh();
    });
}

} // namespace fd
