#include "core/domain/payload_preview.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringDecoder>

namespace fd {

namespace {

// Length of the valid, printable UTF-8 sequence at bytes[i] (a multi-byte one), 0 if none.
qsizetype printableUtf8At(const QByteArray &bytes, qsizetype i)
{
    const auto lead = uchar(bytes.at(i));
    qsizetype len = 0;
    if (lead >= 0xC2 && lead <= 0xDF)
        len = 2;
    else if (lead >= 0xE0 && lead <= 0xEF)
        len = 3;
    else if (lead >= 0xF0 && lead <= 0xF4)
        len = 4;
    else
        return 0;
    if (i + len > bytes.size())
        return 0;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString s = decoder(QByteArrayView(bytes.constData() + i, len));
    if (decoder.hasError() || s.isEmpty())
        return 0;
    for (const QChar c : s) {
        if (c == QChar::ReplacementCharacter || (!c.isPrint() && !c.isSurrogate()))
            return 0;
    }
    return len;
}

QString hex2(uchar b)
{
    return QStringLiteral("%1").arg(uint(b), 2, 16, QLatin1Char('0'));
}

} // namespace

PayloadPreview::Kind PayloadPreview::kindOf(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return Kind::Empty;
    qsizetype escaped = 0;
    for (qsizetype i = 0; i < bytes.size();) {
        const auto b = uchar(bytes.at(i));
        if ((b >= 0x20 && b < 0x7F) || b == '\n' || b == '\t' || b == '\r') {
            ++i;
        } else if (const qsizetype len = printableUtf8At(bytes, i); len > 0) {
            i += len;
        } else {
            ++escaped;
            ++i;
        }
    }
    return escaped * 4 <= bytes.size() ? Kind::Text : Kind::Hex;
}

QString PayloadPreview::escapedText(const QByteArray &bytes)
{
    QString out;
    out.reserve(bytes.size() + 16);
    for (qsizetype i = 0; i < bytes.size();) {
        const auto b = uchar(bytes.at(i));
        if (b == '\\') {
            out += QStringLiteral("\\\\");
            ++i;
        } else if (b == '\n') {
            out += QStringLiteral("\\n\n");  // visible, and still a line break
            ++i;
        } else if (b == '\t') {
            out += QStringLiteral("\\t");
            ++i;
        } else if (b == '\r') {
            out += QStringLiteral("\\r");
            ++i;
        } else if (b >= 0x20 && b < 0x7F) {
            out += QLatin1Char(char(b));
            ++i;
        } else if (const qsizetype len = printableUtf8At(bytes, i); len > 0) {
            out += QString::fromUtf8(bytes.constData() + i, len);
            i += len;
        } else {
            out += QStringLiteral("\\x") + hex2(b);
            ++i;
        }
    }
    return out;
}

QString PayloadPreview::hexDump(const QByteArray &bytes)
{
    QString out;
    for (qsizetype offset = 0; offset < bytes.size(); offset += 16) {
        QString hex;
        QString ascii;
        for (qsizetype i = offset; i < offset + 16; ++i) {
            if (i < bytes.size()) {
                const auto b = uchar(bytes.at(i));
                hex += hex2(b) + QLatin1Char(' ');
                ascii += (b >= 0x20 && b < 0x7F) ? QLatin1Char(char(b)) : QLatin1Char('.');
            } else {
                hex += QStringLiteral("   ");
            }
            if (i == offset + 7)
                hex += QLatin1Char(' ');
        }
        out += QStringLiteral("%1  %2 %3\n").arg(offset, 4, 16, QLatin1Char('0')).arg(hex, ascii);
    }
    if (out.endsWith(QLatin1Char('\n')))
        out.chop(1);
    return out;
}

QString PayloadPreview::format(const QByteArray &bytes, qsizetype totalBytes)
{
    QString text;
    switch (kindOf(bytes)) {
    case Kind::Empty: text = QCoreApplication::translate("fd::PayloadPreview", "(empty payload)"); break;
    case Kind::Text: text = escapedText(bytes); break;
    case Kind::Hex: text = hexDump(bytes); break;
    }
    if (totalBytes > bytes.size()) {
        text += QLatin1Char('\n')
                + QCoreApplication::translate("fd::PayloadPreview", "… %1 not kept (%2 in all)")
                      .arg(QLocale().formattedDataSize(totalBytes - bytes.size(), 1, QLocale::DataSizeTraditionalFormat),
                           QLocale().formattedDataSize(totalBytes, 1, QLocale::DataSizeTraditionalFormat));
    }
    return text;
}

} // namespace fd
