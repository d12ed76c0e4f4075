#include "ui/database_problem_dialog.h"

#include "widgets/plain_label.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace fd {

namespace {
QLabel *label(const QString &text, QWidget *parent)
{
    return plainLabel(text, parent, {.wrap = true, .selectable = true});
}
} // namespace

DatabaseProblemDialog::DatabaseProblemDialog(const QString &path, const Database::OpenResult &result,
                                             QWidget *parent)
    : QDialog(parent)
    , m_path(path)
{
    setWindowTitle(tr("FleetDeck cannot open its cache"));
    setMinimumWidth(520);
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    auto *icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(48, 48));
    icon->setAlignment(Qt::AlignTop);
    top->addWidget(icon);

    auto *texts = new QVBoxLayout;
    QString headline;
    switch (result.status) {
    case Database::OpenStatus::NewerSchema:
        headline = tr("The cache was written by a newer version of FleetDeck.");
        break;
    case Database::OpenStatus::MigrationFailed:
        headline = tr("The cache could not be upgraded to this version of FleetDeck.");
        break;
    case Database::OpenStatus::NotOurs:  // another application's database, or an operations store
        headline = tr("The file is not a FleetDeck cache.");
        break;
    case Database::OpenStatus::ReadOnly:
        headline = tr("The cache file cannot be written.");
        break;
    case Database::OpenStatus::Unreadable:
    case Database::OpenStatus::Ok:
        headline = tr("The cache file cannot be read.");
        break;
    }
    QLabel *headlineLabel = label(headline, this);
    QFont bold = headlineLabel->font();
    bold.setBold(true);
    headlineLabel->setFont(bold);
    texts->addWidget(headlineLabel);
    texts->addWidget(label(tr("File: %1").arg(QFileInfo(path).absoluteFilePath()), this));
    if (!result.message.isEmpty())
        texts->addWidget(label(tr("Details: %1").arg(result.message), this));
    // Someone else's file is never renamed either; a file we may not write cannot be.
    const bool canMoveAside = result.status != Database::OpenStatus::NotOurs
                              && result.status != Database::OpenStatus::ReadOnly;
    texts->addWidget(label(
        canMoveAside ? tr("FleetDeck has not changed the file. You can move it aside and start with an empty cache "
                          "(the file is kept next to the original, renamed), open another cache file, or quit.")
                     : tr("FleetDeck has not changed the file. Open another cache file, or quit."),
        this));
    top->addLayout(texts, 1);
    layout->addLayout(top);

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *moveAside = buttons->addButton(tr("Move the file aside and start fresh"), QDialogButtonBox::AcceptRole);
    QPushButton *other = buttons->addButton(tr("Open another file…"), QDialogButtonBox::ActionRole);
    QPushButton *quit = buttons->addButton(tr("Quit"), QDialogButtonBox::RejectRole);
    moveAside->setDefault(canMoveAside);
    moveAside->setVisible(canMoveAside);
    other->setDefault(!canMoveAside);
    layout->addWidget(buttons);

    connect(moveAside, &QPushButton::clicked, this, [this] {
        m_choice = Choice::MoveAside;
        accept();
    });
    connect(other, &QPushButton::clicked, this, &DatabaseProblemDialog::chooseOther);
    connect(quit, &QPushButton::clicked, this, [this] {
        m_choice = Choice::Quit;
        reject();
    });
}

void DatabaseProblemDialog::chooseOther()
{
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Open or create a cache file"), QFileInfo(m_path).absolutePath(),
        tr("FleetDeck cache (*.sqlite *.db);;All files (*)"), nullptr, QFileDialog::DontConfirmOverwrite);
    if (file.isEmpty())
        return;
    m_otherPath = file;
    m_choice = Choice::OpenOther;
    accept();
}

} // namespace fd
