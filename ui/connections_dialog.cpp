#include "ui/connections_dialog.h"

#include "core/ingest/fleet_session.h"
#include "core/settings/profile_store.h"
#include "core/settings/secret_store.h"
#include "core/settings/settings_keys.h"
#include "ui/connection_dialog.h"
#include "models/connection_list_model.h"
#include "models/connection_state_style.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QHash>
#include <QRegularExpression>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSet>
#include <QTreeView>
#include <QVBoxLayout>

namespace fd {

namespace K = SettingsKeys;

namespace {
using Col = ConnectionListModel::Column;

bool canConnect(ConnectionState state)
{
    return state == ConnectionState::Disconnected || state == ConnectionState::Failed;
}
} // namespace

ConnectionsDialog::ConnectionsDialog(FleetSession &session, ProfileStore *profiles, SecretStore *secrets,
                                     PlaintextPasswordPrompt *prompt, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_profiles(profiles && secrets ? profiles : nullptr)
    , m_secrets(profiles && secrets ? secrets : nullptr)
    , m_prompt(prompt)
    , m_model(new ConnectionListModel(this))
    , m_list(new QTreeView(this))
    , m_connect(new QPushButton(tr("&Connect"), this))
    , m_disconnect(new QPushButton(tr("&Disconnect"), this))
    , m_new(new QPushButton(tr("&New…"), this))
    , m_edit(new QPushButton(tr("&Edit…"), this))
    , m_delete(new QPushButton(tr("De&lete"), this))
    , m_disconnectAll(new QPushButton(tr("Disconnect &All"), this))
    , m_message(new QLabel(this))
    , m_problem(new QLabel(this))
{
    setObjectName(QStringLiteral("ConnectionsDialog"));
    setWindowTitle(tr("Connections"));
    resize(760, 380);

    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Saved broker connections and their live state. Several can be connected at "
                                "once; each one's devices are shown as their own source."),
                             this);
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *row = new QHBoxLayout;
    m_list->setModel(m_model);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAllColumnsShowFocus(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(Col::NameColumn, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(Col::BrokerColumn, QHeaderView::Stretch);
    m_list->header()->setSectionResizeMode(Col::StateColumn, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(Col::RateColumn, QHeaderView::ResizeToContents);
    row->addWidget(m_list, 1);

    auto *buttons = new QVBoxLayout;
    m_connect->setToolTip(tr("Connect to the selected broker (the others stay connected)"));
    m_disconnect->setToolTip(tr("Disconnect the selected broker (the others stay connected)"));
    for (QPushButton *button : {m_connect, m_disconnect})
        buttons->addWidget(button);
    buttons->addSpacing(12);
    for (QPushButton *button : {m_new, m_edit, m_delete})
        buttons->addWidget(button);
    buttons->addStretch(1);
    row->addLayout(buttons);
    layout->addLayout(row, 1);

    m_problem->setObjectName(QStringLiteral("connectionProblem"));
    m_problem->setTextFormat(Qt::PlainText);  // broker and OpenSSL text, literally
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_problem->setFrameShape(QFrame::StyledPanel);
    m_problem->setMargin(6);
    m_problem->hide();
    layout->addWidget(m_problem);

    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->hide();
    layout->addWidget(m_message);

    auto *box = new QDialogButtonBox(this);
    box->addButton(m_disconnectAll, QDialogButtonBox::ResetRole);
    box->addButton(QDialogButtonBox::Close);
    layout->addWidget(box);

    if (!m_profiles) {
        for (QPushButton *button : {m_new, m_edit, m_delete})
            button->setEnabled(false);
    }

    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_connect, &QPushButton::clicked, this, &ConnectionsDialog::connectSelected);
    connect(m_disconnect, &QPushButton::clicked, this, &ConnectionsDialog::disconnectSelected);
    connect(m_new, &QPushButton::clicked, this, &ConnectionsDialog::newProfile);
    connect(m_edit, &QPushButton::clicked, this, &ConnectionsDialog::editSelected);
    connect(m_delete, &QPushButton::clicked, this, &ConnectionsDialog::deleteSelected);
    connect(m_disconnectAll, &QPushButton::clicked, this, &ConnectionsDialog::disconnectAllRequested);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, &ConnectionsDialog::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ConnectionsDialog::updateButtons);
    connect(m_list, &QTreeView::doubleClicked, this, [this] {
        if (m_connect->isEnabled())
            connectSelected();
        else if (m_edit->isEnabled())
            editSelected();
    });
    connect(&m_session, &FleetSession::sourceStateChanged, this, &ConnectionsDialog::onSourceState);
    connect(&m_session, &FleetSession::statsUpdated, this, &ConnectionsDialog::onStats);

    reload();
    if (m_model->rowCount() > 0)
        m_list->setCurrentIndex(m_model->index(0, 0));
    updateButtons();
}

void ConnectionsDialog::reload()
{
    const QString selected = selectedName();
    // The profiles are read once: profile(name) reads them all, so asking it per row was
    // quadratic (1,000 profiles in an edited settings file: 6 s on the GUI thread at every
    // reload). Found while writing fuzz/fuzz_connection_profiles.
    QStringList names;
    QHash<QString, QString> savedBrokers;  // saved profile -> its broker as shown
    if (m_profiles) {
        const QList<ConnectionProfile> profiles = m_profiles->profiles();
        for (const ConnectionProfile &p : profiles) {
            names.append(p.name);
            savedBrokers.insert(p.name, p.broker.toString());
        }
    }
    QSet<QString> listed(names.cbegin(), names.cend());
    const QStringList live = m_session.sources();
    for (const QString &source : live) {
        if (!listed.contains(source)) {
            names.append(source);
            listed.insert(source);
        }
    }
    QHash<QString, double> rates;  // kept from the rows shown until now
    for (int i = 0; const ConnectionListModel::Row *old = m_model->rowAt(i); ++i)
        rates.insert(old->name, old->rate);

    QList<ConnectionListModel::Row> rows;
    for (const QString &name : std::as_const(names)) {
        ConnectionListModel::Row row;
        row.name = name;
        const auto saved = savedBrokers.constFind(name);
        row.saved = saved != savedBrokers.cend();
        row.broker = row.saved ? *saved : m_sourceBrokers.value(name);
        row.state = m_session.sourceState(name);
        row.detail = m_session.sourceDetail(name);
        row.rate = rates.value(name);
        rows.append(row);
    }
    m_model->setRows(rows);
    selectConnection(selected);
    updateButtons();
}

void ConnectionsDialog::setSourceBroker(const QString &source, const QString &url)
{
    m_sourceBrokers.insert(source, url);
    if (const ConnectionListModel::Row *row = m_model->rowAt(m_model->rowOf(source)); row && !row->saved)
        m_model->setBroker(source, url);
}

QStringList ConnectionsDialog::names() const
{
    return m_model->names();
}

bool ConnectionsDialog::isSavedProfile(const QString &name) const
{
    const ConnectionListModel::Row *row = m_model->rowAt(m_model->rowOf(name));
    return row && row->saved;
}

bool ConnectionsDialog::selectConnection(const QString &name)
{
    const int row = m_model->rowOf(name);
    if (row < 0)
        return false;
    m_list->setCurrentIndex(m_model->index(row, 0));
    return true;
}

QString ConnectionsDialog::selectedName() const
{
    const ConnectionListModel::Row *row = m_model->rowAt(m_list->currentIndex().row());
    return row ? row->name : QString();
}

QString ConnectionsDialog::stateText(const QString &name) const
{
    const int row = m_model->rowOf(name);
    return row < 0 ? QString() : m_model->index(row, Col::StateColumn).data().toString();
}

void ConnectionsDialog::onSourceState(const QString &source, ConnectionState state, const QString &detail)
{
    if (state == ConnectionState::Reconnecting || state == ConnectionState::Failed) {
        Problem problem;
        problem.text = detail;
        problem.atMs = QDateTime::currentMSecsSinceEpoch();
        // MqttClient says "<reason>; retrying in N s".
        static const QRegularExpression retry(QStringLiteral("retrying in ([0-9.]+) s$"));
        if (const QRegularExpressionMatch m = retry.match(detail); m.hasMatch() && state == ConnectionState::Reconnecting)
            problem.nextRetryMs = problem.atMs + qint64(m.captured(1).toDouble() * 1000);
        m_problems.insert(source, problem);
    }
    const ConnectionListModel::Row *row = m_model->rowAt(m_model->rowOf(source));
    if (!row || (!row->saved && state == ConnectionState::Disconnected))
        reload();  // a new live source (demo site, --broker URL), or a live-only one went away
    else
        m_model->setState(source, state, detail);
    updateButtons();
}

void ConnectionsDialog::onStats(const IngestStats &stats)
{
    for (auto it = stats.sources.cbegin(); it != stats.sources.cend(); ++it)
        m_model->setRate(it.key(), it->messagesPerSecond);
}

void ConnectionsDialog::updateButtons()
{
    const QString name = selectedName();
    const bool saved = !name.isEmpty() && isSavedProfile(name);
    const ConnectionState state = m_session.sourceState(name);
    m_connect->setEnabled(saved && canConnect(state));
    m_disconnect->setEnabled(!name.isEmpty() && state != ConnectionState::Disconnected);
    m_edit->setEnabled(m_profiles && saved);
    m_delete->setEnabled(m_profiles && saved && state == ConnectionState::Disconnected);
    m_delete->setToolTip(saved && state != ConnectionState::Disconnected
                             ? tr("Disconnect it before deleting it")
                             : QString());
    m_disconnectAll->setEnabled(!m_session.sources().isEmpty());
    // While it keeps failing: "Retry Now" (reconnects at once) and "Stop Retrying".
    const bool retrying = state == ConnectionState::Reconnecting || state == ConnectionState::Connecting;
    m_connect->setText(state == ConnectionState::Reconnecting ? tr("&Retry Now") : tr("&Connect"));
    if (state == ConnectionState::Reconnecting)
        m_connect->setEnabled(saved);
    m_disconnect->setText(retrying ? tr("&Stop Retrying") : tr("&Disconnect"));
    m_disconnect->setToolTip(retrying ? tr("Stop trying to connect to the selected broker")
                                      : tr("Disconnect the selected broker (the others stay connected)"));
    updateProblem();
}

QString ConnectionsDialog::problemText() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

void ConnectionsDialog::updateProblem()
{
    const QString name = selectedName();
    const ConnectionState state = m_session.sourceState(name);
    Problem problem = m_problems.value(name);
    if (problem.text.isEmpty() && (state == ConnectionState::Reconnecting || state == ConnectionState::Failed))
        problem.text = m_session.sourceDetail(name);  // reported before the dialog opened
    if (name.isEmpty() || problem.text.isEmpty()) {
        m_problem->hide();
        return;
    }
    const QLocale locale;
    QStringList lines;
    const QString at = problem.atMs > 0
                           ? locale.toString(QDateTime::fromMSecsSinceEpoch(problem.atMs).time(), QLocale::LongFormat)
                           : QString();
    lines << (at.isEmpty() ? tr("Last error of \"%1\":").arg(name) : tr("Last error of \"%1\" (%2):").arg(name, at));
    lines << problem.text;
    if (state == ConnectionState::Reconnecting && problem.nextRetryMs > 0)
        lines << tr("Next attempt at %1. Retry Now tries at once; Stop Retrying gives up.")
                     .arg(locale.toString(QDateTime::fromMSecsSinceEpoch(problem.nextRetryMs).time(), QLocale::LongFormat));
    else if (state == ConnectionState::Reconnecting)
        lines << tr("FleetDeck keeps retrying. Retry Now tries at once; Stop Retrying gives up.");
    else if (state == ConnectionState::Failed)
        lines << tr("FleetDeck does not retry this error: fix the settings (Edit…), then Connect.");
    else if (state == ConnectionState::Connected)
        lines << tr("Connected again since.");
    m_problem->setText(lines.join(QLatin1Char('\n')));
    m_problem->setStyleSheet(state == ConnectionState::Connected ? QString()
                                                                 : QStringLiteral("QLabel { color: #a93226; }"));
    m_problem->show();
}

void ConnectionsDialog::connectSelected()
{
    const QString name = selectedName();
    if (name.isEmpty() || !isSavedProfile(name))
        return;
    m_message->hide();
    emit connectRequested(name);
    updateButtons();
}

void ConnectionsDialog::disconnectSelected()
{
    const QString name = selectedName();
    if (name.isEmpty())
        return;
    emit disconnectRequested(name);
    updateButtons();
}

void ConnectionsDialog::newProfile()
{
    if (!m_profiles)
        return;
    ConnectionDialog editor(*m_profiles, *m_secrets, ConnectionDialog::Mode::Edit, m_prompt, this);
    editor.startNewProfile();
    if (editor.exec() != QDialog::Accepted)
        return;
    reload();
    selectConnection(editor.profile().name);
    showMessage(tr("Saved \"%1\". Connect it with Connect.").arg(editor.profile().name), false);
}

void ConnectionsDialog::editSelected()
{
    const QString name = selectedName();
    if (!m_profiles || !isSavedProfile(name))
        return;
    ConnectionDialog editor(*m_profiles, *m_secrets, ConnectionDialog::Mode::Edit, m_prompt, this);
    if (!editor.editProfile(name))
        return;
    if (editor.exec() != QDialog::Accepted)
        return;
    reload();
    selectConnection(name);
    if (m_session.sourceState(name) != ConnectionState::Disconnected) {
        emit connectRequested(name);  // reconnects with the new settings
        showMessage(tr("Saved \"%1\" and reconnecting with the new settings.").arg(name), false);
    } else {
        showMessage(tr("Saved \"%1\".").arg(name), false);
    }
}

void ConnectionsDialog::deleteSelected()
{
    const QString name = selectedName();
    if (!m_profiles || !isSavedProfile(name) || m_session.sourceState(name) != ConnectionState::Disconnected)
        return;
    QMessageBox confirm(QMessageBox::Question, tr("Delete connection"),
                        tr("Delete the connection \"%1\" and its stored secrets?").arg(name),
                        QMessageBox::Yes | QMessageBox::Cancel, this);
    confirm.setTextFormat(Qt::PlainText);
    confirm.setDefaultButton(QMessageBox::Cancel);
    if (confirm.exec() != QMessageBox::Yes)
        return;
    m_profiles->remove(name);
    for (const QString &key : {K::profilePasswordKey(name), K::profileKeyPassphraseKey(name)}) {
        QPointer<ConnectionsDialog> self(this);
        m_secrets->remove(key, [self](const SecretStore::Result &r) {
            if (self && !r.ok && !r.notFound)
                self->showMessage(tr("The connection was deleted, but its secret could not be removed from the "
                                     "keychain: %1").arg(r.error),
                                  true);
        });
    }
    reload();
    showMessage(tr("Deleted \"%1\".").arg(name), false);
}

void ConnectionsDialog::showMessage(const QString &text, bool error)
{
    m_message->setStyleSheet(error ? QStringLiteral("QLabel { color: #c0392b; }") : QString());
    m_message->setText(text);
    m_message->show();
}

} // namespace fd
