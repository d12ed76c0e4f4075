#include "ui/rollout_review_page.h"

#include "core/ota/release_catalog.h"
#include "ui/rollout_wizard_context.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSet>
#include <QVBoxLayout>

namespace fd {

RolloutReviewPage::RolloutReviewPage(RolloutWizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
    , m_name(new QLineEdit(this))
    , m_summary(new QPlainTextEdit(this))
    , m_confirmLabel(new QLabel(this))
    , m_confirm(new QLineEdit(this))
    , m_start(new QCheckBox(tr("Start the rollout when I click Finish"), this))
{
    setTitle(tr("Review"));
    setSubTitle(tr("Read what will happen. Nothing is sent to any device before you click Finish."));
    m_summary->setReadOnly(true);
    m_name->setMaxLength(200);
    m_confirmLabel->setTextFormat(Qt::PlainText);
    m_confirmLabel->setWordWrap(true);
    m_start->setChecked(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_summary, 1);
    layout->addWidget(m_confirmLabel);
    layout->addWidget(m_confirm);
    layout->addWidget(m_start);
    connect(m_confirm, &QLineEdit::textChanged, this, &RolloutReviewPage::completeChanged);
    connect(m_name, &QLineEdit::textChanged, this, &RolloutReviewPage::completeChanged);
}

void RolloutReviewPage::initializePage()
{
    const int count = int(m_context->selection.targets.size());
    if (m_name->text().isEmpty() && m_context->artifact) {
        QSet<QString> sites;
        for (const Device &d : std::as_const(m_context->selection.targets))
            sites.insert(d.site);
        m_name->setText(sites.size() == 1 && !sites.begin()->isEmpty()
                            ? tr("%1 to %2").arg(m_context->artifact->version, *sites.begin())
                            : tr("%1 to %n device(s)", nullptr, count).arg(m_context->artifact->version));
    }
    m_summary->setPlainText(summaryText(*m_context));
    const bool typed = needsTypedConfirmation();
    m_confirmLabel->setVisible(typed);
    m_confirm->setVisible(typed);
    m_confirm->clear();
    m_confirmLabel->setText(tr("This rollout updates %n device(s). Type the number of devices to confirm:", nullptr,
                               count));
    m_start->setText(m_context->plan.startAtMs > 0 ? tr("Schedule the rollout when I click Finish")
                                                   : tr("Start the rollout when I click Finish"));
}

bool RolloutReviewPage::needsTypedConfirmation() const
{
    return m_context->selection.targets.size() > m_context->plan.confirmAboveDevices;
}

bool RolloutReviewPage::isComplete() const
{
    if (rolloutName().isEmpty())
        return false;
    if (!needsTypedConfirmation())
        return true;
    return m_confirm->text().trimmed() == QString::number(m_context->selection.targets.size());
}

QString RolloutReviewPage::rolloutName() const
{
    return m_name->text().trimmed();
}

bool RolloutReviewPage::startNow() const
{
    return m_start->isChecked();
}

QString RolloutReviewPage::summaryText(const RolloutWizardContext &context)
{
    QStringList lines;
    const int count = int(context.selection.targets.size());
    if (context.artifact) {
        const FirmwareArtifact &a = *context.artifact;
        QString signer = a.keyId;
        if (context.catalog) {
            for (const ReleaseKeyRecord &k : context.catalog->keys()) {
                if (k.keyId == a.keyId)
                    signer = tr("%1 (%2)").arg(k.name, k.keyId);
            }
        }
        lines << tr("Firmware %1 for %2: %3, %4, SHA-256 %5")
                     .arg(a.version, a.models.join(QStringLiteral(", ")), a.fileName,
                          QLocale().formattedDataSize(a.size), a.sha256)
              << tr("Signed by release key %1; every device checks the signature and the hash before installing.")
                     .arg(signer);
    }
    if (context.rollback)
        lines << tr("This is a ROLLBACK rollout: devices on a newer version go back to this one.");
    const QJsonObject filter = context.filter.toJson();
    QStringList filters;
    for (auto it = filter.begin(); it != filter.end(); ++it) {
        QStringList values;
        for (const QJsonValue &v : it.value().toArray())
            values << v.toString();
        filters << tr("%1 = %2").arg(it.key(), values.join(QStringLiteral(" or ")));
    }
    lines << QString()
          << tr("%n device(s) will be updated", nullptr, count)
                 + (filters.isEmpty() ? tr(" (every compatible device).") : tr(" (%1).").arg(filters.join(QStringLiteral(", "))));
    if (!context.selection.excluded.isEmpty())
        lines << tr("%n matching device(s) are left out (see the Targets page).", nullptr,
                    int(context.selection.excluded.size()));
    lines << QString() << context.plan.summary(count);
    return lines.join(u'\n');
}

} // namespace fd
