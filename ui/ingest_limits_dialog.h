#pragma once

#include "core/domain/ingest_limits.h"

#include <QDialog>

class QSpinBox;

namespace fd {

// Settings > Ingest Limits: how many devices one connection may have and how many distinct
// metrics one device may report (IngestLimits). Past a limit, the new device or metric is
// rejected (Diagnostics shows "Device limit" / "Metric limit"); known devices and metrics
// keep working, and lowering a limit removes nothing. The caller persists and applies
// limits().
class IngestLimitsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit IngestLimitsDialog(const IngestLimits &current, QWidget *parent = nullptr);

    IngestLimits limits() const;
    void setLimits(const IngestLimits &limits);

private:
    QSpinBox *m_devices = nullptr;
    QSpinBox *m_metrics = nullptr;
};

} // namespace fd
