# Each command's own refusals and outcomes, beyond what every_command.cmake
# checks for all of them: values out of range, options that exclude each
# other, files that cannot be read or written (a path through a regular
# file: missing directories are made), and the other spellings of options
# and help. Included from CMakeLists.txt (tools_cli_test; working
# directory tests/).
set(trace fuzz/corpus/trace/alloc_free.trace) # 8-byte pointers: one 24-byte object
tools_cli_test(main_h 0 -h STDOUT "^Usage: poolheap COMMAND")
tools_cli_test(main_help_word 0 help STDOUT "^Usage: poolheap COMMAND")
tools_cli_test(double_dash_ends_options 0 show -- golden/drone.toml STDOUT "^heap main: 10240 bytes in 8 pools")
tools_cli_test(option_equals_form 0 show golden/multi.toml --pointer-size=8 STDOUT "span 8200 bytes")

tools_cli_test(tune_without_pools 2 tune ${trace} STDERR "^poolheap tune: --pools is required\n")
tools_cli_test(tune_pools_zero 2 tune ${trace} --pools 0 STDERR "^poolheap tune: --pools '0' is not a number from 1 to 64\n")
tools_cli_test(tune_pools_65 2 tune ${trace} --pools 65 STDERR "--pools '65' is not a number from 1 to 64\n")
tools_cli_test(tune_bad_size 2 tune ${trace} --pools 2 --size 5G
  STDERR "^poolheap tune: --size '5G' is not a size from 1 to 4G - 1 \\(such as 10K\\)\n")
tools_cli_test(tune_size_and_headroom 2 tune ${trace} --pools 2 --size 1K --headroom 10%
  STDERR "^poolheap tune: --size, --headroom.* exclude each other\n")
tools_cli_test(tune_headroom_over_100 2 tune ${trace} --pools 2 --headroom 120%
  STDERR "^poolheap tune: --headroom '120%' is not a percentage from 0% to 100%\n")
tools_cli_test(tune_bad_pointer_size 2 tune ${trace} --pools 2 --pointer-size 3 STDERR "must be 4 or 8, not '3'")
tools_cli_test(tune_missing_trace 1 tune no/such.trace --pools 2 STDERR "^no/such.trace: No such file or directory\n$")
tools_cli_test(tune_unwritable_output 1 tune ${trace} --pools 2 -o golden/drone.toml/out.toml
  STDERR "^golden/drone.toml/out.toml: cannot create a temporary file: Not a directory\n$")
tools_cli_test(tune_headroom 0 tune ${trace} --pools 1 --headroom 100%
  STDOUT "pools = \\[\n    { block = 24, capacity = 2 },\n]")

tools_cli_test(layout_pools_zero 2 layout --size 1K --pools 0 STDERR "--pools '0' is not a number from 1 to 64")
tools_cli_test(layout_bad_pointer_size 2 layout --size 1K --pools 2 --pointer-size 3 STDERR "must be 4 or 8, not '3'")
tools_cli_test(layout_megabytes 0 layout --size 1M --pools 3 STDOUT "\nsize = \"1M\"\n")
tools_cli_test(layout_plain_bytes 0 layout --size 100 --pools 2 STDOUT "\nsize = 100\n")

tools_cli_test(report_missing_trace 1 report no/such.trace STDERR "^no/such.trace: No such file or directory\n$")
tools_cli_test(report_no_such_heap 1 report ${trace} --config golden/multi.toml --heap other --pointer-size 8
  STDERR "golden/multi.toml: no heap named 'other' \\(use --heap\\)")
tools_cli_test(report_svg_with_layout 0 report ${trace} --config golden/multi.toml --heap main --pointer-size 8
  --svg ${CMAKE_CURRENT_BINARY_DIR}/report_layout.svg STDOUT "peak block bytes: ")

tools_cli_test(show_bad_pointer_size 2 show golden/drone.toml --pointer-size 3 STDERR "must be 4 or 8, not '3'")
tools_cli_test(show_invalid_config 1 show tools/errors/block_zero.toml
  STDERR "^tools/errors/block_zero.toml:4:20: block must not be zero\n$")
tools_cli_test(show_unwritable_svg 1 show golden/drone.toml --svg golden/drone.toml/x.svg
  STDERR "^golden/drone.toml/x.svg: cannot create a temporary file: Not a directory\n$")
tools_cli_test(gen_unwritable_directory 1 gen golden/drone.toml -o golden/drone.toml/dir
  STDERR "^golden/drone.toml: cannot make the directory: Not a directory\n$")
