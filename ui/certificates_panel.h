#pragma once

#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace fd {

class CertificateAuthorityService;
class CertificateListModel;
struct CertificateRecord;

// Commissioning > Certificates: every certificate the fleet CA issued (CertificateListModel;
// status from now: "expiring in N days", "expired", "revoked"), the CA's state, and the
// actions on the selected one: Revoke… (confirmed, with a reason; the CA unlocked for the
// new CRL), Export chain… (the CA chain a broker or device needs), Request rotation… (a device
// certificate: rotationRequested(deviceId), the page asks ProvisioningService).
class CertificatesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit CertificatesPanel(CertificateAuthorityService *authority, QWidget *parent = nullptr);

    CertificateListModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QPushButton *revokeButton() const { return m_revoke; }
    QPushButton *exportButton() const { return m_export; }
    QPushButton *rotateButton() const { return m_rotate; }
    QLabel *caLabel() const { return m_ca; }
    QLabel *feedbackLabel() const { return m_feedback; }

    const CertificateRecord *selected() const;
    void selectSerial(const QString &serial);
    void setFeedback(const QString &text);

    // The actions after their questions (tests call these).
    void revoke(const QString &serial, const QString &reason);
    bool exportChain(const QString &path);

signals:
    void rotationRequested(const QString &deviceId);

private:
    void updateActions();
    void updateCaState();
    void askRevoke();
    void askExport();
    void askRotation();

    CertificateAuthorityService *m_authority;
    CertificateListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QLabel *m_ca;
    QPushButton *m_unlock;
    QPushButton *m_revoke;
    QPushButton *m_export;
    QPushButton *m_rotate;
    QLabel *m_feedback;
    QTimer *m_clock;
};

} // namespace fd
