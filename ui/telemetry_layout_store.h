#pragma once

#include "ui/telemetry_layout.h"

#include <QStringList>

#include <optional>

class QSettings;

namespace fd {

// Named Telemetry layouts and the current one, in QSettings (keys in settings_keys.h).
// A null QSettings stores nothing.
class TelemetryLayoutStore
{
public:
    explicit TelemetryLayoutStore(QSettings *settings = nullptr);

    void setSettings(QSettings *settings) { m_settings = settings; }
    bool isAvailable() const { return m_settings != nullptr; }

    QStringList names() const;
    void save(const QString &name, const TelemetryLayout &layout);  // replaces a same-named one
    std::optional<TelemetryLayout> load(const QString &name) const;
    void remove(const QString &name);

    void saveCurrent(const TelemetryLayout &layout);
    std::optional<TelemetryLayout> loadCurrent() const;

private:
    using Entry = std::pair<QString, QByteArray>;
    QList<Entry> readAll() const;
    void writeAll(const QList<Entry> &entries);

    QSettings *m_settings;
};

} // namespace fd
