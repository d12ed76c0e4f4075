#pragma once

#include "core/storage/cache_statistics.h"
#include "core/storage/retention_policy.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QSpinBox;

namespace fd {

// Settings > Cache and Retention: how long the cache keeps raw telemetry, per-minute and
// per-hour rollups (days, or forever), with the rule that a coarser level never expires
// before a finer one explained, checked as the operator types (OK is refused with the
// reason while it is broken). Shows the cache file, its size on disk and its row counts;
// the counts are read on a worker thread with their own connection (a full count can take
// seconds on a big cache) and appear when ready. The caller persists and applies policy().
class RetentionDialog : public QDialog
{
    Q_OBJECT
public:
    RetentionDialog(const RetentionPolicy &current, const QString &cachePath, QWidget *parent = nullptr);
    ~RetentionDialog() override;

    // What the form says (validated: isValid(); only accepted when valid).
    RetentionPolicy policy() const;
    void setPolicy(const RetentionPolicy &policy);
    bool isValid() const;
    QString problemText() const;  // empty when valid
    bool statisticsReady() const { return m_statisticsReady; }
    CacheStatistics statistics() const { return m_statistics; }

public slots:
    void accept() override;

signals:
    // The row counts have been read (or failed) and are shown.
    void statisticsLoaded();

private:
    struct Level
    {
        QSpinBox *days = nullptr;
        QCheckBox *keepForever = nullptr;
    };

    Level addLevel(QFormLayout *form, const QString &label, const QString &toolTip);
    int levelDays(const Level &level) const;
    void setLevelDays(const Level &level, int days);
    void validate();
    void startStatistics();
    void showStatistics(const CacheStatistics &statistics, const QString &error);

    RetentionPolicy m_initial;
    QString m_cachePath;
    Level m_raw;
    Level m_minute;
    Level m_hour;
    QLabel *m_problem = nullptr;
    QLabel *m_shortenNote = nullptr;
    QLabel *m_size = nullptr;
    QLabel *m_rawRows = nullptr;
    QLabel *m_minuteRows = nullptr;
    QLabel *m_hourRows = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    CacheStatistics m_statistics;
    bool m_statisticsReady = false;
};

} // namespace fd
