#include "ui/expected_import_dialog.h"

#include "widgets/plain_label.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QMap>
#include <QPushButton>
#include <QVBoxLayout>

namespace fd {

ExpectedImportDialog::ExpectedImportDialog(const QString &path, QWidget *parent)
    : QDialog(parent)
    , m_lines(new QListWidget(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
    , m_import(m_buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole))
{
    QFile file(path);
    QString readError;
    if (!file.open(QIODevice::ReadOnly)) {
        readError = tr("The file could not be read: %1").arg(file.errorString());
    } else {
        const QByteArray bytes = file.read(ExpectedDeviceCsv::kMaxBytes + 1);
        if (bytes.size() > ExpectedDeviceCsv::kMaxBytes)
            readError = tr("The file is larger than %1 MiB.").arg(ExpectedDeviceCsv::kMaxBytes / (1024 * 1024));
        else
            m_result = ExpectedDeviceCsv::parse(bytes, QDateTime::currentMSecsSinceEpoch());
    }
    build(QFileInfo(path).fileName(), readError);
}

ExpectedImportDialog::ExpectedImportDialog(const QString &fileName, const QByteArray &bytes, QWidget *parent)
    : QDialog(parent)
    , m_lines(new QListWidget(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
    , m_import(m_buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole))
{
    m_result = ExpectedDeviceCsv::parse(bytes, QDateTime::currentMSecsSinceEpoch());
    build(fileName, QString());
}

void ExpectedImportDialog::build(const QString &fileName, const QString &readError)
{
    setObjectName(QStringLiteral("ExpectedImportDialog"));
    setWindowTitle(tr("Import Expected Devices"));
    if (!readError.isEmpty())
        m_result.errors = {readError};
    else if (m_result.ok() && m_result.devices.isEmpty())
        m_result.errors = {tr("The file lists no device.")};
    m_lines->setObjectName(QStringLiteral("importLines"));
    m_lines->setSelectionMode(QAbstractItemView::ExtendedSelection);
    QString headline;
    if (!m_result.ok()) {
        headline = tr("%1 was not imported: %n problem(s). Nothing was imported; fix the file and import it again.",
                      nullptr, int(m_result.errors.size()))
                       .arg(fileName);
        m_lines->addItems(m_result.errors);  // item views show text as it is
        m_import->setEnabled(false);
    } else {
        QMap<QString, int> models;
        for (const ExpectedDevice &d : std::as_const(m_result.devices))
            ++models[d.model];
        QStringList parts;
        for (auto it = models.cbegin(); it != models.cend(); ++it)
            parts << tr("%1 × %2").arg(it.value()).arg(it.key());
        headline = tr("%1: %n device(s) to add to the expected-devices list (%2). Claim codes are kept only as "
                      "hashes. Devices already enrolled are not changed.",
                      nullptr, int(m_result.devices.size()))
                       .arg(fileName, parts.join(QStringLiteral(", ")));
        const qsizetype shown = qMin<qsizetype>(m_result.devices.size(), 200);
        for (qsizetype i = 0; i < shown; ++i) {
            const ExpectedDevice &d = m_result.devices.at(i);
            m_lines->addItem(tr("%1  %2  %3  %4").arg(d.serial, d.model, d.deviceId, d.name).trimmed());
        }
        if (shown < m_result.devices.size())
            m_lines->addItem(tr("… and %n more", nullptr, int(m_result.devices.size() - shown)));
    }
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(plainLabel(headline, this, {.wrap = true}));
    layout->addWidget(m_lines, 1);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(640, 420);
}

} // namespace fd
