#pragma once

#include <QWizardPage>

class QLabel;
class QLineEdit;

namespace fd {

struct CommissioningWizardContext;

// Commissioning, step 2: the device's identity in the fleet. The device id comes from the
// request (the id its certificate request names; the expected-devices list may name it too):
// a different id would not match the CSR, so it is checked, not free. Name, site and tags
// (comma-separated) as the technician types them; each checked as you type (length, no
// control characters, at most 32 tags of 1-64 characters).
class CommissioningAssignPage : public QWizardPage
{
    Q_OBJECT
public:
    static constexpr int kMaxTextLength = 256;
    static constexpr int kMaxTags = 32;
    static constexpr int kMaxTagLength = 64;

    CommissioningAssignPage(CommissioningWizardContext *context, QWidget *parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    QLineEdit *deviceIdEdit() const { return m_deviceId; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *siteEdit() const { return m_site; }
    QLineEdit *tagsEdit() const { return m_tags; }
    QLabel *problemLabel() const { return m_problem; }

    // What is wrong with the answer ('' when nothing).
    QString problem() const;
    static QStringList parseTags(const QString &text);

private:
    void update();

    CommissioningWizardContext *m_context;
    QLineEdit *m_deviceId;
    QLineEdit *m_name;
    QLineEdit *m_site;
    QLineEdit *m_tags;
    QLabel *m_problem;
    QString m_preparedFor;  // serial the fields were filled for
};

} // namespace fd
