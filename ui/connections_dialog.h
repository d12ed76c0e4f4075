#pragma once

#include "core/domain/ingest_stats.h"
#include "core/domain/connection_state.h"

#include <QDialog>
#include <QHash>

class QLabel;
class QPushButton;
class QTreeView;

namespace fd {

class ConnectionListModel;
class FleetSession;
class PlaintextPasswordPrompt;
class ProfileStore;
class SecretStore;

// File > Connections…: every saved profile and every other live source (demo sites, a
// --broker URL) with its live state and message rate. Connect / Disconnect act on the
// selected row (any number may be connected at once); New / Edit / Delete edit saved
// profiles (ConnectionDialog in Edit mode, secrets in the keychain). The dialog never
// connects by itself: it asks (connectRequested / disconnectRequested) and the main window,
// which reads the secrets and remembers what to reconnect, does it without blocking.
class ConnectionsDialog : public QDialog
{
    Q_OBJECT
public:

    // profiles and secrets may be null: live sources only, no editing. prompt (asked when a
    // profile with a password over plain TCP is saved) may be null: a message box.
    ConnectionsDialog(FleetSession &session, ProfileStore *profiles, SecretStore *secrets,
                      PlaintextPasswordPrompt *prompt, QWidget *parent = nullptr);

    QTreeView *list() const { return m_list; }
    ConnectionListModel *model() const { return m_model; }
    QStringList names() const;  // rows, in order
    bool selectConnection(const QString &name);
    QString selectedName() const;
    QString stateText(const QString &name) const;
    QPushButton *connectButton() const { return m_connect; }
    QPushButton *disconnectButton() const { return m_disconnect; }
    QPushButton *editButton() const { return m_edit; }
    QPushButton *deleteButton() const { return m_delete; }
    QPushButton *disconnectAllButton() const { return m_disconnectAll; }
    // The selected connection's state in full: its whole last error (word-wrapped, plain
    // text, selectable) and when the next attempt is due.
    QString problemText() const;

    // Rebuilds the rows from the saved profiles and the session's sources.
    void reload();
    // Broker URL shown for a live source that is not a saved profile (demo site, --broker).
    void setSourceBroker(const QString &source, const QString &url);

signals:
    void connectRequested(const QString &profileName);
    void disconnectRequested(const QString &source);
    void disconnectAllRequested();

private:
    void onSourceState(const QString &source, fd::ConnectionState state, const QString &detail);
    void onStats(const fd::IngestStats &stats);
    void updateButtons();
    bool isSavedProfile(const QString &name) const;
    void connectSelected();
    void disconnectSelected();
    void newProfile();
    void editSelected();
    void deleteSelected();
    void showMessage(const QString &text, bool error);
    void updateProblem();

    FleetSession &m_session;
    ProfileStore *m_profiles;
    SecretStore *m_secrets;
    PlaintextPasswordPrompt *m_prompt;
    QHash<QString, QString> m_sourceBrokers;
    ConnectionListModel *m_model;
    QTreeView *m_list;
    QPushButton *m_connect;
    QPushButton *m_disconnect;
    QPushButton *m_new;
    QPushButton *m_edit;
    QPushButton *m_delete;
    QPushButton *m_disconnectAll;
    QLabel *m_message;
    QLabel *m_problem;
    struct Problem
    {
        QString text;          // the transport's whole reason
        qint64 atMs = 0;       // when it was reported
        qint64 nextRetryMs = 0; // 0: no retry due (failed for good, or not known)
    };
    QHash<QString, Problem> m_problems;  // per connection, the last one reported
};

} // namespace fd
