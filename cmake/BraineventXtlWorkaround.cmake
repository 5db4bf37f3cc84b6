# Debian's xsimd package names `xtl` in the link interface of its target without finding it,
# which turns into a bogus `-lxtl`. xsimd needs nothing from xtl for what brainevent uses, so
# when no xtl target or package exists, `xtl` is taken out of xsimd's link interface (no target
# of that name is made, so a user's own `xtl` target never clashes with one of ours).
# Included after find_package(xsimd), by the build and by the installed package config.
if(TARGET xsimd AND NOT TARGET xtl)
  find_package(xtl QUIET CONFIG)
  if(NOT TARGET xtl)
    get_target_property(_brainevent_xsimd_links xsimd INTERFACE_LINK_LIBRARIES)
    if(_brainevent_xsimd_links)
      list(REMOVE_ITEM _brainevent_xsimd_links xtl)
      set_target_properties(xsimd PROPERTIES INTERFACE_LINK_LIBRARIES "${_brainevent_xsimd_links}")
    endif()
  endif()
endif()
