#include "ui/commissioning_wizard.h"

#include "ui/commissioning_assign_page.h"
#include "ui/commissioning_identify_page.h"
#include "ui/commissioning_issue_page.h"
#include "ui/commissioning_report_page.h"
#include "ui/commissioning_verify_page.h"

namespace fd {

CommissioningWizard::CommissioningWizard(const Services &services, QWidget *parent)
    : QWizard(parent)
{
    m_context.provisioning = services.provisioning;
    m_context.authority = services.authority;
    m_context.records = services.records;
    m_context.inventory = services.inventory;
    m_context.technician = services.technician;
    m_context.expectations = services.expectations;
    m_identify = new CommissioningIdentifyPage(&m_context, this);
    m_assign = new CommissioningAssignPage(&m_context, this);
    m_issue = new CommissioningIssuePage(&m_context, this);
    m_verify = new CommissioningVerifyPage(&m_context, this);
    m_report = new CommissioningReportPage(&m_context, this);
    setPage(IdentifyPageId, m_identify);
    setPage(AssignPageId, m_assign);
    setPage(IssuePageId, m_issue);
    setPage(VerifyPageId, m_verify);
    setPage(ReportPageId, m_report);
    setObjectName(QStringLiteral("CommissioningWizard"));
    setWindowTitle(tr("Commission a device"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::NoCancelButtonOnLastPage);
    setButtonText(QWizard::FinishButton, tr("&Done"));
    resize(760, 560);
}

void CommissioningWizard::presetSerial(const QString &serial)
{
    m_identify->presetSerial(serial);
}

void CommissioningWizard::onDevicesUpdated(const QList<Device> &changed)
{
    if (currentId() == VerifyPageId)
        m_verify->onDevicesUpdated(changed);
}

} // namespace fd
