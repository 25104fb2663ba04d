# poolheap_add_heaps(<target> <toml_file> [POINTER_SIZE <4|8>] [LIBRARY <lib>])
#
# Generates C code for the heaps of <toml_file> ([heap] or [heap.NAME]
# tables, as in Drone.toml) at build time with `poolheap gen`, and adds it to
# <target>: the source poolheap_heaps.c, the include directory holding
# poolheap_heaps.h (PUBLIC) and the poolheap library (PUBLIC). The code is
# generated again whenever the TOML file (or the tool) changes. The files go
# to ${CMAKE_CURRENT_BINARY_DIR}/<target>_poolheap/; call it once per target.
#
# POINTER_SIZE is the target's pointer size; it defaults to
# CMAKE_SIZEOF_VOID_P, i.e. the compiler of the project (4 on Cortex-M).
# LIBRARY is the heap library the generated code is compiled and linked
# with; it defaults to poolheap::poolheap. Give a variant made by
# poolheap_add_library (say, one with tracing) to use that one instead: the
# generated heaps and the library must agree on the options.
#
# The tool runs on the build machine. Where it comes from, first match wins:
#   1. POOLHEAP_TOOL (cache variable): a host `poolheap` you built or installed;
#   2. the poolheap_cli target of this build (native builds of poolheap);
#   3. otherwise (cross-compiling, where tools/ is not built): the tool is
#      built for the host from this source tree with ExternalProject, using
#      the host C compiler POOLHEAP_HOST_C_COMPILER (default: cc).
include_guard(GLOBAL)

set(POOLHEAP_TOOL "" CACHE FILEPATH "Host poolheap tool for poolheap_add_heaps (empty: build it)")
set(POOLHEAP_HOST_C_COMPILER "cc" CACHE STRING "Host C compiler that builds the poolheap tool when cross-compiling")
set(_poolheap_gen_source_dir "${CMAKE_CURRENT_LIST_DIR}/.." CACHE INTERNAL "poolheap sources, for the host tool")

# Sets <out_command> to the tool to run and <out_depends> to what gen depends on.
function(_poolheap_tool out_command out_depends)
  if(POOLHEAP_TOOL)
    set(command "${POOLHEAP_TOOL}")
    set(depends "${POOLHEAP_TOOL}")
  elseif(TARGET poolheap_cli)
    set(command "$<TARGET_FILE:poolheap_cli>")
    set(depends poolheap_cli)
  else()
    set(binary_dir "${CMAKE_BINARY_DIR}/poolheap-host-tool")
    set(command "${binary_dir}/tools/poolheap/poolheap")
    set(depends poolheap_host_tool)
    if(NOT TARGET poolheap_host_tool)
      include(ExternalProject)
      ExternalProject_Add(poolheap_host_tool
        SOURCE_DIR "${_poolheap_gen_source_dir}"
        BINARY_DIR "${binary_dir}"
        CMAKE_ARGS
          -DCMAKE_C_COMPILER=${POOLHEAP_HOST_C_COMPILER}
          -DCMAKE_BUILD_TYPE=Release
          -DPOOLHEAP_BUILD_TOOLS=ON
          -DPOOLHEAP_BUILD_TESTS=OFF
          -DPOOLHEAP_BUILD_FUZZERS=OFF
        BUILD_COMMAND ${CMAKE_COMMAND} --build <BINARY_DIR> --target poolheap_cli
        BUILD_ALWAYS ON
        INSTALL_COMMAND ""
        BUILD_BYPRODUCTS "${command}")
    endif()
  endif()
  set(${out_command} "${command}" PARENT_SCOPE)
  set(${out_depends} "${depends}" PARENT_SCOPE)
endfunction()

function(poolheap_add_heaps target toml)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "POINTER_SIZE;LIBRARY" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "poolheap_add_heaps: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_POINTER_SIZE)
    set(arg_POINTER_SIZE ${CMAKE_SIZEOF_VOID_P})
  endif()
  cmake_path(ABSOLUTE_PATH toml BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/${target}_poolheap")
  file(MAKE_DIRECTORY "${dir}")
  _poolheap_tool(tool tool_depends)
  add_custom_command(
    OUTPUT "${dir}/poolheap_heaps.h" "${dir}/poolheap_heaps.c"
    COMMAND "${tool}" gen "${toml}" -o "${dir}" --pointer-size ${arg_POINTER_SIZE}
    DEPENDS "${toml}" ${tool_depends}
    COMMENT "poolheap gen ${toml}"
    VERBATIM)
  target_sources(${target} PRIVATE "${dir}/poolheap_heaps.c" "${dir}/poolheap_heaps.h")
  target_include_directories(${target} PUBLIC "${dir}")
  if(arg_LIBRARY)
    target_link_libraries(${target} PUBLIC ${arg_LIBRARY})
  elseif(TARGET poolheap::poolheap)
    target_link_libraries(${target} PUBLIC poolheap::poolheap)
  endif()
endfunction()
