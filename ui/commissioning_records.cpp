#include "ui/commissioning_records.h"

#include "core/operations/operations_store.h"
#include "core/operations/operations_transaction.h"
#include "core/provisioning/commissioning_report_table.h"
#include "core/provisioning/expected_device_table.h"

#include <memory>

namespace fd {

CommissioningRecords::CommissioningRecords(OperationsStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
}

void CommissioningRecords::loadExpected()
{
    if (!m_store) {
        emit failed(tr("the operations store is not open"));
        return;
    }
    auto rows = std::make_shared<QList<ExpectedDevice>>();
    QString error;
    const quint64 id = m_store->submit(
        {QStringLiteral("read expected devices"),
         [rows](OperationsTransaction &tx, QString *why) { return ExpectedDeviceTable::list(tx.handle(), rows.get(), why); }},
        this,
        [this, rows](bool ok, const QString &reason) {
            if (ok)
                emit expectedLoaded(*rows);
            else
                emit failed(tr("The expected devices could not be read: %1").arg(reason));
        },
        &error);
    if (id == 0)
        emit failed(tr("The expected devices could not be read: %1").arg(error));
}

void CommissioningRecords::saveReport(const CommissioningReport &report, ReportDone done)
{
    if (!m_store) {
        done(0, tr("the operations store is not open"));
        return;
    }
    auto row = std::make_shared<CommissioningReport>(report);
    QString error;
    const quint64 id = m_store->submit(
        {QStringLiteral("store commissioning report"),
         [row](OperationsTransaction &tx, QString *why) { return CommissioningReportTable::insert(tx, row.get(), why); }},
        this, [row, done](bool ok, const QString &reason) { done(ok ? row->id : 0, ok ? QString() : reason); }, &error);
    if (id == 0)
        done(0, error);
}

} // namespace fd
