#pragma once

#include <QLatin1StringView>
#include <QString>

namespace fd::SettingsKeys {

// Every QSettings key FleetDeck uses, in one place. Secrets never appear here: they live in
// the OS keychain (SecretStore) under the keys built by the functions at the end.

// Connection profiles: an array "profiles" of groups with these entries.
inline constexpr QLatin1StringView kProfilesArray{"profiles"};
inline constexpr QLatin1StringView kProfileName{"name"};
inline constexpr QLatin1StringView kProfileBroker{"broker"};
inline constexpr QLatin1StringView kProfileUsername{"username"};
inline constexpr QLatin1StringView kProfileClientId{"clientId"};
inline constexpr QLatin1StringView kProfileTopicPrefix{"topicPrefix"};
inline constexpr QLatin1StringView kProfileMqttVersion{"mqttVersion"};
inline constexpr QLatin1StringView kProfileKeepAlive{"keepAliveSeconds"};
inline constexpr QLatin1StringView kProfileQos{"qos"};
inline constexpr QLatin1StringView kProfileCaFile{"tls/caFile"};
inline constexpr QLatin1StringView kProfileClientCert{"tls/clientCertFile"};
inline constexpr QLatin1StringView kProfileClientKey{"tls/clientKeyFile"};
inline constexpr QLatin1StringView kProfileVerifyHostname{"tls/verifyHostname"};
inline constexpr QLatin1StringView kProfilePersistentSession{"persistentSession"};
inline constexpr QLatin1StringView kProfileSparkplug{"sparkplug/enabled"};
inline constexpr QLatin1StringView kProfileSparkplugHostId{"sparkplug/hostId"};
inline constexpr QLatin1StringView kProfileSparkplugReorderTimeout{"sparkplug/reorderTimeoutMs"};
// The broker (BrokerUrl::identity()) for which the user confirmed sending this profile's
// password over plain TCP; a confirmation for another address does not count.
inline constexpr QLatin1StringView kProfilePlaintextPasswordConfirmedFor{"plaintextPasswordConfirmedFor"};
inline constexpr QLatin1StringView kLastProfile{"connection/lastProfile"};
// Names of the saved profiles connected at exit (a string list); reconnected at the next start.
inline constexpr QLatin1StringView kConnectedProfiles{"connection/connectedProfiles"};

// Main window state (the window always opens on the Overview page).
inline constexpr QLatin1StringView kInventoryPageState{"inventory/pageState"};
// Metric of the inventory's Trend column (a sparkline per device), e.g. "temperature".
inline constexpr QLatin1StringView kInventoryTrendMetric{"inventory/trendMetric"};
inline constexpr QLatin1StringView kInventoryViewMode{"inventory/viewMode"};  // "flat" or "tree"
inline constexpr QLatin1StringView kInventoryHiddenColumns{"inventory/hiddenColumns"};  // column names (DeviceInventoryModel::Column)

// Telemetry page: named chart layouts (an array of groups with a name and a JSON
// description), the layout shown at the last exit, and the window preset.
inline constexpr QLatin1StringView kTelemetryLayoutsArray{"telemetry/layouts"};
inline constexpr QLatin1StringView kTelemetryLayoutName{"name"};
inline constexpr QLatin1StringView kTelemetryLayoutJson{"layout"};
inline constexpr QLatin1StringView kTelemetryCurrentLayout{"telemetry/currentLayout"};
// The metric last chosen in the "Chart devices" picker (Ctrl+T).
inline constexpr QLatin1StringView kTelemetryLastChartMetric{"telemetry/lastChartMetric"};

// Cache retention in days per level (0: keep forever); RetentionSettings reads and writes
// them. The same values apply to the normal and the demo cache.
inline constexpr QLatin1StringView kRetentionRawDays{"storage/retention/rawDays"};
inline constexpr QLatin1StringView kRetentionMinuteDays{"storage/retention/minuteRollupDays"};
inline constexpr QLatin1StringView kRetentionHourDays{"storage/retention/hourRollupDays"};

// Ingest limits (IngestLimits); IngestSettings reads and writes them. fleetdeckctl record
// starts from them too.
inline constexpr QLatin1StringView kIngestMaxDevicesPerSource{"ingest/maxDevicesPerSource"};
inline constexpr QLatin1StringView kIngestMaxMetricsPerDevice{"ingest/maxMetricsPerDevice"};
// The operator's name in the audit log and on alert actions (OperatorSettings); absent: the OS user.
inline constexpr QLatin1StringView kOperatorName{"operator/name"};

// The metric catalogue (MetricCatalogueSettings): its JSON, absent while it is the default.
inline constexpr QLatin1StringView kMetricCatalogue{"metrics/catalogue"};

// Keychain.
inline constexpr QLatin1StringView kKeychainService{"FleetDeck"};

inline QString profilePasswordKey(const QString &profileName)
{
    return QStringLiteral("profile/") + profileName + QStringLiteral("/password");
}

inline QString profileKeyPassphraseKey(const QString &profileName)
{
    return QStringLiteral("profile/") + profileName + QStringLiteral("/key-passphrase");
}

} // namespace fd::SettingsKeys
