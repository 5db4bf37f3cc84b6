# Builds and runs tests/consumers/main.cpp the way a user would consume brainevent:
#   MODE=find_package      install brainevent to a prefix, then find_package(brainevent)
#   MODE=add_subdirectory  add the source tree as a subdirectory (a git submodule)
#   MODE=plain_include     compile with -I include only, no CMake
# Inputs: MODE, SOURCE_DIR, WORK_DIR, CXX, GENERATOR, CUDA (ON where the build has CUDA) and
# CUDA_COMPILER, and for plain_include the include directories of Eigen and xsimd (EIGEN_INCLUDE,
# XSIMD_INCLUDE). With CUDA, find_package installs the package with its CUDA component and builds
# and runs a CUDA consumer too (which checks its result only where a GPU is); the host consumer then finds the package
# with CUDA hidden, as on a machine without it.
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(consumers ${SOURCE_DIR}/tests/consumers)

function(step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "step failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  message(STATUS "${out}")
endfunction()

set(common -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release)
if(MODE STREQUAL "find_package")
  if(CUDA)
    set(cuda_options -DBRAINEVENT_ENABLE_CUDA=ON -DCMAKE_CUDA_COMPILER=${CUDA_COMPILER})
  else()
    set(cuda_options -DBRAINEVENT_ENABLE_CUDA=OFF)
  endif()
  step(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/lib ${common} -DCMAKE_INSTALL_PREFIX=${WORK_DIR}/prefix
       -DBRAINEVENT_BUILD_TESTS=OFF -DBRAINEVENT_BUILD_BENCH=OFF -DBRAINEVENT_BUILD_EXAMPLES=OFF ${cuda_options})
  step(${CMAKE_COMMAND} --install ${WORK_DIR}/lib)
  step(${CMAKE_COMMAND} -S ${consumers}/find_package -B ${WORK_DIR}/app ${common}
       -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_DISABLE_FIND_PACKAGE_CUDAToolkit=TRUE)
  step(${CMAKE_COMMAND} --build ${WORK_DIR}/app)
  step(${WORK_DIR}/app/consumer)
  if(CUDA)
    step(${CMAKE_COMMAND} -S ${consumers}/find_package_cuda -B ${WORK_DIR}/app_cuda ${common}
         -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_CUDA_COMPILER=${CUDA_COMPILER})
    step(${CMAKE_COMMAND} --build ${WORK_DIR}/app_cuda)
    step(${WORK_DIR}/app_cuda/consumer_cuda)  # checks its result where a GPU is; says so and passes elsewhere
  endif()
elseif(MODE STREQUAL "add_subdirectory")
  step(${CMAKE_COMMAND} -S ${consumers}/add_subdirectory -B ${WORK_DIR}/app ${common}
       -DBRAINEVENT_SOURCE_DIR=${SOURCE_DIR})
  step(${CMAKE_COMMAND} --build ${WORK_DIR}/app)
  step(${WORK_DIR}/app/consumer)
elseif(MODE STREQUAL "plain_include")
  # Our include directory as an ordinary one (not a system directory), with warnings users
  # commonly turn on besides ours: the headers must stay silent under them.
  set(includes -I${SOURCE_DIR}/include -isystem ${EIGEN_INCLUDE})
  if(NOT XSIMD_INCLUDE STREQUAL "/usr/include")  # never re-add the default system directory
    list(APPEND includes -isystem ${XSIMD_INCLUDE})
  endif()
  step(${CXX} -std=c++20 -O2 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Werror
       ${includes} ${consumers}/main.cpp -o ${WORK_DIR}/consumer)
  step(${WORK_DIR}/consumer)
else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()
