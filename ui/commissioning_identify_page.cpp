#include "ui/commissioning_identify_page.h"

#include "core/provisioning/provisioning_ids.h"
#include "models/label_scan.h"
#include "ui/commissioning_wizard_context.h"
#include "ui/label_code_entry.h"
#include "widgets/plain_label.h"

#include <QDateTime>
#include <QLabel>
#include <QLineEdit>
#include <QTimer>
#include <QVBoxLayout>
#include <QWizard>

namespace fd {

CommissioningIdentifyPage::CommissioningIdentifyPage(CommissioningWizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
    , m_entry(new LabelCodeEntry(this))
    , m_request(plainLabel(QString(), this, {.wrap = true, .selectable = true}))
    , m_problem(plainLabel(QString(), this, {.wrap = true}))
{
    setTitle(tr("Identify the device"));
    setSubTitle(tr("Type or scan the serial number and the claim code from the device's label. "
                   "Enter moves on; a label code with both fills both."));
    m_request->setObjectName(QStringLiteral("requestLabel"));
    m_problem->setObjectName(QStringLiteral("problemLabel"));
    m_problem->setForegroundRole(QPalette::PlaceholderText);
    QFont bold = m_problem->font();
    bold.setBold(true);
    m_problem->setFont(bold);
    m_problem->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_entry);
    layout->addSpacing(8);
    layout->addWidget(m_request);
    layout->addWidget(m_problem);
    layout->addStretch(1);
    connect(m_entry, &LabelCodeEntry::changed, this, [this] {
        refreshRequest();
        emit completeChanged();
    });
    connect(m_entry, &LabelCodeEntry::submitted, this, &CommissioningIdentifyPage::onSubmitted);
    if (m_context->provisioning) {
        connect(m_context->provisioning, &ProvisioningService::pendingChanged, this, [this] {
            refreshRequest();
            emit completeChanged();
        });
    }
}

void CommissioningIdentifyPage::initializePage()
{
    refreshRequest();
    // A serial given (the page's selected request): the claim code is what is left to scan.
    QLineEdit *first = !m_entry->serial().isEmpty() && m_entry->claim().isEmpty() ? m_entry->claimEdit()
                                                                                   : m_entry->serialEdit();
    QTimer::singleShot(0, first, [first] { first->setFocus(Qt::OtherFocusReason); });
}

void CommissioningIdentifyPage::presetSerial(const QString &serial)
{
    m_entry->setValues(serial, QString());
}

void CommissioningIdentifyPage::refreshRequest()
{
    // Only while this page is the one shown: once the request is decided it leaves the
    // pending list, and the later pages keep working on the request chosen here.
    if (wizard() && wizard()->currentPage() != this)
        return;
    const QString serial = m_entry->serial();
    m_found.reset();
    if (m_context->provisioning && LabelScan::serialProblem(serial).isEmpty()) {
        for (const PendingRequest &p : m_context->provisioning->pending()) {
            if (p.record.kind == ProvisioningRequestRecord::Kind::Enroll && p.record.serial == serial) {
                m_found = p;
                break;
            }
        }
    }
    if (serial.isEmpty()) {
        m_request->setText(tr("Waiting for a serial number."));
    } else if (!m_found) {
        m_request->setText(tr("No request from %1 is waiting. Power the device on (it asks for its certificate "
                              "when it starts); this updates as soon as it does.")
                               .arg(serial));
    } else {
        const ProvisioningRequestRecord &r = m_found->record;
        QString text = tr("Request from %1: model %2, asks to be \"%3\", received %4 on %5.")
                           .arg(r.serial, r.model.isEmpty() ? tr("(none)") : r.model, r.deviceId,
                                QDateTime::fromMSecsSinceEpoch(r.receivedMs).toString(QStringLiteral("HH:mm:ss")),
                                r.source);
        if (m_found->expected)
            text += u'\n' + tr("On the expected-devices list as a %1.").arg(m_found->expected->model);
        else
            text += u'\n' + tr("Not on the expected-devices list (the policy lets unknown devices wait).");
        m_request->setText(text);
    }
    if (m_showProblems) {
        const QString problem = check();
        m_problem->setText(problem);
        m_problem->setVisible(!problem.isEmpty());
    }
}

QString CommissioningIdentifyPage::check()
{
    const QString serial = m_entry->serial();
    const QString claim = m_entry->claim();
    if (const QString p = LabelScan::serialProblem(serial); !p.isEmpty())
        return p;
    if (const QString p = LabelScan::claimProblem(claim); !p.isEmpty())
        return p;
    if (!m_found)
        return tr("No device with serial %1 has asked for a certificate yet. Check the serial, and that the "
                  "device is powered and online.")
            .arg(serial);
    const QString hash = ProvisioningIds::claimHash(serial, claim);
    const ProvisioningRequestRecord &r = m_found->record;
    if (!r.claimHash.isEmpty() && !ProvisioningIds::sameHash(hash, r.claimHash))
        return tr("This claim code does not match the one the device sent. Check the label (O and 0, I and 1) "
                  "and scan it again.");
    if (m_found->expected && !ProvisioningIds::sameHash(hash, m_found->expected->claimHash))
        return tr("This claim code does not match the expected-devices list for %1.").arg(serial);
    return {};
}

bool CommissioningIdentifyPage::isComplete() const
{
    return m_found.has_value() && LabelScan::serialProblem(m_entry->serial()).isEmpty()
           && LabelScan::claimProblem(m_entry->claim()).isEmpty();
}

bool CommissioningIdentifyPage::validatePage()
{
    m_showProblems = true;
    refreshRequest();
    const QString problem = check();
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    if (!problem.isEmpty())
        return false;
    m_context->serial = m_entry->serial();
    m_context->claim = m_entry->claim();
    m_context->request = m_found;
    return true;
}

void CommissioningIdentifyPage::onSubmitted()
{
    // Enter in the claim code: check, and go on when all is right.
    if (wizard() && wizard()->currentPage() == this)
        wizard()->next();  // calls validatePage(), which shows what is wrong
    else
        validatePage();
    if (!m_problem->isHidden())
        m_entry->claimEdit()->selectAll();
}

} // namespace fd
