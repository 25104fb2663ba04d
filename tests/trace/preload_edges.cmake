# Runs preload_edges (the malloc family at its edge cases) on the C library
# alone, then under the runner (a heap that serves most requests, and one so
# small that almost everything falls back) and under the recorder:
#
#   cmake -DPROGRAM=<preload_edges> -DRUNNER=<libpoolheap_run.so>
#         -DRECORDER=<libpoolheap_record.so> -DTOOL=<poolheap> -P preload_edges.cmake
#
# Each run must exit 0 (the program's own checks of the standards hold) and
# print the C library's outcomes; the runner must have built its heap; the
# recorder (its trace named with %p, the process id) must write one trace,
# the forked child's records not in it, that reads back with one failed
# request per failure.
foreach(var PROGRAM RUNNER RECORDER TOOL)
  if(NOT ${var})
    message(FATAL_ERROR "preload_edges.cmake: -D${var}=... is required")
  endif()
endforeach()
set(problems "")

# run(<name> <output variable> <env...>): runs PROGRAM with the environment
# entries given; its stdout must equal the C library's.
function(run name out_var)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env ${ARGN} ${PROGRAM}
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status STREQUAL "0")
    string(APPEND problems "${name}: exit status ${status}\n${err}\n")
  endif()
  if(DEFINED expected AND NOT out STREQUAL expected)
    string(APPEND problems "${name}: outcomes differ from the C library's:\n${out}\n")
  endif()
  set(problems "${problems}" PARENT_SCOPE)
  set(${out_var} "${out}" PARENT_SCOPE)
  set(${out_var}_err "${err}" PARENT_SCOPE)
endfunction()

run("C library" expected)
# Failures: NULL results and posix_memalign's ENOMEM (12) and EINVAL (22),
# but not realloc(p, 0)'s NULL, which frees. errno may read "other": clang
# may move the clearing store past a malloc it assumes leaves errno alone.
string(REGEX REPLACE "realloc\\(p, 0\\): [^\n]*\n" "" failing "${expected}")
string(REGEX MATCHALL "(NULL errno=[A-Za-z]+|: (12|22))\n" failures "${failing}")
list(LENGTH failures failure_count)

file(WRITE preload_edges_fits.toml "[heap]\nsize = \"36K\"\npools = [{ block = 16, capacity = 256 }, "
  "{ block = 64, capacity = 128 }, { block = 1024, capacity = 16 }, { block = 8192, capacity = 1 }]\n")
file(WRITE preload_edges_tiny.toml "[heap]\nsize = 64\npools = [{ block = 16, capacity = 4 }]\n")
foreach(config fits tiny)
  run("runner, ${config}" out LD_PRELOAD=${RUNNER} POOLHEAP_CONFIG=preload_edges_${config}.toml)
  if(NOT out_err MATCHES "libpoolheap_run: heap main, ")
    string(APPEND problems "runner, ${config}: no heap was built:\n${out_err}\n")
  endif()
endforeach()

file(GLOB old_traces preload_edges.*.trace)
if(old_traces)
  file(REMOVE ${old_traces})
endif()
run("recorder" out LD_PRELOAD=${RECORDER} "POOLHEAP_TRACE=preload_edges.%p.trace") # %p: the process id
file(GLOB traces preload_edges.*.trace)
list(LENGTH traces trace_count)
if(NOT trace_count EQUAL 1)
  string(APPEND problems "the recorder wrote ${trace_count} traces named preload_edges.PID.trace, not one (the child is not recorded)\n")
endif()
execute_process(COMMAND ${TOOL} report ${traces} RESULT_VARIABLE status OUTPUT_VARIABLE report
                ERROR_VARIABLE err)
if(NOT status STREQUAL "0" OR NOT report MATCHES "events, [0-9]+ objects, pointer size [48], ${failure_count} failed requests")
  string(APPEND problems "the recorder's trace (${failure_count} failures expected): exit ${status}\n${report}${err}\n")
endif()

if(problems)
  message(FATAL_ERROR "${problems}")
endif()
message(STATUS "preload_edges: runner and recorder give the C library's outcomes (${failure_count} failures)")
