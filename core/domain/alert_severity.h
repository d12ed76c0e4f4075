#pragma once

#include <QString>
#include <QStringView>

#include <array>
#include <optional>

namespace fd {

// How bad an alert is (ThingsBoard's scale). The order is the triage order: Critical first.
// Persisted and exchanged by key ("CRITICAL", ...), never by number.
enum class AlertSeverity : quint8 { Critical, Major, Minor, Warning, Indeterminate };

inline constexpr std::array<AlertSeverity, 5> kAllAlertSeverities = {
    AlertSeverity::Critical, AlertSeverity::Major, AlertSeverity::Minor, AlertSeverity::Warning,
    AlertSeverity::Indeterminate};

QString alertSeverityKey(AlertSeverity severity);  // "CRITICAL", "MAJOR", ...
std::optional<AlertSeverity> alertSeverityFromKey(QStringView key);  // case-insensitive

} // namespace fd
