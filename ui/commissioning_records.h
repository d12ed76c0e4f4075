#pragma once

#include "core/provisioning/commissioning_report.h"
#include "core/provisioning/expected_device.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

namespace fd {

class OperationsStore;

// The commissioning GUI's reads and writes of the operations store that ProvisioningService
// does not offer: the expected-devices list (ExpectedDeviceTable::list) and the reports
// (CommissioningReportTable::insert, audited). Jobs on the store's worker; results on this
// object's thread.
class CommissioningRecords : public QObject
{
    Q_OBJECT
public:
    using ReportDone = std::function<void(qint64 reportId, const QString &error)>;

    explicit CommissioningRecords(OperationsStore *store, QObject *parent = nullptr);

    // -> expectedLoaded(devices) or failed(error).
    void loadExpected();
    // Stores the report (PDF bytes included); done(id, '') or done(0, error).
    void saveReport(const CommissioningReport &report, ReportDone done);

signals:
    void expectedLoaded(const QList<fd::ExpectedDevice> &devices);
    void failed(const QString &error);

private:
    QPointer<OperationsStore> m_store;
};

} // namespace fd
