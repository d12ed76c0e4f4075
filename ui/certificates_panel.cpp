#include "ui/certificates_panel.h"

#include "core/pki/certificate_authority_service.h"
#include "models/certificate_list_model.h"
#include "ui/ca_unlock_dialog.h"
#include "widgets/plain_label.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace fd {

CertificatesPanel::CertificatesPanel(CertificateAuthorityService *authority, QWidget *parent)
    : QWidget(parent)
    , m_authority(authority)
    , m_model(new CertificateListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_ca(plainLabel(QString(), this, {.wrap = true}))
    , m_unlock(new QPushButton(tr("&Unlock CA…"), this))
    , m_revoke(new QPushButton(tr("&Revoke…"), this))
    , m_export(new QPushButton(tr("&Export chain…"), this))
    , m_rotate(new QPushButton(tr("Request r&otation…"), this))
    , m_feedback(plainLabel(QString(), this, {.wrap = true}))
    , m_clock(new QTimer(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(CertificateListModel::SortRole);
    m_table->setObjectName(QStringLiteral("certificatesTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(CertificateListModel::StatusColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(CertificateListModel::SubjectColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(CertificateListModel::SerialColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(CertificateListModel::ValidUntilColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(CertificateListModel::StatusColumn, QHeaderView::ResizeToContents);
    m_feedback->hide();
    auto *top = new QHBoxLayout;
    top->addWidget(m_ca, 1);
    top->addWidget(m_unlock);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_revoke);
    actions->addWidget(m_rotate);
    actions->addStretch(1);
    actions->addWidget(m_export);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_feedback);
    layout->addWidget(m_table, 1);
    layout->addLayout(actions);

    connect(m_revoke, &QPushButton::clicked, this, &CertificatesPanel::askRevoke);
    connect(m_export, &QPushButton::clicked, this, &CertificatesPanel::askExport);
    connect(m_rotate, &QPushButton::clicked, this, &CertificatesPanel::askRotation);
    connect(m_unlock, &QPushButton::clicked, this, [this] {
        CaUnlockDialog::ensureUnlocked(m_authority, this, tr("Signing certificates and CRLs"), [] {});
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &CertificatesPanel::updateActions);
    // Status derives from now: "expiring in N days" moves on by itself.
    m_clock->setInterval(60 * 1000);
    connect(m_clock, &QTimer::timeout, m_model, [this] { m_model->setNowMs(0); });
    m_clock->start();
    if (m_authority) {
        connect(m_authority, &CertificateAuthorityService::certificatesChanged, this,
                [this](const QList<CertificateRecord> &all) {
                    m_model->setCertificates(all);
                    updateActions();
                });
        connect(m_authority, &CertificateAuthorityService::authorityLoaded, this, &CertificatesPanel::updateCaState);
        connect(m_authority, &CertificateAuthorityService::unlocked, this, &CertificatesPanel::updateCaState);
        connect(m_authority, &CertificateAuthorityService::locked, this, &CertificatesPanel::updateCaState);
        connect(m_authority, &CertificateAuthorityService::failed, this, &CertificatesPanel::setFeedback);
        m_model->setCertificates(m_authority->certificates());
    }
    updateCaState();
    updateActions();
}

const CertificateRecord *CertificatesPanel::selected() const
{
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    return current.isValid() ? m_model->certificateAt(current.row()) : nullptr;
}

void CertificatesPanel::selectSerial(const QString &serial)
{
    const int row = m_model->rowOfSerial(serial);
    if (row < 0)
        return;
    m_table->selectionModel()->setCurrentIndex(m_proxy->mapFromSource(m_model->index(row, 0)),
                                               QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void CertificatesPanel::setFeedback(const QString &text)
{
    m_feedback->setText(text);
    m_feedback->setVisible(!text.isEmpty());
}

void CertificatesPanel::updateCaState()
{
    if (!m_authority) {
        m_ca->setText(tr("Certificates are unavailable: the operations store is not open."));
        m_unlock->hide();
        return;
    }
    if (!m_authority->hasAuthority())
        m_ca->setText(tr("No fleet CA yet. Create one with \"fleetdeckctl pki init --db CACHE\" (the demo fleet has its own)."));
    else
        m_ca->setText(m_authority->isUnlocked()
                          ? tr("Fleet CA \"%1\": unlocked for this session.").arg(m_authority->authorityName())
                          : tr("Fleet CA \"%1\": locked (its key is needed to sign and to revoke).")
                                .arg(m_authority->authorityName()));
    m_unlock->setVisible(m_authority->hasAuthority() && !m_authority->isUnlocked());
    updateActions();
}

void CertificatesPanel::updateActions()
{
    const CertificateRecord *r = selected();
    const bool ca = m_authority && m_authority->hasAuthority();
    m_revoke->setEnabled(ca && r && !r->isRevoked());
    m_rotate->setEnabled(r && r->kind == CertificateRecord::Kind::Device && !r->isRevoked() && !r->deviceId.isEmpty()
                         && r->replacedBySerial.isEmpty());
    m_export->setEnabled(ca);
}

void CertificatesPanel::askRevoke()
{
    const CertificateRecord *r = selected();
    if (!r)
        return;
    const QString serial = r->serial;
    const QString who = r->deviceId.isEmpty() ? r->commonName : r->deviceId;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Revoke Certificate"));
    auto *reason = new QLineEdit(&dialog);
    reason->setMaxLength(200);
    reason->setPlaceholderText(tr("e.g. device stolen, key compromised, decommissioned"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, &dialog);
    QPushButton *revokeButton = buttons->addButton(tr("&Revoke"), QDialogButtonBox::DestructiveRole);
    connect(revokeButton, &QPushButton::clicked, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(plainLabel(tr("Revoke certificate %1 of %2?\n\n%2 can no longer connect once the broker has the "
                                    "new revocation list. This cannot be undone: a new certificate means commissioning "
                                    "or rotation.")
                                     .arg(serial, who),
                                 &dialog, {.wrap = true}));
    auto *form = new QFormLayout;
    form->addRow(tr("R&eason:"), reason);
    layout->addLayout(form);
    layout->addWidget(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString why = reason->text().trimmed();
    CaUnlockDialog::ensureUnlocked(m_authority, this, tr("Revoking a certificate (a new CRL is signed)"),
                                   [this, serial, why] { revoke(serial, why); });
}

void CertificatesPanel::revoke(const QString &serial, const QString &reason)
{
    if (!m_authority)
        return;
    setFeedback(tr("Revoking %1…").arg(serial));
    QPointer<CertificatesPanel> self(this);
    m_authority->revoke(serial, reason, [self, serial](bool ok, const QString &error) {
        if (!self)
            return;
        if (!ok) {
            self->setFeedback(tr("%1 was not revoked: %2").arg(serial, error));
            return;
        }
        if (!self->m_authority->isUnlocked()) {
            self->setFeedback(tr("%1 is revoked. The CRL is written once the CA is unlocked.").arg(serial));
            return;
        }
        self->m_authority->writeCrl([self, serial](const QByteArray &pem, const QString &crlError) {
            if (!self)
                return;
            self->setFeedback(pem.isEmpty() ? tr("%1 is revoked, but the CRL was not written: %2").arg(serial, crlError)
                                            : tr("%1 is revoked; the new CRL is written.").arg(serial));
        });
    });
}

void CertificatesPanel::askExport()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export CA Chain"),
                                                      QDir::home().filePath(QStringLiteral("fleet-ca-chain.pem")),
                                                      tr("PEM certificates (*.pem *.crt)"));
    if (!path.isEmpty())
        exportChain(path);
}

bool CertificatesPanel::exportChain(const QString &path)
{
    const QByteArray pem = m_authority ? m_authority->chainPem() : QByteArray();
    if (pem.isEmpty()) {
        setFeedback(tr("There is no CA chain to export."));
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(pem) != pem.size() || !file.commit()) {
        setFeedback(tr("The chain was not written: %1").arg(file.errorString()));
        return false;
    }
    setFeedback(tr("CA chain (intermediate, then root) written to %1.").arg(QDir::toNativeSeparators(path)));
    return true;
}

void CertificatesPanel::askRotation()
{
    const CertificateRecord *r = selected();
    if (!r || r->deviceId.isEmpty())
        return;
    const QString deviceId = r->deviceId;
    QMessageBox box(QMessageBox::Question, tr("Request Rotation"),
                    tr("Ask %1 to make a new key and certificate?").arg(deviceId), QMessageBox::Yes | QMessageBox::No,
                    this);
    box.setTextFormat(Qt::PlainText);
    box.setInformativeText(tr("The device sends a new certificate request over its connection; the new certificate "
                              "is issued at once and the old one (%1) is revoked when the device reconnects with "
                              "the new one.")
                               .arg(r->serial));
    box.setDefaultButton(QMessageBox::Yes);
    if (box.exec() == QMessageBox::Yes)
        emit rotationRequested(deviceId);
}

} // namespace fd
