# Runs a command and checks its outcome (cmake -P, command after "--"):
#
#   cmake -DEXIT=<code> [-DSTDERR_FROM=<file>] [-DSTDOUT_MATCH=<regex>]
#         [-DSTDERR_MATCH=<regex>] [-DEMPTY_DIR=<dir>] -P expect_run.cmake -- <command...>
#
# EXIT: the exit status the command must return.
# STDERR_FROM: a file whose first line is "# error: LINE:COL: message"; stderr
#   must be exactly "<file>:LINE:COL: message" (one line).
# STDOUT_MATCH / STDERR_MATCH: regular expressions the output must match.
# EMPTY_DIR: emptied before the run, and must still be empty after it.
# STDOUT_TO: a file that receives stdout (written only if the checks pass).
set(command "")
set(found_separator FALSE)
foreach(i RANGE 1 ${CMAKE_ARGC})
  if(found_separator AND i LESS CMAKE_ARGC)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif("${CMAKE_ARGV${i}}" STREQUAL "--")
    set(found_separator TRUE)
  endif()
endforeach()
if(NOT command)
  message(FATAL_ERROR "expect_run.cmake: no command after --")
endif()
if(DEFINED EMPTY_DIR)
  file(REMOVE_RECURSE "${EMPTY_DIR}")
  file(MAKE_DIRECTORY "${EMPTY_DIR}")
endif()

execute_process(COMMAND ${command} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)

set(problems "")
if(NOT status STREQUAL "${EXIT}")
  string(APPEND problems "exit status ${status}, expected ${EXIT}\n")
endif()
if(DEFINED STDERR_FROM)
  file(READ "${STDERR_FROM}" text)
  string(REGEX MATCH "^# error: [^\n]*\n" first "${text}")
  string(REGEX REPLACE "^# error: " "${STDERR_FROM}:" expected "${first}")
  if(NOT err STREQUAL expected)
    string(APPEND problems "stderr differs:\n  got:      ${err}  expected: ${expected}")
  endif()
endif()
if(DEFINED STDOUT_MATCH AND NOT out MATCHES "${STDOUT_MATCH}")
  string(APPEND problems "stdout does not match '${STDOUT_MATCH}':\n${out}\n")
endif()
if(DEFINED STDERR_MATCH AND NOT err MATCHES "${STDERR_MATCH}")
  string(APPEND problems "stderr does not match '${STDERR_MATCH}':\n${err}\n")
endif()
if(DEFINED EMPTY_DIR)
  file(GLOB left "${EMPTY_DIR}/*" "${EMPTY_DIR}/.*")
  if(left)
    string(APPEND problems "files were written: ${left}\n")
  endif()
endif()
if(problems)
  message(FATAL_ERROR "${command}\n${problems}")
endif()
if(DEFINED STDOUT_TO)
  file(WRITE "${STDOUT_TO}" "${out}")
endif()
