# poolheap_warnings: the warning set every target of the project builds with.
add_library(poolheap_warnings INTERFACE)
target_compile_options(poolheap_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror
  $<$<COMPILE_LANGUAGE:C>:-Wstrict-prototypes -Wmissing-prototypes>
  -Wshadow -Wconversion -Wno-sign-conversion
  # Only GCC knows "=strict"; clang rejects it, and its -Wcast-align always
  # warns as GCC's strict level does.
  $<IF:$<OR:$<COMPILE_LANG_AND_ID:C,GNU>,$<COMPILE_LANG_AND_ID:CXX,GNU>>,-Wcast-align=strict,-Wcast-align>)
