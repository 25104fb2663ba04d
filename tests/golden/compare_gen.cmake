# cmake -DTOOL= -DTOML= -DPOINTER_SIZE= -DEXPECTED=<dir> -DOUT=<dir> -P compare_gen.cmake
# Runs `poolheap gen` into OUT and compares each file with EXPECTED.
file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")
execute_process(COMMAND "${TOOL}" gen "${TOML}" -o "${OUT}" --pointer-size ${POINTER_SIZE} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "poolheap gen failed: ${status}")
endif()
foreach(file poolheap_heaps.h poolheap_heaps.c)
  execute_process(COMMAND diff -u "${EXPECTED}/${file}" "${OUT}/${file}" RESULT_VARIABLE differs)
  if(differs)
    message(FATAL_ERROR "${OUT}/${file} differs from ${EXPECTED}/${file}")
  endif()
endforeach()
