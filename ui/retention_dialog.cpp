#include "ui/retention_dialog.h"

#include "widgets/plain_label.h"

#include <QCheckBox>
#include <QDir>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <memory>

namespace fd {

namespace {
QLabel *wrappedLabel(const QString &text, QWidget *parent)
{
    return plainLabel(text, parent, {.wrap = true});
}
} // namespace

RetentionDialog::RetentionDialog(const RetentionPolicy &current, const QString &cachePath, QWidget *parent)
    : QDialog(parent)
    , m_initial(current.normalized())
    , m_cachePath(cachePath)
{
    setObjectName(QStringLiteral("RetentionDialog"));
    setWindowTitle(tr("Cache and Retention"));
    auto *layout = new QVBoxLayout(this);

    layout->addWidget(wrappedLabel(
        tr("FleetDeck keeps the telemetry it receives in a local cache, so charts can show the past. Raw "
           "samples take the most space and are kept for a short time; per-minute and per-hour summaries "
           "(rollups) are small and are kept longer: long time ranges are drawn from them once the raw "
           "samples are gone."),
        this));

    auto *limits = new QGroupBox(tr("Keep telemetry for"), this);
    auto *form = new QFormLayout(limits);
    m_raw = addLevel(form, tr("&Raw samples:"), tr("Every value as the device sent it (charts of up to 3 hours)."));
    m_minute = addLevel(form, tr("Per-&minute rollups:"),
                        tr("Minimum, maximum and average per minute (charts of up to 10 days)."));
    m_hour = addLevel(form, tr("Per-&hour rollups:"), tr("Minimum, maximum and average per hour (longer charts)."));
    auto *rule = wrappedLabel(tr("A coarser level never expires before a finer one: per-minute rollups are kept at "
                                 "least as long as raw samples, per-hour rollups at least as long as per-minute "
                                 "rollups."),
                              limits);
    rule->setForegroundRole(QPalette::PlaceholderText);
    form->addRow(rule);
    m_problem = wrappedLabel(QString(), limits);
    m_problem->setObjectName(QStringLiteral("retentionProblem"));
    const bool dark = palette().color(QPalette::Window).lightness() < 128;  // View > Theme
    m_problem->setStyleSheet(dark ? QStringLiteral("QLabel { color: #ff7b6e; }") : QStringLiteral("QLabel { color: #c0392b; }"));
    m_problem->hide();
    form->addRow(m_problem);
    m_shortenNote = wrappedLabel(tr("Shorter limits delete the older data from the cache as soon as you press OK."),
                                 limits);
    m_shortenNote->setObjectName(QStringLiteral("retentionShortenNote"));
    m_shortenNote->setStyleSheet(dark ? QStringLiteral("QLabel { color: #f0a040; }") : QStringLiteral("QLabel { color: #a04000; }"));
    m_shortenNote->hide();
    form->addRow(m_shortenNote);
    layout->addWidget(limits);

    auto *cache = new QGroupBox(tr("Cache file"), this);
    auto *cacheForm = new QFormLayout(cache);
    auto *path = new QLabel(QDir::toNativeSeparators(cachePath), cache);
    path->setObjectName(QStringLiteral("cachePath"));
    path->setTextFormat(Qt::PlainText);
    path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    path->setWordWrap(true);
    cacheForm->addRow(tr("File:"), path);
    m_size = new QLabel(cache);
    m_size->setObjectName(QStringLiteral("cacheSize"));
    cacheForm->addRow(tr("Size on disk:"), m_size);
    m_rawRows = new QLabel(cache);
    m_rawRows->setObjectName(QStringLiteral("rawRows"));
    cacheForm->addRow(tr("Raw rows:"), m_rawRows);
    m_minuteRows = new QLabel(cache);
    m_minuteRows->setObjectName(QStringLiteral("minuteRows"));
    cacheForm->addRow(tr("Per-minute rollup rows:"), m_minuteRows);
    m_hourRows = new QLabel(cache);
    m_hourRows->setObjectName(QStringLiteral("hourRows"));
    cacheForm->addRow(tr("Per-hour rollup rows:"), m_hourRows);
    cacheForm->addRow(wrappedLabel(tr("These limits apply to every cache FleetDeck opens, the demo cache included, "
                                      "and to fleetdeckctl record unless its command line says otherwise."),
                                   cache));
    layout->addWidget(cache);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel
                                         | QDialogButtonBox::RestoreDefaults,
                                     this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &RetentionDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &RetentionDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] { setPolicy(RetentionPolicy{}); });
    layout->addWidget(m_buttons);

    setPolicy(m_initial);
    m_size->setText(QLocale().formattedDataSize(CacheStatistics::fileSize(cachePath)));
    startStatistics();
}

RetentionDialog::~RetentionDialog() = default;

RetentionDialog::Level RetentionDialog::addLevel(QFormLayout *form, const QString &label, const QString &toolTip)
{
    Level level;
    auto *row = new QWidget(form->parentWidget());
    auto *h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    level.days = new QSpinBox(row);
    level.days->setRange(1, RetentionPolicy::kMaxDays);
    level.days->setSuffix(tr(" days"));
    level.days->setToolTip(toolTip);
    level.days->setMinimumWidth(level.days->fontMetrics().horizontalAdvance(QStringLiteral("000000 days")) + 32);
    level.keepForever = new QCheckBox(tr("Keep forever"), row);
    h->addWidget(level.days);
    h->addWidget(level.keepForever);
    h->addStretch(1);
    auto *labelWidget = new QLabel(label, form->parentWidget());
    labelWidget->setBuddy(level.days);
    form->addRow(labelWidget, row);
    QSpinBox *days = level.days;
    connect(level.keepForever, &QCheckBox::toggled, this, [this, days](bool keep) {
        days->setEnabled(!keep);
        validate();
    });
    connect(level.days, &QSpinBox::valueChanged, this, &RetentionDialog::validate);
    return level;
}

int RetentionDialog::levelDays(const Level &level) const
{
    return level.keepForever->isChecked() ? RetentionPolicy::kKeepForever : level.days->value();
}

void RetentionDialog::setLevelDays(const Level &level, int days)
{
    const bool keep = RetentionPolicy::keepsForever(days);
    if (!keep)
        level.days->setValue(days);
    level.keepForever->setChecked(keep);
    level.days->setEnabled(!keep);
}

RetentionPolicy RetentionDialog::policy() const
{
    RetentionPolicy p;
    p.rawDays = levelDays(m_raw);
    p.minuteDays = levelDays(m_minute);
    p.hourDays = levelDays(m_hour);
    return p;
}

void RetentionDialog::setPolicy(const RetentionPolicy &policy)
{
    setLevelDays(m_raw, policy.rawDays);
    setLevelDays(m_minute, policy.minuteDays);
    setLevelDays(m_hour, policy.hourDays);
    validate();
}

bool RetentionDialog::isValid() const
{
    return policy().isValid();
}

QString RetentionDialog::problemText() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

void RetentionDialog::validate()
{
    if (!m_buttons)
        return;  // still building the form
    QString problem;
    const RetentionPolicy p = policy();
    const bool valid = p.isValid(&problem);
    m_problem->setText(problem);
    m_problem->setHidden(valid);
    m_shortenNote->setVisible(valid && p.isShorterThan(m_initial));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(valid);
}

void RetentionDialog::accept()
{
    validate();
    if (!isValid())
        return;  // the reason is shown above the buttons
    QDialog::accept();
}

void RetentionDialog::startStatistics()
{
    const QString counting = tr("Counting…");
    m_rawRows->setText(counting);
    m_minuteRows->setText(counting);
    m_hourRows->setText(counting);
    struct Result
    {
        CacheStatistics statistics;
        QString error;
    };
    auto result = std::make_shared<Result>();
    const QString path = m_cachePath;
    QThread *thread = QThread::create([path, result] { result->statistics = CacheStatistics::read(path, &result->error); });
    thread->setObjectName(QStringLiteral("fleetdeck-cache-stats"));
    // The dialog may be gone when the count finishes: the thread then only deletes itself.
    connect(thread, &QThread::finished, this, [this, result] { showStatistics(result->statistics, result->error); });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start(QThread::LowPriority);
}

void RetentionDialog::showStatistics(const CacheStatistics &statistics, const QString &error)
{
    m_statistics = statistics;
    m_statisticsReady = true;
    const QLocale locale;
    m_size->setText(locale.formattedDataSize(statistics.fileBytes));
    if (statistics.hasCounts()) {
        m_rawRows->setText(locale.toString(statistics.rawRows));
        m_minuteRows->setText(locale.toString(statistics.minuteRows));
        m_hourRows->setText(locale.toString(statistics.hourRows));
    } else {
        const QString unknown = tr("unknown");
        m_rawRows->setText(unknown);
        m_rawRows->setToolTip(error);
        m_minuteRows->setText(unknown);
        m_hourRows->setText(unknown);
    }
    emit statisticsLoaded();
}

} // namespace fd
