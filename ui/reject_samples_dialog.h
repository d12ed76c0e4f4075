#pragma once

#include "core/domain/reject_reason.h"

#include <QDialog>

#include <optional>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QTableView;

namespace fd {

class RejectSampleModel;
class RejectionModel;

// Diagnostics > Show Samples…: the last rejected messages kept per reason (RejectionModel::
// recentRejects()), one reason or all, newest first, with the selected one's payload as a
// safe preview (escaped text or hex, at most RejectSample::kPreviewBytes) in a plain-text
// view. Follows new samples while open.
class RejectSamplesDialog : public QDialog
{
    Q_OBJECT
public:
    // reason empty: every reason.
    RejectSamplesDialog(RejectionModel *rejections, std::optional<RejectReason> reason, QWidget *parent = nullptr);

    void showReason(std::optional<RejectReason> reason);
    RejectSampleModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QPlainTextEdit *preview() const { return m_preview; }
    QString emptyText() const;

private:
    void reload();
    void showCurrent();
    std::optional<RejectReason> chosenReason() const;

    RejectionModel *m_rejections;
    RejectSampleModel *m_model;
    QComboBox *m_reason;
    QTableView *m_table;
    QLabel *m_detail;
    QPlainTextEdit *m_preview;
    QLabel *m_empty;
};

} // namespace fd
