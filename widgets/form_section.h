#pragma once

#include <QString>

class QFormLayout;
class QGroupBox;
class QWidget;

namespace fd {

// A titled group with a two-column form inside (the detail panel's sections): labels left,
// fields growing, compact rows. *form receives the layout to add rows to.
QGroupBox *formSection(const QString &title, QFormLayout **form, QWidget *parent);

} // namespace fd
