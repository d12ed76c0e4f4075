#pragma once

#include "core/storage/database.h"

#include <QDialog>

namespace fd {

// Shown when the cache cannot be opened. Explains what is wrong with which file and offers
// to move it aside (kept as "<file>.broken-<time>", never deleted), to open another file, or
// to quit.
class DatabaseProblemDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Choice { Quit, MoveAside, OpenOther };

    DatabaseProblemDialog(const QString &path, const Database::OpenResult &result, QWidget *parent = nullptr);

    Choice choice() const { return m_choice; }
    QString otherPath() const { return m_otherPath; }  // with Choice::OpenOther

private:
    void chooseOther();

    QString m_path;
    Choice m_choice = Choice::Quit;
    QString m_otherPath;
};

} // namespace fd
