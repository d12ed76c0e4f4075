#pragma once

#include <QWizardPage>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace fd {

struct RolloutWizardContext;

// Rollout wizard, step 1: the firmware. Either an artifact already imported (signed, listed
// newest first with its version, compatible models, file and signing key), or a firmware
// file imported here: version, compatible models, release notes, signed with a release key
// (unlocked with its passphrase or from the keychain; "New key…" creates one). The import
// runs through ReleaseCatalog; the new artifact is selected once it is committed.
class RolloutArtifactPage : public QWizardPage
{
    Q_OBJECT
public:
    RolloutArtifactPage(RolloutWizardContext *context, QWidget *parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    QTreeWidget *artifactList() const { return m_list; }
    QLineEdit *fileEdit() const { return m_file; }
    QLineEdit *versionEdit() const { return m_version; }
    QLineEdit *modelsEdit() const { return m_models; }
    QLineEdit *notesEdit() const { return m_notes; }
    QComboBox *keyChoice() const { return m_key; }
    QLineEdit *passphraseEdit() const { return m_passphrase; }
    QPushButton *importButton() const { return m_import; }
    QLabel *statusLabel() const { return m_status; }
    // Selects an artifact of the list by id (false if not listed).
    bool selectArtifact(const QString &id);
    // What blocks the import ('' when it can run).
    QString importProblem() const;

private:
    void fillList();
    void fillKeys();
    void browse();
    void newKey();
    void startImport();
    void setStatus(const QString &text, bool error);
    void updateImportButton();

    RolloutWizardContext *m_context;
    QTreeWidget *m_list;
    QLineEdit *m_file;
    QLineEdit *m_version;
    QLineEdit *m_models;
    QLineEdit *m_notes;
    QComboBox *m_key;
    QLineEdit *m_passphrase;
    QPushButton *m_newKey;
    QPushButton *m_import;
    QLabel *m_status;
    QString m_pendingSelection;  // artifact id to select once the list refreshes
    bool m_importing = false;
};

} // namespace fd
