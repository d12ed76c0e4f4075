# Precompiled headers: the one place that says which headers each layer precompiles.
#
# Parsing the Qt and standard headers is about half of the compile time of a typical
# FleetDeck translation unit; each library or executable built from several sources
# precompiles them once (one PCH per target, made with that target's own flags, so
# -Winvalid-pch under -Werror stays quiet) and every source of the target starts from it.
#
# The lists are lean on purpose: the headers most often included in each layer (counted with
# grep over the tree), not the Qt module umbrella headers. A source file still includes what it
# uses: the PCH only makes those includes cheap (FLEETDECK_PCH=OFF builds without it; the fuzz
# preset does, so CI compiles the core/ code the fuzz targets reach without a PCH once).
#
# Layers:
#   CORE     QtCore and the standard library only: core/ never sees QtGui or QtWidgets, and
#            neither does its PCH (also fleetdeckctl and fleetdeck-sim, QtCore programs).
#   GUI      CORE + the QtGui value types of the item models (models/ links Qt6::Gui only).
#   WIDGETS  GUI + the widgets the screens use most (widgets/, ui/, the fleetdeck GUI).
#
# Test executables (tests/) get no PCH: they are small (2-3 sources each), and sharing one PCH
# between them (REUSE_FROM) is not valid: they differ in the Qt module macros (QT_GUI_LIB,
# QT_WIDGETS_LIB, ...) that qtest.h tests, and GCC rejects a PCH made with other macros.

# The switch, FLEETDECK_PCH (default ON), is with the other options in CMakeLists.txt.

set(FLEETDECK_PCH_CORE
  <algorithm> <array> <cmath> <functional> <limits> <memory> <optional> <utility> <vector>
  <QByteArray> <QByteArrayView> <QCoreApplication> <QDateTime> <QHash> <QJsonArray>
  <QJsonDocument> <QJsonObject> <QList> <QLoggingCategory> <QMetaType> <QObject> <QSet>
  <QString> <QStringList> <QStringView> <QTimer>)
set(FLEETDECK_PCH_GUI ${FLEETDECK_PCH_CORE}
  <QAbstractTableModel> <QColor> <QFont> <QLocale>)
set(FLEETDECK_PCH_WIDGETS ${FLEETDECK_PCH_GUI}
  <QPainter> <QPointer> <QWidget> <QLabel> <QPushButton> <QLineEdit> <QComboBox> <QCheckBox>
  <QBoxLayout> <QFormLayout> <QDialog> <QDialogButtonBox> <QHeaderView> <QTableView>
  <QMessageBox>)

# fleetdeck_precompile(TARGET CORE|GUI|WIDGETS): TARGET precompiles the headers of that layer.
function(fleetdeck_precompile target layer)
  if(NOT FLEETDECK_PCH)
    return()
  endif()
  if(NOT DEFINED FLEETDECK_PCH_${layer})
    message(FATAL_ERROR "fleetdeck_precompile(${target} ${layer}): no such layer (CORE, GUI, WIDGETS)")
  endif()
  target_precompile_headers(${target} PRIVATE ${FLEETDECK_PCH_${layer}})
  # ccache (CMakeLists.txt) caches compiles that use a PCH only with some sloppiness.
  get_target_property(_launcher ${target} CXX_COMPILER_LAUNCHER)
  if(FLEETDECK_CCACHE_PCH_LAUNCHER AND _launcher STREQUAL FLEETDECK_CCACHE)
    set_target_properties(${target} PROPERTIES CXX_COMPILER_LAUNCHER "${FLEETDECK_CCACHE_PCH_LAUNCHER}")
  endif()
endfunction()

# fleetdeck_pch_layer(OUT dir): the layer of the library built from the source folder dir.
function(fleetdeck_pch_layer out dir)
  if(dir MATCHES "^core/")
    set(${out} CORE PARENT_SCOPE)
  elseif(dir STREQUAL "models")
    set(${out} GUI PARENT_SCOPE)
  elseif(dir STREQUAL "widgets" OR dir STREQUAL "ui")
    set(${out} WIDGETS PARENT_SCOPE)
  else()
    message(FATAL_ERROR "fleetdeck_pch_layer: no layer known for ${dir} (cmake/FleetDeckPch.cmake)")
  endif()
endfunction()
