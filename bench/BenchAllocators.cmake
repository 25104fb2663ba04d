# The allocators the benchmarks compare, and bench_program(), which builds a
# program once per allocator. Competitors that are not installed are skipped.

# bench_all: every benchmark program and the tools scripts/bench runs (the
# trace recorder, the poolheap command), so it builds nothing else.
add_custom_target(bench_all)
foreach(tool poolheap_record poolheap_cli)
  if(TARGET ${tool})
    add_dependencies(bench_all ${tool})
  endif()
endforeach()

# poolheap twice, with and without statistics, whatever the tree's options.
poolheap_add_library(bench_poolheap_stats1 STATS ON)
poolheap_add_library(bench_poolheap_stats0 STATS OFF)

set(BENCH_ALLOCATORS poolheap poolheap_nostats glibc)
set(BENCH_ADAPTER_poolheap alloc_poolheap.c)
set(BENCH_LIBS_poolheap bench_poolheap_stats1)
set(BENCH_ADAPTER_poolheap_nostats alloc_poolheap.c)
set(BENCH_LIBS_poolheap_nostats bench_poolheap_stats0)
set(BENCH_ADAPTER_glibc alloc_malloc.c alloc_one_heap.c)

# The competitors replace malloc, which sanitizers intercept: sanitized
# builds compare poolheap with the C library only.
if(NOT POOLHEAP_SANITIZE)
  find_path(BENCH_MIMALLOC_INCLUDE mimalloc.h)
  find_library(BENCH_MIMALLOC_LIBRARY mimalloc)
  if(BENCH_MIMALLOC_INCLUDE AND BENCH_MIMALLOC_LIBRARY)
    list(APPEND BENCH_ALLOCATORS mimalloc)
    set(BENCH_ADAPTER_mimalloc alloc_mimalloc.c alloc_one_heap.c)
    set(BENCH_LIBS_mimalloc ${BENCH_MIMALLOC_LIBRARY})
  endif()

  # jemalloc and tcmalloc replace malloc when linked: no call names them, so
  # keep the linker from dropping them as unneeded.
  foreach(competitor jemalloc tcmalloc_minimal)
    string(REPLACE "_minimal" "" name ${competitor})
    find_library(BENCH_${name}_LIBRARY ${competitor})
    if(BENCH_${name}_LIBRARY)
      list(APPEND BENCH_ALLOCATORS ${name})
      set(BENCH_ADAPTER_${name} alloc_malloc.c alloc_one_heap.c)
      set(BENCH_LIBS_${name} -Wl,--push-state,--no-as-needed ${BENCH_${name}_LIBRARY} -Wl,--pop-state)
    endif()
  endforeach()
endif()

# What every program shares: clocks, percentiles, options, layouts, threads.
add_library(bench_common STATIC bench_timer.c bench_stats.c bench_options.c bench_layout.c bench_threads.c)
target_include_directories(bench_common PUBLIC "${CMAKE_CURRENT_SOURCE_DIR}")
target_compile_features(bench_common PUBLIC c_std_11)
set_target_properties(bench_common PROPERTIES C_EXTENSIONS OFF)
find_package(Threads REQUIRED)
find_library(BENCH_MATH_LIBRARY m)
target_link_libraries(bench_common PUBLIC Threads::Threads ${BENCH_MATH_LIBRARY} ${CMAKE_DL_LIBS}
                                   PRIVATE poolheap_warnings)

# bench_have_targets(OUT TARGET...): OUT is TRUE if every TARGET is part of
# this build (the tools are host-only and optional), else FALSE.
function(bench_have_targets out)
  set(${out} TRUE PARENT_SCOPE)
  foreach(library IN LISTS ARGN)
    if(NOT TARGET ${library})
      set(${out} FALSE PARENT_SCOPE)
    endif()
  endforeach()
endfunction()

# bench_program(NAME [LIBRARY...]): bench_NAME_ALLOCATOR from NAME.c, once
# per allocator, also linked with the LIBRARY targets; skipped if one of them
# is not part of this build.
function(bench_program name)
  bench_have_targets(have ${ARGN})
  if(NOT have)
    return()
  endif()
  foreach(allocator IN LISTS BENCH_ALLOCATORS)
    set(target bench_${name}_${allocator})
    add_executable(${target} ${name}.c ${BENCH_ADAPTER_${allocator}})
    target_compile_definitions(${target} PRIVATE BENCH_ALLOCATOR="${allocator}")
    set_target_properties(${target} PROPERTIES C_EXTENSIONS OFF)
    if(allocator STREQUAL "mimalloc")
      target_include_directories(${target} PRIVATE "${BENCH_MIMALLOC_INCLUDE}")
    endif()
    target_link_libraries(${target} PRIVATE bench_common ${ARGN} ${BENCH_LIBS_${allocator}} poolheap_warnings)
    add_dependencies(bench_all ${target})
  endforeach()
endfunction()

# bench_single(NAME [LIBRARY...]): bench_NAME from NAME.c, a program that
# needs no allocator of its own (such as a workload to record), also linked
# with the LIBRARY targets; skipped if one of them is not part of this build.
function(bench_single name)
  bench_have_targets(have ${ARGN})
  if(NOT have)
    return()
  endif()
  add_executable(bench_${name} ${name}.c)
  set_target_properties(bench_${name} PROPERTIES C_EXTENSIONS OFF)
  target_link_libraries(bench_${name} PRIVATE bench_common ${ARGN} poolheap_warnings)
  add_dependencies(bench_all bench_${name})
endfunction()
