#include "ui/telemetry_layout_store.h"

#include "core/settings/settings_keys.h"

#include <QSettings>

namespace fd {

namespace K = SettingsKeys;

TelemetryLayoutStore::TelemetryLayoutStore(QSettings *settings)
    : m_settings(settings)
{
}

QList<TelemetryLayoutStore::Entry> TelemetryLayoutStore::readAll() const
{
    QList<Entry> entries;
    if (!m_settings)
        return entries;
    const int n = m_settings->beginReadArray(K::kTelemetryLayoutsArray);
    for (int i = 0; i < n; ++i) {
        m_settings->setArrayIndex(i);
        entries.append({m_settings->value(K::kTelemetryLayoutName).toString(),
                        m_settings->value(K::kTelemetryLayoutJson).toByteArray()});
    }
    m_settings->endArray();
    return entries;
}

void TelemetryLayoutStore::writeAll(const QList<Entry> &entries)
{
    m_settings->remove(K::kTelemetryLayoutsArray);
    m_settings->beginWriteArray(K::kTelemetryLayoutsArray, int(entries.size()));
    for (int i = 0; i < entries.size(); ++i) {
        m_settings->setArrayIndex(i);
        m_settings->setValue(K::kTelemetryLayoutName, entries.at(i).first);
        m_settings->setValue(K::kTelemetryLayoutJson, entries.at(i).second);
    }
    m_settings->endArray();
}

QStringList TelemetryLayoutStore::names() const
{
    QStringList names;
    for (const Entry &e : readAll())
        names.append(e.first);
    return names;
}

void TelemetryLayoutStore::save(const QString &name, const TelemetryLayout &layout)
{
    const QString trimmed = name.trimmed();
    if (!m_settings || trimmed.isEmpty())
        return;
    QList<Entry> entries = readAll();
    const QByteArray json = layout.toJson();
    auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry &e) { return e.first == trimmed; });
    if (it != entries.end())
        it->second = json;
    else
        entries.append({trimmed, json});
    writeAll(entries);
}

std::optional<TelemetryLayout> TelemetryLayoutStore::load(const QString &name) const
{
    for (const Entry &e : readAll()) {
        if (e.first != name)
            continue;
        bool ok = false;
        TelemetryLayout layout = TelemetryLayout::fromJson(e.second, &ok);
        if (ok)
            return layout;
    }
    return std::nullopt;
}

void TelemetryLayoutStore::remove(const QString &name)
{
    if (!m_settings)
        return;
    QList<Entry> entries = readAll();
    entries.removeIf([&](const Entry &e) { return e.first == name; });
    writeAll(entries);
}

void TelemetryLayoutStore::saveCurrent(const TelemetryLayout &layout)
{
    if (m_settings)
        m_settings->setValue(K::kTelemetryCurrentLayout, layout.toJson());
}

std::optional<TelemetryLayout> TelemetryLayoutStore::loadCurrent() const
{
    if (!m_settings)
        return std::nullopt;
    bool ok = false;
    TelemetryLayout layout = TelemetryLayout::fromJson(m_settings->value(K::kTelemetryCurrentLayout).toByteArray(), &ok);
    if (!ok)
        return std::nullopt;
    return layout;
}

} // namespace fd
