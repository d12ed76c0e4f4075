#pragma once

#include <QString>

class QLabel;
class QWidget;

namespace fd {

struct PlainLabelOptions
{
    bool wrap = false;        // word wrap
    bool selectable = false;  // the text can be selected and copied with the mouse
};

// A label whose text always shows literally (Qt::PlainText): for device strings, broker
// errors and file names, which must never be taken for rich text ("<b>" stays "<b>").
QLabel *plainLabel(const QString &text, QWidget *parent, PlainLabelOptions options = {});

} // namespace fd
