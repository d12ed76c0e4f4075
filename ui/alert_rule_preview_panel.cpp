#include "ui/alert_rule_preview_panel.h"

#include "models/device_inventory_model.h"

#include <QDateTime>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>

namespace fd {

AlertRulePreviewPanel::AlertRulePreviewPanel(DeviceInventoryModel *inventory, const QString &cachePath, QWidget *parent)
    : QWidget(parent)
    , m_inventory(inventory)
    , m_cachePath(cachePath)
    , m_matches(new QLabel(this))
    , m_replay(new QLabel(this))
    , m_busy(new QProgressBar(this))
    , m_again(new QPushButton(tr("Run &Preview"), this))
{
    m_matches->setObjectName(QStringLiteral("previewMatches"));
    m_replay->setObjectName(QStringLiteral("previewReplay"));
    for (QLabel *label : {m_matches, m_replay}) {
        label->setTextFormat(Qt::PlainText);
        label->setWordWrap(true);
    }
    m_busy->setRange(0, 0);  // busy: the replay reports no progress, only its end
    m_busy->setMaximumWidth(120);
    m_busy->setTextVisible(false);
    m_busy->setAccessibleName(tr("Preview running"));
    m_busy->hide();
    m_again->setObjectName(QStringLiteral("runPreview"));
    m_again->setToolTip(tr("Replay the cached history of the last 24 hours through the rule again"));
    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_matches, 0, 0, 1, 3);
    layout->addWidget(m_replay, 1, 0);
    layout->addWidget(m_busy, 1, 1);
    layout->addWidget(m_again, 1, 2);
    layout->setColumnStretch(0, 1);

    m_matchTimer.setSingleShot(true);
    m_matchTimer.setInterval(kMatchDelayMs);
    m_replayTimer.setSingleShot(true);
    m_replayTimer.setInterval(kReplayDelayMs);
    connect(&m_matchTimer, &QTimer::timeout, this, &AlertRulePreviewPanel::matchNow);
    connect(&m_replayTimer, &QTimer::timeout, this, &AlertRulePreviewPanel::replayNow);
    connect(m_again, &QPushButton::clicked, this, &AlertRulePreviewPanel::replayNow);
    connect(&m_preview, &AlertRulePreview::finished, this, &AlertRulePreviewPanel::onFinished);
    m_matches->setText(matchText());
    m_replay->setText(replayText());
}

QList<DeviceKey> AlertRulePreviewPanel::devicesInScope(const DeviceInventoryModel &inventory, const AlertScope &scope)
{
    QList<DeviceKey> keys;
    const DeviceRowStore &store = inventory.store();
    const int rows = store.size();
    const bool byTag = scope.kind == AlertScope::Kind::Tag;
    for (int r = 0; r < rows; ++r) {
        const DeviceRowStore::Row &row = store.row(r);
        if (scope.matches(store.string(row.source), row.path, store.string(row.site), store.string(row.model),
                          byTag ? store.tags(r) : QStringList()))
            keys.append(DeviceKey(store.string(row.source), row.path));
    }
    return keys;
}

void AlertRulePreviewPanel::setRule(const AlertRule &rule, bool valid)
{
    const bool scopeChanged = !(rule.scope == m_rule.scope);
    const bool definitionChanged = !rule.sameDefinition(m_rule) || valid != m_valid;
    m_rule = rule;
    m_valid = valid;
    if (scopeChanged || m_devices.isEmpty())
        m_matchTimer.start();
    if (definitionChanged) {
        m_replayTimer.stop();
        if (valid)
            m_replayTimer.start();
        else if (m_running == 0)
            m_replay->setText(replayText());
    }
    m_again->setEnabled(valid);
}

void AlertRulePreviewPanel::matchNow()
{
    m_matchTimer.stop();
    m_devices = devicesInScope(*m_inventory, m_rule.scope);
    m_matches->setText(matchText());
}

void AlertRulePreviewPanel::replayNow()
{
    m_replayTimer.stop();
    if (!m_valid)
        return;
    if (m_matchTimer.isActive())
        matchNow();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_result = {};
    m_running = m_preview.run(m_cachePath, m_rule, m_devices, now - kWindowMs, now);
    m_busy->show();
    m_replay->setText(replayText());
}

void AlertRulePreviewPanel::onFinished(quint64 runId, const AlertRulePreviewResult &result)
{
    if (runId != m_running)
        return;
    m_running = 0;
    m_result = result;
    m_busy->hide();
    m_replay->setText(replayText());
    emit replayFinished();
}

QString AlertRulePreviewPanel::matchText() const
{
    const QLocale locale;
    const int n = int(m_devices.size());
    return tr("Matches %Ln device(s) of the %1 in the inventory.", nullptr, n).arg(locale.toString(m_inventory->rowCount()));
}

QString AlertRulePreviewPanel::replayText() const
{
    const QLocale locale;
    if (!m_valid)
        return tr("Complete the rule to see how often it would have fired.");
    if (m_running != 0)
        return tr("Replaying the last 24 h of cached history…");
    if (!m_rule.isSampleRule())
        return tr("No preview for %1 rules: the cache keeps no history of device presence.")
            .arg(AlertRule::kindKey(m_rule.kind));
    if (!m_result.error.isEmpty())
        return tr("The preview failed: %1").arg(m_result.error);
    if (m_result.devicesInScope == 0 && m_result.pointsRead == 0 && m_result.firings == 0)
        return tr("No preview yet.");
    QString text = tr("Would have fired %Ln time(s)", nullptr, m_result.firings)
                   + tr(" on %Ln device(s) over the last 24 h of cached history", nullptr, m_result.devicesFired)
                   + tr(" (%1 of %2 devices in scope have %3 data; %L4 samples read).")
                         .arg(locale.toString(m_result.devicesWithData), locale.toString(m_result.devicesInScope),
                              m_rule.metric)
                         .arg(m_result.pointsRead);
    if (m_result.truncated)
        text += tr(" Stopped at the sample budget: the counts are a lower bound.");
    return text;
}

} // namespace fd
