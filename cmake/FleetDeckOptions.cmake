# One INTERFACE target carrying the project's compiler flags and strict Qt defines.
# Every FleetDeck target links it (PRIVATE) so the rules are the same everywhere.
add_library(fleetdeck_options INTERFACE)
target_compile_features(fleetdeck_options INTERFACE cxx_std_20)
target_compile_definitions(fleetdeck_options INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_FROM_BYTEARRAY
  QT_NO_URL_CAST_FROM_STRING
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
  QT_NO_FOREACH
  QT_USE_QSTRINGBUILDER
  QT_DISABLE_DEPRECATED_BEFORE=0x060400
  FLEETDECK_VERSION="${PROJECT_VERSION}")
target_compile_options(fleetdeck_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor -Wcast-align
  -Woverloaded-virtual -Wimplicit-fallthrough)
if(FLEETDECK_WERROR)
  target_compile_options(fleetdeck_options INTERFACE -Werror)
endif()
if(FLEETDECK_SANITIZE)
  target_compile_options(fleetdeck_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(fleetdeck_options INTERFACE -fsanitize=address,undefined)
endif()

# fd_add_library(NAME SOURCES_DIR dir [PUBLIC_LIBS ...]) builds a static library from every
# .cpp/.h in one folder; headers are included as "folder/file.h" from the project root.
function(fd_add_library name dir)
  cmake_parse_arguments(ARG "" "" "PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  file(GLOB _srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${dir}/*.cpp ${PROJECT_SOURCE_DIR}/${dir}/*.h)
  add_library(${name} STATIC ${_srcs})
  set_target_properties(${name} PROPERTIES LINKER_LANGUAGE CXX)
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_LIBS} PRIVATE fleetdeck_options ${ARG_PRIVATE_LIBS})
endfunction()
