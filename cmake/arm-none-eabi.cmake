# Cross build for Cortex-M with arm-none-eabi-gcc; test programs run in QEMU.
#
#   cmake -S . -B build-arm-m3 --toolchain cmake/arm-none-eabi.cmake -DPOOLHEAP_CORE=cortex-m3
#   cmake --build build-arm-m3 -j2 && ctest --test-dir build-arm-m3
#
# POOLHEAP_CORE picks the instruction set, the float ABI and the QEMU
# machine the tests run on (port/qemu-run, registered as the emulator).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(POOLHEAP_CORE cortex-m3 CACHE STRING "Cortex-M core: cortex-m0, cortex-m0plus, cortex-m3, cortex-m4f, cortex-m33")
set_property(CACHE POOLHEAP_CORE PROPERTY STRINGS cortex-m0 cortex-m0plus cortex-m3 cortex-m4f cortex-m33)
# The C library: newlib (Debian's libnewlib-arm-none-eabi) or picolibc
# (picolibc-arm-none-eabi, through its GCC specs file). docs/cortex-m.md says
# what the port and the malloc glue do differently for picolibc.
set(POOLHEAP_LIBC newlib CACHE STRING "C library: newlib or picolibc")
set_property(CACHE POOLHEAP_LIBC PROPERTY STRINGS newlib picolibc)
# try_compile projects read this file again and need the core and C library too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES POOLHEAP_CORE POOLHEAP_LIBC)

# QEMU 7.2's only Cortex-M0 board (microbit) has 16 KB of RAM, too little
# for the unit tests' heaps, so ARMv6-M programs run on mps2-an385: the
# Cortex-M3 executes the ARMv6-M subset unchanged. The interrupt stress test
# fits in 16 KB and runs on the micro:bit's real Cortex-M0 model.
if(POOLHEAP_CORE STREQUAL "cortex-m0" OR POOLHEAP_CORE STREQUAL "cortex-m0plus")
  set(core_flags "-mcpu=${POOLHEAP_CORE} -mfloat-abi=soft")
  set(POOLHEAP_QEMU_MACHINE mps2-an385)
elseif(POOLHEAP_CORE STREQUAL "cortex-m3")
  set(core_flags "-mcpu=cortex-m3 -mfloat-abi=soft")
  set(POOLHEAP_QEMU_MACHINE mps2-an385)
elseif(POOLHEAP_CORE STREQUAL "cortex-m4f")
  set(core_flags "-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard")
  set(POOLHEAP_QEMU_MACHINE mps2-an386)
elseif(POOLHEAP_CORE STREQUAL "cortex-m33")
  set(core_flags "-mcpu=cortex-m33 -mfpu=fpv5-sp-d16 -mfloat-abi=hard")
  set(POOLHEAP_QEMU_MACHINE mps2-an505)
else()
  message(FATAL_ERROR "POOLHEAP_CORE: unknown core '${POOLHEAP_CORE}'")
endif()
if(POOLHEAP_LIBC STREQUAL "picolibc")
  # In the flags, not in the link options only: the specs file also puts
  # picolibc's headers first on the include path.
  string(APPEND core_flags " --specs=picolibc.specs")
elseif(NOT POOLHEAP_LIBC STREQUAL "newlib")
  message(FATAL_ERROR "POOLHEAP_LIBC: unknown C library '${POOLHEAP_LIBC}' (newlib or picolibc)")
endif()

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_AR arm-none-eabi-ar)
set(CMAKE_RANLIB arm-none-eabi-ranlib)
# There is no operating system to link a test executable against.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# -Os always (the size that matters on a microcontroller); a section per
# function so that --gc-sections drops what a program does not call.
set(CMAKE_C_FLAGS_INIT "-mthumb ${core_flags} -Os -ffunction-sections -fdata-sections")
# Full newlib (its printf prints the tests' %llu, nano's does not); port/ provides the startup code and the system calls.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostartfiles -Wl,--gc-sections")

set(CMAKE_CROSSCOMPILING_EMULATOR "${CMAKE_CURRENT_LIST_DIR}/../port/qemu-run;${POOLHEAP_QEMU_MACHINE}")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
