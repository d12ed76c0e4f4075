include(${CMAKE_CURRENT_LIST_DIR}/FleetDeckPch.cmake)

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
  -Wall -Wextra -Wpedantic -Wnon-virtual-dtor -Wcast-align
  -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>)  # GCC's spelling; clang (the fuzz build) has none
if(FLEETDECK_WERROR)
  target_compile_options(fleetdeck_options INTERFACE -Werror)
endif()
if(FLEETDECK_SANITIZE)
  target_compile_options(fleetdeck_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(fleetdeck_options INTERFACE -fsanitize=address,undefined)
endif()
# The fuzz build (fuzz/, clang): the libraries get libFuzzer's coverage instrumentation
# without its main(); the fuzz targets add -fsanitize=fuzzer themselves (fd_add_fuzz_target).
# UBSan does not recover, so undefined behaviour is a crash the fuzzer reports and keeps.
if(FLEETDECK_FUZZ)
  target_compile_options(fleetdeck_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(fleetdeck_options INTERFACE -fsanitize=address,undefined)
endif()

# fd_expose_headers(TARGET dir PUBLIC|PRIVATE) makes the headers of one source folder
# includable as "dir/file.h" for TARGET (and, PUBLIC, for whatever links it), and for no one
# else: each target gets its own include root in the build tree holding a symbolic link to
# its folder. So CMake enforces the layers: a target sees only the headers of the targets
# it links (core/ never sees ui/, the protocol never sees the storage, a test only what it
# links). Where links cannot be made (some Windows setups), it falls back to the project
# root: everything builds, the layers are just not enforced there.
function(fd_expose_headers name dir scope)
  set(_root ${CMAKE_BINARY_DIR}/include/${name})
  set(_link ${_root}/${dir})
  get_filename_component(_parent ${_link} DIRECTORY)
  file(MAKE_DIRECTORY ${_parent})
  if(NOT EXISTS ${_link})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${dir} ${_link} RESULT _result SYMBOLIC)
    if(NOT _result EQUAL 0)
      message(WARNING "fd_expose_headers: cannot link ${_link} (${_result}); layers not enforced")
      target_include_directories(${name} ${scope} ${PROJECT_SOURCE_DIR})
      return()
    endif()
  endif()
  target_include_directories(${name} ${scope} ${_root})
endfunction()

# fd_add_library(NAME SOURCES_DIR dir [PUBLIC_LIBS ...]) builds a static library from every
# .cpp/.h in one folder; its headers are included as "folder/file.h" by itself and by the
# targets that link it, and by no other (fd_expose_headers).
function(fd_add_library name dir)
  cmake_parse_arguments(ARG "" "" "PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  file(GLOB _srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${dir}/*.cpp ${PROJECT_SOURCE_DIR}/${dir}/*.h)
  add_library(${name} STATIC ${_srcs})
  set_target_properties(${name} PROPERTIES LINKER_LANGUAGE CXX)
  fd_expose_headers(${name} ${dir} PUBLIC)
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_LIBS} PRIVATE fleetdeck_options ${ARG_PRIVATE_LIBS})
  fleetdeck_pch_layer(_layer ${dir})
  fleetdeck_precompile(${name} ${_layer})
endfunction()
