# cmake -DCOMPILER=cc -DINCLUDE=dir -DSOURCE=file -DCASE=n -DMESSAGE=regex -P expect_compile_error.cmake
# Compiles SOURCE with -DCASE=n; passes if the compiler refuses it with a
# diagnostic matching MESSAGE (or, for MESSAGE "", if it accepts it).
execute_process(
  COMMAND ${COMPILER} -std=c11 -fsyntax-only -I${INCLUDE} -DCASE=${CASE} ${SOURCE}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(MESSAGE STREQUAL "")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "case ${CASE} should compile:\n${err}")
  endif()
  return()
endif()
if(status EQUAL 0)
  message(FATAL_ERROR "case ${CASE} compiled, but should fail with: ${MESSAGE}")
endif()
if(NOT err MATCHES "${MESSAGE}")
  message(FATAL_ERROR "case ${CASE} failed without the expected message '${MESSAGE}':\n${err}")
endif()
message(STATUS "case ${CASE}: refused with '${MESSAGE}'")
