#pragma once

#include <QWidget>

class QFormLayout;
class QLabel;

namespace fd {

struct DeviceSelectionSummary;

// The detail panel's view of several selected devices (DeviceSelectionSummary): "12 devices
// selected", online / offline / unknown counts, and the sources, models and firmware
// versions among them with counts (the most frequent first; the rest as "and N more").
class SelectionSummaryView : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kMaxValuesShown = 6;

    explicit SelectionSummaryView(QWidget *parent = nullptr);

    void setSummary(const DeviceSelectionSummary &summary);
    QString titleText() const;
    QString statusText() const;

private:
    QLabel *m_title;
    QLabel *m_status;
    QFormLayout *m_sources;
    QFormLayout *m_models;
    QFormLayout *m_firmware;
};

} // namespace fd
