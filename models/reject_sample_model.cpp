#include "models/reject_sample_model.h"

#include "core/domain/payload_preview.h"
#include "core/domain/plain_text.h"
#include "models/reject_reason_labels.h"
#include "models/relative_time.h"

#include <QLocale>

namespace fd {

void RejectSampleModel::setSamples(const QList<RejectSample> &samples)
{
    beginResetModel();
    m_samples = samples;
    endResetModel();
}

const RejectSample *RejectSampleModel::sampleAt(int row) const
{
    return row >= 0 && row < m_samples.size() ? &m_samples.at(row) : nullptr;
}

int RejectSampleModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_samples.size());
}

int RejectSampleModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RejectSampleModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RejectSample &s = m_samples.at(index.row());
    const QString topic = PayloadPreview::escapedText(s.topic);  // a topic is bytes too
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case TimeColumn: return formatAbsoluteTime(s.receivedMs);
        case ReasonColumn: return rejectReasonLabel(s.reason);
        case ConnectionColumn: return s.source;
        case DeviceColumn: return s.device.isEmpty() ? tr("—") : s.device;
        case TopicColumn: return topic;
        case SizeColumn: return QLocale().formattedDataSize(s.payloadBytes, 1, QLocale::DataSizeTraditionalFormat);
        case ColumnCount: break;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == TopicColumn)
            return plainTextAsRichText(topic);
        if (index.column() == DeviceColumn)
            return plainTextAsRichText(s.device);
        if (index.column() == ReasonColumn)
            return plainTextAsRichText(rejectReasonDescription(s.reason));
        return {};
    case Qt::TextAlignmentRole:
        return QVariant::fromValue((index.column() == SizeColumn ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    case PreviewRole:
        return PayloadPreview::format(s.preview, s.payloadBytes);
    case DetailRole:
        return s.detail;
    case ReasonRole:
        return int(s.reason);
    default:
        return {};
    }
}

QVariant RejectSampleModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case TimeColumn: return tr("Received");
    case ReasonColumn: return tr("Reason");
    case ConnectionColumn: return tr("Connection");
    case DeviceColumn: return tr("Device");
    case TopicColumn: return tr("Topic");
    case SizeColumn: return tr("Size");
    case ColumnCount: break;
    }
    return {};
}

} // namespace fd
