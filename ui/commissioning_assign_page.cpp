#include "ui/commissioning_assign_page.h"

#include "core/provisioning/provisioning_ids.h"
#include "ui/commissioning_wizard_context.h"
#include "widgets/plain_label.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimer>
#include <QVBoxLayout>

namespace fd {

namespace {

bool hasControl(const QString &text)
{
    for (QChar c : text) {
        if (c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

} // namespace

CommissioningAssignPage::CommissioningAssignPage(CommissioningWizardContext *context, QWidget *parent)
    : QWizardPage(parent)
    , m_context(context)
    , m_deviceId(new QLineEdit(this))
    , m_name(new QLineEdit(this))
    , m_site(new QLineEdit(this))
    , m_tags(new QLineEdit(this))
    , m_problem(plainLabel(QString(), this, {.wrap = true}))
{
    setTitle(tr("Assign"));
    setSubTitle(tr("How the device appears in the fleet. The device id is the name in its certificate."));
    m_deviceId->setMaxLength(int(ProvisioningIds::kMaxIdChars) + 1);
    m_name->setMaxLength(kMaxTextLength + 1);
    m_site->setMaxLength(kMaxTextLength + 1);
    m_tags->setMaxLength(kMaxTags * (kMaxTagLength + 2));
    m_tags->setPlaceholderText(tr("e.g. cold-chain, floor-2"));
    m_problem->setObjectName(QStringLiteral("problemLabel"));
    m_problem->setForegroundRole(QPalette::PlaceholderText);
    auto *form = new QFormLayout;
    form->addRow(tr("Device &id:"), m_deviceId);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Site:"), m_site);
    form->addRow(tr("&Tags:"), m_tags);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addStretch(1);
    for (QLineEdit *edit : {m_deviceId, m_name, m_site, m_tags})
        connect(edit, &QLineEdit::textChanged, this, &CommissioningAssignPage::update);
}

void CommissioningAssignPage::initializePage()
{
    if (!m_context->request || m_preparedFor == m_context->serial) {
        update();
        return;
    }
    m_preparedFor = m_context->serial;
    const PendingRequest &p = *m_context->request;
    QString deviceId = p.record.deviceId;
    if (deviceId.isEmpty())
        deviceId = p.expected && !p.expected->deviceId.isEmpty() ? p.expected->deviceId
                                                                 : ProvisioningIds::defaultDeviceId(p.record.serial);
    m_deviceId->setText(deviceId);
    m_name->setText(p.expected ? p.expected->name : QString());
    m_site->setText(p.expected ? p.expected->site : QString());
    m_tags->setText(p.expected ? p.expected->tags.join(QStringLiteral(", ")) : QString());
    update();
    QTimer::singleShot(0, m_name, [this] { m_name->setFocus(Qt::OtherFocusReason); });  // after QWizard's own focus
}

QStringList CommissioningAssignPage::parseTags(const QString &text)
{
    QStringList tags;
    for (const QString &part : text.split(u',')) {
        const QString tag = part.trimmed();
        if (!tag.isEmpty() && !tags.contains(tag))
            tags.append(tag);
    }
    return tags;
}

QString CommissioningAssignPage::problem() const
{
    const QString id = m_deviceId->text().trimmed();
    QString why;
    if (id.isEmpty())
        return tr("The device needs an id.");
    if (!ProvisioningIds::isValidDeviceId(id, &why))
        return tr("This device id cannot be used: %1").arg(why);
    if (m_context->request && !m_context->request->record.deviceId.isEmpty()
        && id != m_context->request->record.deviceId)
        return tr("The device asked for a certificate for \"%1\"; a different id needs a new request from the device.")
            .arg(m_context->request->record.deviceId);
    const QString name = m_name->text().trimmed();
    const QString site = m_site->text().trimmed();
    if (name.size() > kMaxTextLength || site.size() > kMaxTextLength)
        return tr("A name or site has at most %1 characters.").arg(kMaxTextLength);
    if (hasControl(name) || hasControl(site) || hasControl(m_tags->text()))
        return tr("Names, sites and tags cannot hold control characters.");
    const QStringList tags = parseTags(m_tags->text());
    if (tags.size() > kMaxTags)
        return tr("At most %1 tags.").arg(kMaxTags);
    for (const QString &tag : tags) {
        if (tag.size() > kMaxTagLength)
            return tr("A tag has at most %1 characters: \"%2…\" is longer.").arg(kMaxTagLength).arg(tag.left(20));
    }
    return {};
}

void CommissioningAssignPage::update()
{
    const QString p = problem();
    m_problem->setText(p);
    m_problem->setVisible(!p.isEmpty());
    emit completeChanged();
}

bool CommissioningAssignPage::isComplete() const
{
    return problem().isEmpty();
}

bool CommissioningAssignPage::validatePage()
{
    if (!problem().isEmpty())
        return false;
    Enrollment &e = m_context->enrollment;
    e.deviceId = m_deviceId->text().trimmed();
    e.name = m_name->text().trimmed();
    e.site = m_site->text().trimmed();
    e.tags = parseTags(m_tags->text());
    e.typedSerial = m_context->serial;
    e.typedClaim = m_context->claim;
    return true;
}

} // namespace fd
