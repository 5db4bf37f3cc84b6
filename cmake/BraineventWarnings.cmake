# Flags for brainevent's own targets (tests, benchmarks, examples): never for the library target,
# so users' builds keep their own flags.
set(BRAINEVENT_MARCH "native" CACHE STRING "-march for tests and benchmarks (empty for none)")

function(brainevent_strict target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Werror>)
  if(BRAINEVENT_MARCH)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-march=${BRAINEVENT_MARCH}>)
  endif()
endfunction()
