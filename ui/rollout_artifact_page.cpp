#include "ui/rollout_artifact_page.h"

#include "models/connection_state_style.h"

#include "core/ota/firmware_version.h"
#include "core/ota/release_catalog.h"
#include "ui/release_key_dialog.h"
#include "ui/rollout_wizard_context.h"
#include "widgets/warning_colors.h"

#include <QComboBox>
#include <QDir>
#include <QRegularExpression>
#include <QDateTime>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace fd {

namespace {

enum ListColumn { VersionColumn, ModelsColumn, FileColumn, SizeColumn, KeyColumn, ImportedColumn };
constexpr int kIdRole = Qt::UserRole + 1;

QStringList splitModels(const QString &text)
{
    QStringList models;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        const QString model = part.trimmed();
        if (!model.isEmpty() && !models.contains(model))
            models.append(model);
    }
    return models;
}

} // namespace

RolloutArtifactPage::RolloutArtifactPage(RolloutWizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
    , m_list(new QTreeWidget(this))
    , m_file(new QLineEdit(this))
    , m_version(new QLineEdit(this))
    , m_models(new QLineEdit(this))
    , m_notes(new QLineEdit(this))
    , m_key(new QComboBox(this))
    , m_passphrase(new QLineEdit(this))
    , m_newKey(new QPushButton(tr("New key…"), this))
    , m_import(new QPushButton(tr("Import and sign"), this))
    , m_status(new QLabel(this))
{
    setTitle(tr("Firmware"));
    setSubTitle(tr("Choose a signed firmware artifact, or import a firmware file and sign it with a release key."));

    m_list->setHeaderLabels({tr("Version"), tr("Models"), tr("File"), tr("Size"), tr("Signed by"), tr("Imported")});
    m_list->setRootIsDecorated(false);
    m_list->setAlternatingRowColors(true);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        m_context->artifact.reset();
        if (item && m_context->catalog) {
            if (const FirmwareArtifact *a = m_context->catalog->artifact(item->data(0, kIdRole).toString()))
                m_context->artifact = *a;
        }
        emit completeChanged();
    });

    auto *importBox = new QGroupBox(tr("Import a firmware file"), this);
    m_file->setPlaceholderText(tr("firmware image (.bin, .img, …)"));
    auto *browse = new QPushButton(tr("Browse…"), importBox);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);
    m_version->setPlaceholderText(tr("e.g. 2.5.0"));
    m_models->setPlaceholderText(tr("compatible models, comma-separated: TH-100, TH-200"));
    m_notes->setPlaceholderText(tr("release notes (optional)"));
    m_passphrase->setEchoMode(QLineEdit::Password);
    m_passphrase->setPlaceholderText(tr("the release key's passphrase"));
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_key, 1);
    keyRow->addWidget(m_newKey);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    auto *form = new QFormLayout(importBox);
    form->addRow(tr("File:"), fileRow);
    form->addRow(tr("&Version:"), m_version);
    form->addRow(tr("&Models:"), m_models);
    form->addRow(tr("&Notes:"), m_notes);
    form->addRow(tr("Sign with:"), keyRow);
    form->addRow(tr("&Passphrase:"), m_passphrase);
    form->addRow(QString(), m_import);
    form->addRow(QString(), m_status);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Signed artifacts:"), this));
    layout->addWidget(m_list, 1);
    layout->addWidget(importBox);

    connect(browse, &QPushButton::clicked, this, &RolloutArtifactPage::browse);
    connect(m_newKey, &QPushButton::clicked, this, &RolloutArtifactPage::newKey);
    connect(m_import, &QPushButton::clicked, this, &RolloutArtifactPage::startImport);
    for (QLineEdit *edit : {m_file, m_version, m_models, m_passphrase})
        connect(edit, &QLineEdit::textChanged, this, &RolloutArtifactPage::updateImportButton);
    connect(m_key, &QComboBox::currentIndexChanged, this, &RolloutArtifactPage::updateImportButton);

    if (ReleaseCatalog *catalog = m_context->catalog) {
        connect(catalog, &ReleaseCatalog::catalogRead, this, [this] {
            fillKeys();
            fillList();
        });
        connect(catalog, &ReleaseCatalog::failed, this, [this](const QString &error) { setStatus(error, true); });
        connect(catalog, &ReleaseCatalog::keyCreated, this, [this](const QString &name, const QString &error) {
            if (!error.isEmpty()) {
                setStatus(tr("Release key %1 was not created: %2").arg(name, error), true);
                return;
            }
            setStatus(tr("Release key %1 created.").arg(name), false);
            m_key->setProperty("select", name);
        });
        connect(catalog, &ReleaseCatalog::artifactImported, this,
                [this](const FirmwareArtifact &artifact, const QString &error) {
                    m_importing = false;
                    updateImportButton();
                    if (!error.isEmpty()) {
                        setStatus(tr("Not imported: %1").arg(error), true);
                        return;
                    }
                    m_passphrase->clear();
                    setStatus(tr("Imported and signed: %1 (artifact %2).").arg(artifact.version, artifact.id), false);
                    m_pendingSelection = artifact.id;
                });
    }
    updateImportButton();
}

void RolloutArtifactPage::initializePage()
{
    fillKeys();
    fillList();
    if (m_context->catalog)
        m_context->catalog->refresh();
}

bool RolloutArtifactPage::isComplete() const
{
    return m_context->artifact.has_value();
}

bool RolloutArtifactPage::validatePage()
{
    return m_context->artifact.has_value();
}

bool RolloutArtifactPage::selectArtifact(const QString &id)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_list->topLevelItem(i);
        if (item->data(0, kIdRole).toString() == id) {
            m_list->setCurrentItem(item);
            return true;
        }
    }
    return false;
}

void RolloutArtifactPage::fillList()
{
    const QString current = m_pendingSelection.isEmpty() && m_context->artifact ? m_context->artifact->id
                                                                                : m_pendingSelection;
    m_list->clear();
    if (!m_context->catalog)
        return;
    QHash<QString, QString> keyNames;
    for (const ReleaseKeyRecord &k : m_context->catalog->keys())
        keyNames.insert(k.keyId, k.name);
    const QLocale locale;
    for (const FirmwareArtifact &a : m_context->catalog->artifacts()) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(VersionColumn, a.version);
        item->setText(ModelsColumn, a.models.join(QStringLiteral(", ")));
        item->setText(FileColumn, a.fileName);
        item->setText(SizeColumn, locale.formattedDataSize(a.size));
        item->setText(KeyColumn, keyNames.value(a.keyId, a.keyId));
        item->setText(ImportedColumn,
                      QDateTime::fromMSecsSinceEpoch(a.createdMs).toString(QStringLiteral("yyyy-MM-dd HH:mm")));
        item->setToolTip(VersionColumn, plainTextToolTip(a.notes.isEmpty() ? tr("artifact %1").arg(a.id)
                                                                           : tr("artifact %1\n%2").arg(a.id, a.notes)));
        item->setToolTip(FileColumn, tr("SHA-256 %1").arg(a.sha256));
        item->setData(0, kIdRole, a.id);
    }
    if (!current.isEmpty() && selectArtifact(current))
        m_pendingSelection.clear();
    else if (!m_context->artifact && m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
}

void RolloutArtifactPage::fillKeys()
{
    const QString wanted = m_key->property("select").toString();
    const QString current = wanted.isEmpty() ? m_key->currentText() : wanted;
    m_key->clear();
    if (!m_context->catalog)
        return;
    for (const ReleaseKeyRecord &k : m_context->catalog->keys()) {
        if (!k.canSign())
            continue;
        m_key->addItem(k.name, int(k.storage));
        m_key->setItemData(m_key->count() - 1,
                           k.storage == ReleaseKeyRecord::Storage::Keychain ? tr("%1, private key in the OS keychain").arg(k.keyId)
                                                                             : tr("%1, passphrase-protected").arg(k.keyId),
                           Qt::ToolTipRole);
    }
    // (With a placeholder text, a combo box selects nothing by itself.)
    const int at = m_key->findText(current);
    m_key->setCurrentIndex(at >= 0 ? at : (m_key->count() > 0 ? 0 : -1));
    m_key->setProperty("select", QVariant());
    if (m_key->count() == 0)
        m_key->setPlaceholderText(tr("no release key yet: create one"));
    updateImportButton();
}

void RolloutArtifactPage::browse()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Firmware file"), m_file->text());
    if (path.isEmpty())
        return;
    m_file->setText(QDir::toNativeSeparators(path));
    // A version in the file name is a good guess ("th100-2.5.0.bin"); the operator checks it.
    if (m_version->text().isEmpty()) {
        static const QRegularExpression versionPattern(QStringLiteral("(\\d+\\.\\d+(?:\\.\\d+)*(?:-[0-9A-Za-z.]+)?)"));
        const QRegularExpressionMatch match = versionPattern.match(QFileInfo(path).completeBaseName());
        if (match.hasMatch())
            m_version->setText(match.captured(1));
    }
}

void RolloutArtifactPage::newKey()
{
    if (!m_context->catalog)
        return;
    ReleaseKeyDialog dialog(m_context->catalog->hasKeychain(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    setStatus(tr("Creating release key %1…").arg(dialog.name()), false);
    m_context->catalog->createKey(dialog.name(), dialog.algorithm(), dialog.storage(), dialog.passphrase());
}

QString RolloutArtifactPage::importProblem() const
{
    if (m_importing)
        return tr("Importing…");
    if (m_file->text().trimmed().isEmpty())
        return tr("Choose a firmware file.");
    if (!QFileInfo(m_file->text().trimmed()).isFile())
        return tr("%1 is not a readable file.").arg(m_file->text().trimmed());
    QString why;
    if (!FirmwareVersion::isValid(m_version->text().trimmed(), &why))
        return tr("Version: %1").arg(why);
    if (splitModels(m_models->text()).isEmpty())
        return tr("Name at least one compatible model.");
    if (m_key->currentIndex() < 0)
        return tr("Create a release key to sign with.");
    if (ReleaseKeyRecord::Storage(m_key->currentData().toInt()) == ReleaseKeyRecord::Storage::Passphrase
        && m_passphrase->text().isEmpty())
        return tr("Type the release key's passphrase.");
    return {};
}

void RolloutArtifactPage::updateImportButton()
{
    const bool withPassphrase =
        m_key->currentIndex() >= 0
        && ReleaseKeyRecord::Storage(m_key->currentData().toInt()) == ReleaseKeyRecord::Storage::Passphrase;
    m_passphrase->setEnabled(withPassphrase);
    const QString why = importProblem();
    m_import->setEnabled(why.isEmpty() && m_context->catalog);
    m_import->setToolTip(why);
}

void RolloutArtifactPage::startImport()
{
    if (!m_context->catalog || !importProblem().isEmpty())
        return;
    ArtifactImportRequest request;
    request.filePath = QDir::fromNativeSeparators(m_file->text().trimmed());
    request.version = m_version->text().trimmed();
    request.models = splitModels(m_models->text());
    request.notes = m_notes->text().trimmed();
    m_importing = true;
    updateImportButton();
    setStatus(tr("Hashing, signing and storing %1…").arg(QFileInfo(request.filePath).fileName()), false);
    m_context->catalog->importArtifact(request, m_key->currentText(), m_passphrase->text().toUtf8());
}

void RolloutArtifactPage::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    QPalette p = palette();
    if (error)
        p.setColor(QPalette::WindowText, warningColors(palette()).errorText);
    m_status->setPalette(p);
}

} // namespace fd
