#pragma once

#include "core/provisioning/expected_device_csv.h"

#include <QDialog>

class QDialogButtonBox;
class QListWidget;
class QPushButton;

namespace fd {

// Import CSV… of the expected-devices list: reads the file (bounded, ExpectedDeviceCsv::kMaxBytes),
// parses it and shows either every error on its own line ("line 7: …"; nothing is imported,
// the import is all or nothing) or what would be imported (count, models, a preview), with
// an Import button. The caller hands devices() to ProvisioningService::importExpected().
class ExpectedImportDialog : public QDialog
{
    Q_OBJECT
public:
    ExpectedImportDialog(const QString &path, QWidget *parent = nullptr);
    // From bytes (tests, drag and drop).
    ExpectedImportDialog(const QString &fileName, const QByteArray &bytes, QWidget *parent = nullptr);

    bool ok() const { return m_result.ok(); }
    QList<ExpectedDevice> devices() const { return m_result.devices; }
    QStringList errors() const { return m_result.errors; }
    QListWidget *linesView() const { return m_lines; }
    QPushButton *importButton() const { return m_import; }

private:
    void build(const QString &fileName, const QString &readError);

    ExpectedDeviceCsv::Result m_result;
    QListWidget *m_lines;
    QDialogButtonBox *m_buttons;
    QPushButton *m_import;
};

} // namespace fd
