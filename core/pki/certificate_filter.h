#pragma once

#include "core/pki/certificate_record.h"

#include <QString>

#include <optional>

namespace fd {

// Which certificates CertificateTable::list() returns (all conditions must hold), newest
// issued first, at most limit rows.
struct CertificateFilter
{
    std::optional<CertificateRecord::Kind> kind;
    std::optional<CertificateRecord::Status> status;
    QString deviceId;            // empty: any
    qint64 expiringBeforeMs = 0; // > 0: only valid certificates with not_after_ms <= this
    int limit = 10000;
};

} // namespace fd
