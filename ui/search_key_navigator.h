#pragma once

#include <QObject>
#include <QPointer>

#include <functional>

class QAbstractItemView;
class QLineEdit;

namespace fd {

// Down (or Page Down) in a search field enters its results: the first row becomes current
// and selected, and the view gets the focus. Installed as an
// event filter on the field; owned by the field.
class SearchKeyNavigator : public QObject
{
    Q_OBJECT
public:
    // view: a function of the moment (the inventory shows a table or a tree).
    using ViewProvider = std::function<QAbstractItemView *()>;
    SearchKeyNavigator(QLineEdit *field, ViewProvider view);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    ViewProvider m_view;
};

} // namespace fd
