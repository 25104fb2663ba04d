# shellcheck shell=bash disable=SC2154  # sourced by scripts/bench, which sets the variables
# Writes the benchmark report ($doc) and its plots ($img_dir) from the
# medians of a run. Sourced by scripts/bench, whose variables and helpers
# (raw, allocators, runs, med, ratio, ...) it uses; defines write_report.

# md_row CELL...: one Markdown table row.
md_row() {
  local row="|" cell
  for cell in "$@"; do row="$row $cell |"; done
  echo "$row"
}

machine_section() {
  local cpu virt versions
  cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
  virt=$(lscpu 2>/dev/null | sed -n 's/^Hypervisor vendor: *//p' | head -n 1)
  versions=$(dpkg-query -W -f='${Package} ${Version}, ' libc6 libmimalloc2.0 libjemalloc2 libtcmalloc-minimal4 \
    2>/dev/null | sed 's/, $//')
  cat <<EOF
## Machine

- CPU: ${cpu:-unknown}, $(nproc) CPUs available${virt:+, virtual machine ($virt hypervisor)}
- Kernel: $(uname -sr); compiler: $(gcc --version | head -n 1) (-O3 via CMAKE_BUILD_TYPE=Release)
- Libraries: ${versions:-unknown (no dpkg)}; tcmalloc is libtcmalloc_minimal (the allocator without the profiler)
- Run: $run_date, $runs runs per figure (medians shown), load average
  (1, 5, 15 min) $load_before before and $load_after after; the machine was shared with other work
- Which library served malloc in each program, as the programs report it:
$(grep -v timer_overhead "$raw/describe.log" | sed 's/ pools=[0-9]* heap_bytes=[0-9]*//; s/^# /  - /' | sort -u)
- Timer: $(grep -m 1 timer_overhead "$raw/describe.log" | sed 's/^# //') (TSC; the overhead is subtracted from every sample)
EOF
}

# lat A OP MODE METRIC: a latency median.
lat() { med "latency allocator=$1 op=$2 mode=$3" "$4"; }

latency_tables() {
  local a op
  echo "### Per operation, as a program sees it (ns, median over the runs of each percentile)"
  echo
  md_row allocator op median p99 p99.9 p99.99 max "p99.99/median" "max/median" instructions
  md_row --- --- ---: ---: ---: ---: ---: ---: ---: ---:
  for a in "${allocators[@]}"; do
    for op in alloc free; do
      md_row "$a" "$op" "$(lat "$a" $op program median_ns)" "$(lat "$a" $op program p99_ns)" \
        "$(lat "$a" $op program p999_ns)" "$(lat "$a" $op program p9999_ns)" "$(lat "$a" $op program max_ns)" \
        "$(lat "$a" $op program tail_ratio)" "$(lat "$a" $op program max_ratio)" \
        "$(med "instructions allocator=$a op=$op" per_op)"
    done
  done
  echo
  echo "The ratios are taken within each run, then the median over the runs. Instructions: mean per call,"
  echo "counted by callgrind over $instruction_ops steps of the same program (bench/instructions.sh), the adapter's"
  echo "call included (about 3 instructions); they do not depend on the machine's load."
  echo
  echo "Noise floor: the same steps also time an empty region (the timer alone), in the same process,"
  echo "so interrupts and the hypervisor show up there as they would in the operations (ns):"
  echo
  md_row "run of" p99 p99.9 p99.99 max
  md_row --- ---: ---: ---: ---:
  for a in "${allocators[@]}"; do
    md_row "$a" "$(lat "$a" timer program p99_ns)" "$(lat "$a" timer program p999_ns)" \
      "$(lat "$a" timer program p9999_ns)" "$(lat "$a" timer program max_ns)"
  done
}

drained_table() {
  local a op
  cat <<EOF
### The allocator's own work: the program's stores drained first

The same runs with a full fence before each timed operation (\`--drain 1\`,
$drained_ops steps): the program's earlier stores, such as the byte it wrote
into a block that is no longer in cache, have left the store buffer before
the operation starts. Without the fence, an operation that contains a locked
instruction (poolheap's compare-and-swap) waits for them; the others do not
(see the parts below). That wait is a real cost to a program, but it is not
the allocator's own work, which this table isolates.

EOF
  md_row allocator op median p99 p99.9 p99.99 max "p99.99/median"
  md_row --- --- ---: ---: ---: ---: ---: ---:
  for a in "${allocators[@]}"; do
    for op in alloc free; do
      md_row "$a" "$op" "$(lat "$a" $op drained median_ns)" "$(lat "$a" $op drained p99_ns)" \
        "$(lat "$a" $op drained p999_ns)" "$(lat "$a" $op drained p9999_ns)" "$(lat "$a" $op drained max_ns)" \
        "$(lat "$a" $op drained tail_ratio)"
    done
  done
}

costs_table() {
  local op label id
  md_row "part of an operation" median p99 p99.9 p99.99
  md_row --- ---: ---: ---: ---:
  while IFS=: read -r op label; do
    id="latency allocator=machine op=$op mode=alone"
    md_row "$label" "$(med "$id" median_ns)" "$(med "$id" p99_ns)" "$(med "$id" p999_ns)" "$(med "$id" p9999_ns)"
  done <<'EOF'
timer:nothing (the timer's residue)
cas:compare-and-swap on a word in cache (a free-list pop or push)
stats_alloc:statistics of one allocation (3 atomic adds, 2 peak checks)
cold_load:load from a line not in cache (a pop reading a cold block's link)
cold_store:store to a line not in cache (a free writing the block's link)
cold_push:that store, then a compare-and-swap (the push of a cold block)
EOF
}

# pair_median A: median alloc + median free of allocator A, in ns.
pair_median() {
  local alloc free
  alloc=$(lat "$1" alloc program median_ns)
  free=$(lat "$1" free program median_ns)
  if [ "$alloc" = - ] || [ "$free" = - ]; then echo -; else awk -v a="$alloc" -v b="$free" 'BEGIN { print a + b }'; fi
}

mops() { med "throughput allocator=$1 pattern=$2 threads=$3" mops; }

throughput_table() {
  local a
  md_row allocator "1 thread" "2 threads" "4 threads" "handoff, 2 threads" "handoff, 4 threads"
  md_row --- ---: ---: ---: ---: ---:
  for a in "${allocators[@]}"; do
    md_row "$a" "$(mops "$a" local 1)" "$(mops "$a" local 2)" "$(mops "$a" local 4)" \
      "$(mops "$a" handoff 2)" "$(mops "$a" handoff 4)"
  done
  for a in poolheap poolheap_nostats; do
    md_row "$a, one heap per thread" "$(mops $a private 1)" "$(mops $a private 2)" "$(mops $a private 4)" - -
  done
}

# headline_table: poolheap against each competitor (> 1 means poolheap is
# slower for latencies, faster for throughput).
headline_table() {
  local a p=poolheap
  md_row competitor "pair median: poolheap / it" "alloc p99.99/median: poolheap, it" \
    "drained alloc p99.99/median: poolheap, it" "2 threads: poolheap / it" "handoff 2 threads: poolheap / it"
  md_row --- ---: ---: ---: ---: ---:
  for a in "${allocators[@]}"; do
    [ "$a" = poolheap ] && continue
    md_row "$a" "$(ratio "$(pair_median $p)" "$(pair_median "$a")")" \
      "$(lat $p alloc program tail_ratio), $(lat "$a" alloc program tail_ratio)" \
      "$(lat $p alloc drained tail_ratio), $(lat "$a" alloc drained tail_ratio)" \
      "$(ratio "$(mops $p local 2)" "$(mops "$a" local 2)")" "$(ratio "$(mops $p handoff 2)" "$(mops "$a" handoff 2)")"
  done
}

# verdict VALUE LIMIT: "met" if VALUE < LIMIT, "missed" otherwise.
verdict() {
  if [ "$1" = - ] || [ "$2" = - ]; then echo "not measured"; return; fi
  awk -v v="$1" -v l="$2" 'BEGIN { print (v < l) ? "met" : "missed" }'
}

targets_section() {
  local a pair_ratio
  cat <<EOF
## Targets

| target | variant | measured | verdict |
| --- | --- | ---: | --- |
EOF
  for a in poolheap poolheap_nostats; do
    pair_ratio=$(ratio "$(pair_median $a)" "$(pair_median mimalloc)")
    md_row "alloc+free pair median within 1.5x of mimalloc's" "$a" "${pair_ratio}x" "$(verdict "$pair_ratio" 1.5)"
  done
  local mode op tail
  for mode in program drained; do
    for a in poolheap poolheap_nostats; do
      for op in alloc free; do
        tail=$(lat $a $op $mode tail_ratio)
        md_row "p99.99 / median under 3 ($op, $mode)" "$a" "$tail" "$(verdict "$tail" 3)"
      done
    done
  done
  echo
  echo "\"program\": as a program sees the operations; \"drained\": the allocator's own work (section 1)."
  echo "Why targets are missed, and the measured changes that would meet them: the analysis at the end."
}

# plot_latency MODE: img/bench-latency-MODE.png from the middle run.
plot_latency() {
  local files="" titles="" a
  for a in "${allocators[@]}"; do
    files="$files $raw/ccdf-$a-$middle_run-$1.dat"
    titles="$titles $a"
  done
  gnuplot -e "out='$img_dir/bench-latency-$1.png'; files='$files'; titles='$titles'" \
    -e "timer='$raw/ccdf-poolheap-$middle_run-$1.dat'" bench/plot-latency.gp
}

plot_scaling() {
  local pattern threads a
  for pattern in local handoff; do
    {
      printf 'threads'
      printf ' %s' "${allocators[@]}"
      [ $pattern = local ] && printf ' %s-heap-per-thread' poolheap poolheap_nostats
      printf '\n'
      for threads in 1 2 4; do
        [ "$pattern" = handoff ] && [ $threads = 1 ] && continue
        printf '%s' $threads
        for a in "${allocators[@]}"; do printf ' %s' "$(mops "$a" $pattern $threads)"; done
        [ $pattern = local ] && printf ' %s' "$(mops poolheap private $threads)" "$(mops poolheap_nostats private $threads)"
        printf '\n'
      done
    } >"$raw/scaling-$pattern.dat"
  done
  gnuplot -e "out='$img_dir/bench-scaling.png'; local='$raw/scaling-local.dat'; handoff='$raw/scaling-handoff.dat'" \
    -e "dashed=$((${#allocators[@]} + 2))" bench/plot-scaling.gp
}

# md_cell FILE LABEL N [LABEL2]: field N of the Markdown table row of FILE
# whose first cell is LABEL (and second LABEL2, if given); "-" if none.
md_cell() {
  awk -F '|' -v label="$2" -v n="$3" -v label2="${4:-}" '
    function trim(x) { gsub(/^ +| +$/, "", x); return x }
    trim($2) == label && (label2 == "" || trim($3) == label2) { print trim($(n + 1)); found = 1; exit }
    END { if (!found) print "-" }' "$1"
}

cortex_section() {
  local sizes=docs/code-size.md counts=docs/instruction-counts.md
  echo "## 4. Cortex-M"
  echo
  if [ ! -f $sizes ] || [ ! -f $counts ]; then
    echo "The Cortex-M figures (docs/code-size.md, docs/instruction-counts.md) are not written yet."
    return
  fi
  cat <<EOF
From the Cortex-M pages, which have the method and every core: [code size](code-size.md) (the
allocator's own functions, and the \`.text\` linked, for alloc + realloc + free, \`-Os\`) and
[instructions per operation](instruction-counts.md) (exact counts in QEMU, a random workload of
3000 operations, sizes 4 to 298 bytes). Cortex-M3:

| allocator | own code bytes | linked bytes | alloc instructions: median (max) | free instructions: median (max) |
| --- | ---: | ---: | ---: | ---: |
EOF
  local row label size_label count_label alloc_op
  # row: label|its name in code-size.md|in instruction-counts.md|its allocation
  for row in "poolheap, default build|poolheap, default build|poolheap, default build|alloc" \
    "poolheap, POOLHEAP_STATS=0|poolheap, POOLHEAP_STATS=0|poolheap, POOLHEAP_STATS=0|alloc" \
    "o1heap v2.2|o1heap v2.2, realloc on its API|o1heap v2.2|malloc" \
    "FreeRTOS heap_4|FreeRTOS heap_4, realloc on its API|FreeRTOS heap_4|malloc" \
    "TLSF|TLSF|TLSF|malloc" "newlib|newlib malloc|newlib malloc|malloc" \
    "newlib-nano|newlib-nano malloc|newlib-nano malloc|malloc"; do
    IFS='|' read -r label size_label count_label alloc_op <<<"$row"
    alloc_op="$alloc_op, random workload"
    md_row "$label" "$(md_cell $sizes "$size_label" 4)" "$(md_cell $sizes "$size_label" 5)" \
      "$(md_cell $counts "$count_label" 4 "$alloc_op") ($(md_cell $counts "$count_label" 5 "$alloc_op"))" \
      "$(md_cell $counts "$count_label" 4 "free, random workload") ($(md_cell $counts "$count_label" 5 "free, random workload"))"
  done
}

write_report() {
  local plots=0
  if command -v gnuplot >/dev/null; then
    plot_latency program && plot_latency drained && plot_scaling && plots=1
  fi
  {
    cat <<EOF
# Benchmarks

Generated by \`scripts/bench\` (the whole run: build, $runs alternating runs of
every program, this page and its plots; about five minutes). \`scripts/bench
--smoke\` runs everything tiny, as the ctest test \`bench_smoke\` does. Do not
edit this page by hand: the analysis at the end comes from
[benchmarks/analysis.md](benchmarks/analysis.md), and \`scripts/bench
--report-only\` writes the page again from the last run's results.

Competitors: glibc malloc, mimalloc (through \`mi_malloc\`/\`mi_free\`),
jemalloc and tcmalloc (linked into their own program, where they replace
malloc), and poolheap with its statistics on (\`poolheap\`, the default build)
and off (\`poolheap_nostats\`, \`POOLHEAP_STATS=0\`). Each benchmark is one
program per allocator (bench/), run back to back with the others, $runs times,
the starting allocator rotating.

EOF
    echo "## Headline: poolheap (statistics on) against each competitor"
    echo
    headline_table
    echo
    echo "Pair median: median alloc plus median free, as a program sees them (section 1). Memory, for"
    echo "the real workloads: the heap \`poolheap tune --pools 8\` needs over the trace's peak live"
    echo "bytes: $(memory_summary) (section 3)."
    echo
    targets_section
    echo
    cat <<EOF
## 1. Latency of single operations

\`bench/latency.c\`: $latency_ops random steps in a steady state of about
2048 live blocks (4096 slots; a full slot is freed, an empty one allocated),
sizes 1 to 2048 bytes in eight equally likely classes (1-16, 17-32, ...,
1025-2048, uniform within a class: one per poolheap pool), each operation
timed alone with rdtsc between lfences, the timer's cost subtracted; pinned
to one CPU; $((latency_ops / 10)) untimed steps first. poolheap's heap has the eight pools
16 ... 2048 bytes with 4096 blocks each (it can never run out).

EOF
    latency_tables
    echo
    [ $plots = 1 ] && printf '![Latency tails, as a program sees them](%s/bench-latency-program.png)\n\n' "$img_link"
    drained_table
    echo
    [ $plots = 1 ] && printf '![Latency tails, stores drained](%s/bench-latency-drained.png)\n\n' "$img_link"
    cat <<EOF
### What the operations are made of

\`bench/memory_costs.c\` times the primitives poolheap's hot paths execute,
alone, pinned like the latency runs, with random lines of a 64 MiB buffer
standing for blocks that are not in cache (ns, median over the runs):

EOF
    costs_table
    echo
    cat <<EOF
Pair median (median alloc + median free) in ns:
$(for a in "${allocators[@]}"; do printf '%s %s, ' "$a" "$(pair_median "$a")"; done | sed 's/, $//').

## 2. Throughput and scaling

Millions of operations (allocations plus frees) per second, wall time.
\`bench/throughput.c\`: each thread runs the latency steps untimed on its
own 1024 slots, $thread_ops steps per thread. \`bench/handoff.c\`: pairs of a
producer that allocates and a consumer that frees, through a 256-entry ring,
$((thread_ops / 5)) blocks per pair.
Thread i is pinned to CPU i mod $(nproc): with 4 threads two share each CPU.
All threads of a poolheap run share one heap, except in the rows "one heap
per thread" (\`--heap-per-thread 1\`: each thread its own heap of the same
layout, poolheap's way to scale when blocks stay with their thread).

EOF
    throughput_table
    echo
    [ $plots = 1 ] && printf '![Scaling](%s/bench-scaling.png)\n\n' "$img_link"
    workloads_section
    echo
    cortex_section
    echo
    machine_section
    echo
    if [ -f docs/benchmarks/analysis.md ]; then
      sed '1s/^# /## /' docs/benchmarks/analysis.md
    fi
  } >"$doc"
}
