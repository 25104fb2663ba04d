# The command line of every command, whichever commands there are: the
# commands and their options are read from the tool's own --help, so a new
# command or option is checked without a new test.
#
#   cmake -DTOOL=<poolheap> -P every_command.cmake
#
# For each command NAME:
#   NAME --help                 exit 0, the usage on stdout
#   NAME --no-such-option       exit 2, "poolheap NAME: unknown option '--no-such-option'" and the hint
#   NAME alone, if its usage    exit 2, "expected 1 operand, got 0" (or "at least 1"):
#     names an operand          not a missing option, never "(null)"
#   NAME, 70 operands           exit 2, "poolheap NAME: unexpected operand"
#   NAME --OPTION (last)        exit 2, "option '--OPTION' needs a value", for each option
#                               that takes one (and its one-letter form)
# Nothing is written: every case runs in an empty directory that must stay so.
if(NOT TOOL)
  message(FATAL_ERROR "every_command.cmake: -DTOOL=<poolheap> is required")
endif()
set(work "${CMAKE_CURRENT_BINARY_DIR}/every_command.work")
file(REMOVE_RECURSE "${work}")
file(MAKE_DIRECTORY "${work}")

set(problems "")
set(cases 0)

# expect(<name> <exit> <stdout regex> <stderr regex> <command...>)
function(expect name exit out_regex err_regex)
  execute_process(COMMAND ${TOOL} ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err
                  WORKING_DIRECTORY "${work}")
  set(bad "")
  if(NOT status STREQUAL "${exit}")
    string(APPEND bad "  exit status ${status}, expected ${exit}\n")
  endif()
  if(NOT out MATCHES "${out_regex}")
    string(APPEND bad "  stdout does not match '${out_regex}': ${out}\n")
  endif()
  if(NOT err MATCHES "${err_regex}")
    string(APPEND bad "  stderr does not match '${err_regex}': ${err}\n")
  endif()
  if(err MATCHES "\\(null\\)" OR out MATCHES "\\(null\\)")
    string(APPEND bad "  prints (null): ${err}${out}\n")
  endif()
  file(GLOB left "${work}/*" "${work}/.*")
  if(left)
    string(APPEND bad "  files were written: ${left}\n")
    file(REMOVE_RECURSE ${left})
  endif()
  if(bad)
    string(APPEND problems "${name}: poolheap ${ARGN}\n${bad}")
    set(problems "${problems}" PARENT_SCOPE)
  endif()
  math(EXPR cases "${cases} + 1")
  set(cases ${cases} PARENT_SCOPE)
endfunction()

execute_process(COMMAND ${TOOL} --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
string(REGEX MATCH "Commands:\n(  [a-z]+ [^\n]*\n)+" listing "${help}")
string(REGEX MATCHALL "\n  [a-z]+ " names "${listing}")
if(NOT status EQUAL 0 OR NOT names)
  message(FATAL_ERROR "poolheap --help lists no commands (exit ${status}):\n${help}")
endif()

foreach(entry IN LISTS names)
  string(STRIP "${entry}" command)
  execute_process(COMMAND ${TOOL} ${command} --help OUTPUT_VARIABLE command_help)
  expect(help 0 "^Usage: poolheap ${command} .*Exit status: 0 ok" "^$" ${command} --help)
  expect(unknown_option 2 "^$"
    "^poolheap ${command}: unknown option '--no-such-option'\nTry 'poolheap ${command} --help'\\.\n$"
    ${command} --no-such-option)

  # The options that take a value: "  -o, --output DIR" or "  --pools N".
  string(REGEX MATCHALL "\n  (-[a-zA-Z], )?--[a-z-]+ [A-Z0-9][^ \n]*" lines "${command_help}")
  set(all_options "")
  foreach(line IN LISTS lines)
    string(REGEX MATCH "--[a-z-]+" long "${line}")
    list(APPEND all_options ${long} x)
    expect(option_without_value 2 "^$"
      "^poolheap ${command}: option '${long}' needs a value\nTry 'poolheap ${command} --help'\\.\n$"
      ${command} ${long})
    if(line MATCHES "\n  (-[a-zA-Z]), ")
      expect(short_option_without_value 2 "^$"
        "^poolheap ${command}: option '${CMAKE_MATCH_1}' needs a value\n" ${command} ${CMAKE_MATCH_1})
    endif()
  endforeach()
  if(NOT all_options)
    string(APPEND problems "${command}: its --help lists no option that takes a value\n")
  endif()

  # A command whose usage names an operand (an upper-case word right after
  # the command), given none: that is the problem reported, before any
  # option it lacks.
  if(command_help MATCHES "^Usage: poolheap ${command} [A-Z]")
    expect(no_operand 2 "^$" "^poolheap ${command}: expected (at least )?1 operand, got 0\n" ${command})
  endif()
  set(operands "")
  foreach(i RANGE 1 70)
    list(APPEND operands "operand${i}")
  endforeach()
  expect(too_many_operands 2 "^$" "^poolheap ${command}: unexpected operand 'operand[0-9]+'\n"
    ${command} ${operands} ${all_options})
endforeach()

file(REMOVE_RECURSE "${work}")
if(problems)
  message(FATAL_ERROR "${problems}")
endif()
list(LENGTH names commands)
message(STATUS "every_command: ${cases} cases over ${commands} commands passed")
