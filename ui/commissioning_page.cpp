#include "ui/commissioning_page.h"

#include "core/pki/certificate_authority_service.h"
#include "core/provisioning/provisioning_service.h"
#include "models/expected_device_model.h"
#include "models/pending_request_model.h"
#include "ui/certificates_panel.h"
#include "ui/commissioning_records.h"
#include "ui/commissioning_wizard.h"
#include "ui/expected_import_dialog.h"
#include "widgets/plain_label.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace fd {

namespace {

QTableView *makeTable(QAbstractItemModel *model, int stretchColumn, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setSectionResizeMode(stretchColumn, QHeaderView::Stretch);
    return table;
}

QLabel *sectionTitle(const QString &text, QWidget *parent)
{
    QLabel *label = plainLabel(text, parent);
    QFont bold = label->font();
    bold.setBold(true);
    label->setFont(bold);
    return label;
}

} // namespace

CommissioningPage::CommissioningPage(const Services &services, QWidget *parent)
    : QWidget(parent)
    , m_services(services)
    , m_tabs(new QTabWidget(this))
    , m_pending(new PendingRequestModel(this))
    , m_expected(new ExpectedDeviceModel(this))
    , m_pendingTable(makeTable(m_pending, PendingRequestModel::DeviceIdColumn, this))
    , m_expectedTable(makeTable(m_expected, ExpectedDeviceModel::NameColumn, this))
    , m_certificates(new CertificatesPanel(services.authority, this))
    , m_commission(new QPushButton(tr("&Commission…"), this))
    , m_import(new QPushButton(tr("&Import CSV…"), this))
    , m_allowUnknown(new QCheckBox(tr("Accept devices &not on the list"), this))
    , m_autoApprove(new QCheckBox(tr("&Enroll listed devices automatically"), this))
    , m_pendingTitle(sectionTitle(tr("Waiting requests"), this))
    , m_counts(sectionTitle(tr("Expected devices"), this))
    , m_feedback(plainLabel(QString(), this, {.wrap = true}))
{
    setObjectName(QStringLiteral("CommissioningPage"));
    m_pendingTable->setObjectName(QStringLiteral("pendingTable"));
    m_expectedTable->setObjectName(QStringLiteral("expectedTable"));
    m_feedback->hide();
    m_commission->setToolTip(tr("Commission a device that is waiting: scan its label, name it, issue its "
                                "certificate, see it report"));

    auto *top = new QHBoxLayout;
    auto *title = new QLabel(tr("Commissioning"), this);
    QFont big = title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    title->setFont(big);
    top->addWidget(title);
    top->addStretch(1);
    top->addWidget(m_commission);

    auto *requests = new QWidget(this);
    auto *requestsLayout = new QVBoxLayout(requests);
    requestsLayout->setContentsMargins(0, 0, 0, 0);
    requestsLayout->addWidget(m_pendingTitle);
    requestsLayout->addWidget(m_pendingTable, 1);
    auto *expected = new QWidget(this);
    auto *expectedLayout = new QVBoxLayout(expected);
    expectedLayout->setContentsMargins(0, 0, 0, 0);
    auto *expectedTop = new QHBoxLayout;
    expectedTop->addWidget(m_counts, 1);
    expectedTop->addWidget(m_allowUnknown);
    expectedTop->addWidget(m_autoApprove);
    expectedTop->addWidget(m_import);
    expectedLayout->addLayout(expectedTop);
    expectedLayout->addWidget(m_expectedTable, 1);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(requests);
    splitter->addWidget(expected);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({260, 400});

    auto *devicesTab = new QWidget(this);
    auto *devicesLayout = new QVBoxLayout(devicesTab);
    devicesLayout->addWidget(splitter, 1);
    m_tabs->addTab(devicesTab, tr("&Devices"));
    m_tabs->addTab(m_certificates, tr("Cer&tificates"));

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_feedback);
    layout->addWidget(m_tabs, 1);

    if (!m_services.provisioning) {
        m_commission->setEnabled(false);
        m_import->setEnabled(false);
        m_allowUnknown->setEnabled(false);
        m_autoApprove->setEnabled(false);
        setFeedback(tr("Commissioning is unavailable: the operations store is not open."));
        return;
    }
    ProvisioningService *provisioning = m_services.provisioning;
    m_allowUnknown->setObjectName(QStringLiteral("allowUnknown"));
    m_allowUnknown->setToolTip(tr("Off (strict): a device whose serial is not on the imported list is refused "
                                  "(unknown_serial). On: a technician may still commission it."));
    m_autoApprove->setObjectName(QStringLiteral("autoApproveListed"));
    m_autoApprove->setToolTip(tr("Bulk pre-provisioning: a listed device whose request passes every check "
                                 "(claim code, model, CSR) gets its certificate at once, without a technician."));
    m_allowUnknown->setChecked(provisioning->policy().allowUnknown);
    m_autoApprove->setChecked(provisioning->policy().autoApproveListed);
    const auto applyPolicy = [this, provisioning] {
        ProvisioningPolicy p = provisioning->policy();
        p.allowUnknown = m_allowUnknown->isChecked();
        p.autoApproveListed = m_autoApprove->isChecked();
        provisioning->setPolicy(p);
        if (m_services.savePolicy)
            m_services.savePolicy(p);
    };
    connect(m_allowUnknown, &QCheckBox::toggled, this, applyPolicy);
    connect(m_autoApprove, &QCheckBox::toggled, this, applyPolicy);
    connect(m_commission, &QPushButton::clicked, this, &CommissioningPage::openWizard);
    connect(m_import, &QPushButton::clicked, this, &CommissioningPage::askImport);
    connect(m_pendingTable, &QAbstractItemView::doubleClicked, this, &CommissioningPage::openWizard);
    connect(provisioning, &ProvisioningService::pendingChanged, this, &CommissioningPage::refreshPending);
    connect(provisioning, &ProvisioningService::expectedImported, this, [this](int added, int updated, int skipped) {
        setFeedback(tr("Expected devices imported: %1 added, %2 updated, %3 already enrolled (kept).")
                        .arg(added)
                        .arg(updated)
                        .arg(skipped));
        reloadExpected();
    });
    connect(provisioning, &ProvisioningService::requestDecided, this, [this] { reloadExpected(); });
    connect(provisioning, &ProvisioningService::rotationFinished, this,
            [this](const QString &deviceId, const QString &oldSerial, const QString &newSerial) {
                m_certificates->setFeedback(tr("%1 now uses certificate %2; %3 is revoked.").arg(deviceId, newSerial, oldSerial));
                if (m_services.authority)
                    m_services.authority->refresh();
            });
    connect(provisioning, &ProvisioningService::error, this, &CommissioningPage::setFeedback);
    connect(m_certificates, &CertificatesPanel::rotationRequested, this, &CommissioningPage::requestRotation);
    if (CertificateAuthorityService *authority = m_services.authority) {
        // The CA unlocked anywhere (wizard, Certificates tab) signs provisioning requests.
        connect(authority, &CertificateAuthorityService::unlocked, provisioning,
                [provisioning, authority] { provisioning->setAuthority(authority->authority()); });
        connect(authority, &CertificateAuthorityService::locked, provisioning,
                [provisioning] { provisioning->setAuthority(nullptr); });
        connect(provisioning, &ProvisioningService::requestDecided, authority, [authority] { authority->refresh(); });
        if (authority->isUnlocked())
            provisioning->setAuthority(authority->authority());
    }
    if (m_services.records) {
        connect(m_services.records, &CommissioningRecords::expectedLoaded, m_expected, &ExpectedDeviceModel::setDevices);
        connect(m_services.records, &CommissioningRecords::failed, this, &CommissioningPage::setFeedback);
    }
    connect(m_expected, &ExpectedDeviceModel::countsChanged, this, [this](int enrolled, int total) {
        m_counts->setText(total == 0 ? tr("Expected devices: none listed (Import CSV… adds the manufacturer's list)")
                                     : tr("Expected devices: %1 of %2 enrolled").arg(enrolled).arg(total));
    });
    m_counts->setText(tr("Expected devices: none listed (Import CSV… adds the manufacturer's list)"));
    refreshPending();
    reloadExpected();
}

CommissioningWizard *CommissioningPage::wizard() const
{
    return m_wizard.data();
}

void CommissioningPage::setFeedback(const QString &text)
{
    m_feedback->setText(text);
    m_feedback->setVisible(!text.isEmpty());
}

void CommissioningPage::refreshPending()
{
    m_pending->setRequests(m_services.provisioning->pending());
    const int count = m_pending->rowCount();
    m_pendingTitle->setText(count == 0 ? tr("Waiting requests: none (devices ask when they are powered on)")
                                       : tr("Waiting requests: %1").arg(count));
    if (count > 0 && !m_pendingTable->currentIndex().isValid())
        m_pendingTable->selectRow(0);
    emit pendingCountChanged(count);
}

void CommissioningPage::reloadExpected()
{
    if (m_services.records)
        m_services.records->loadExpected();
}

CommissioningWizard *CommissioningPage::openWizard()
{
    if (!m_services.provisioning)
        return nullptr;
    if (m_wizard) {
        m_wizard->raise();
        m_wizard->activateWindow();
        return m_wizard;
    }
    CommissioningWizard::Services s;
    s.provisioning = m_services.provisioning;
    s.authority = m_services.authority;
    s.records = m_services.records;
    s.inventory = m_services.inventory;
    s.technician = m_services.technician ? m_services.technician() : QString();
    s.expectations = m_services.expectations;
    auto *wizard = new CommissioningWizard(s, this);
    wizard->setWindowFlag(Qt::Window);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    const PendingRequest *selected = m_pending->requestAt(m_pendingTable->currentIndex().row());
    if (selected && selected->record.kind == ProvisioningRequestRecord::Kind::Enroll)
        wizard->presetSerial(selected->record.serial);
    connect(wizard, &QWizard::finished, this, [this] { reloadExpected(); });
    m_wizard = wizard;
    wizard->show();
    return wizard;
}

void CommissioningPage::onDevicesUpdated(const QList<Device> &changed)
{
    if (m_wizard)
        m_wizard->onDevicesUpdated(changed);
}

void CommissioningPage::askImport()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Expected Devices"), QDir::homePath(),
                                                      tr("CSV files (*.csv);;All files (*)"));
    if (!path.isEmpty())
        importFile(path);
}

QDialog *CommissioningPage::importFile(const QString &path)
{
    auto *dialog = new ExpectedImportDialog(path, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (!dialog->ok())
            return;
        setFeedback(tr("Importing %n expected device(s)…", nullptr, int(dialog->devices().size())));
        m_services.provisioning->importExpected(dialog->devices());
    });
    dialog->open();
    return dialog;
}

void CommissioningPage::requestRotation(const QString &deviceId)
{
    const QString source = m_services.sourceOf ? m_services.sourceOf(deviceId) : QString();
    if (source.isEmpty()) {
        m_certificates->setFeedback(tr("%1 is not in the inventory of any connection: it cannot be asked now.").arg(deviceId));
        return;
    }
    if (m_services.provisioning->requestRotation(source, deviceId) == 0)
        return;  // error() said why
    m_certificates->setFeedback(tr("Asked %1 to rotate its certificate; it is revoked once the device uses the new one.")
                                    .arg(deviceId));
}

} // namespace fd
