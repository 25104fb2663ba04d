# poolheap_warnings: the warning set every target of the project builds with.
add_library(poolheap_warnings INTERFACE)
target_compile_options(poolheap_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror
  $<$<COMPILE_LANGUAGE:C>:-Wstrict-prototypes -Wmissing-prototypes>
  -Wshadow -Wcast-align=strict -Wconversion -Wno-sign-conversion)
