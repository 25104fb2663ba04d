# shellcheck shell=bash disable=SC2154  # sourced by scripts/bench, which sets the variables
# Instructions per operation, counted by callgrind (deterministic, unlike
# the timings): sourced by scripts/bench; defines run_instructions, which
# appends "instructions allocator=A op=OP per_op=N" lines to
# $raw/instructions.txt (as run 1) for every allocator, from bench_latency_A run under
# callgrind with collection on only inside bench_malloc and bench_free (the
# allocator plus one call through the adapter).

# callgrind_per_call FILE FUNCTION: inclusive instructions per call.
callgrind_per_call() {
  awk -v fn="$2" '
    /^cfn=/ { inside = ($0 == "cfn=" fn); next }
    inside && /^calls=/ { split($1, c, "="); calls += c[2]; want = 1; next }
    want { cost += $2; want = 0; inside = 0 }
    END { if (calls) printf "%.1f\n", cost / calls; else print "-" }' "$1"
}

run_instructions() {
  command -v valgrind >/dev/null || return 0
  local a op out=$raw/callgrind.out
  for a in "${allocators[@]}"; do
    valgrind --tool=callgrind --callgrind-out-file="$out" --compress-strings=no --compress-pos=no \
      --toggle-collect=bench_malloc --toggle-collect=bench_free \
      "$bin/bench_latency_$a" --ops "$instruction_ops" >/dev/null 2>"$raw/callgrind.log" || {
      # Such as valgrind 3.19 on clang 14's DWARF 5 debug information.
      log "callgrind failed on bench_latency_$a (see $raw/callgrind.log): no instruction counts"
      return 0
    }
    for op in alloc free; do
      local fn=bench_malloc
      [ $op = free ] && fn=bench_free
      echo "run=1 instructions allocator=$a op=$op per_op=$(callgrind_per_call "$out" $fn)" >>"$raw/instructions.txt"
    done
  done
  rm -f "$out"
}
