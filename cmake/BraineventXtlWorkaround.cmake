# Debian's xsimd package names `xtl` in the link interface of its target without finding it,
# which turns into a bogus `-lxtl`. xsimd needs nothing from xtl for what brainevent uses, so
# when no xtl package is installed an empty target of that name stands in for it.
# Included before find_package(xsimd), by the build and by the installed package config.
if(NOT TARGET xtl)
  find_package(xtl QUIET CONFIG)
  if(NOT TARGET xtl)
    add_library(xtl INTERFACE IMPORTED GLOBAL)
  endif()
endif()
