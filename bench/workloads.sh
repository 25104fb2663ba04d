# shellcheck shell=bash disable=SC2154  # sourced by scripts/bench, which sets the variables
# Real workloads: sourced by scripts/bench (whose variables it uses);
# defines run_workloads and workloads_section.
#
# Each workload is a real program run once on this machine under the trace
# recorder (LD_PRELOAD=libpoolheap_record.so, docs/tracing.md): sqlite3 on
# bench/workloads/sqlite.sql, jq on bench/workloads/jq.jq, lua5.4 on
# bench/workloads/lua.lua and bench_messages (bench/messages.c). For each
# trace, `poolheap tune --pools 8` proposes a heap; every allocator then
# replays the trace (bench/replay.c), poolheap in that heap.

recorder=$build_dir/tools/preload/libpoolheap_record.so
tool=$build_dir/tools/poolheap/poolheap
workloads=()

# record NAME COMMAND...: runs COMMAND under the recorder into raw/NAME.trace.
record() {
  local name=$1
  shift
  if POOLHEAP_TRACE="$raw/$name.trace" LD_PRELOAD="$recorder" "$@" >/dev/null && [ -s "$raw/$name.trace" ]; then
    workloads+=("$name")
  else
    echo "bench: recording $name failed" >&2
    exit 1
  fi
}

record_all() {
  local n
  if command -v sqlite3 >/dev/null; then
    n=$((smoke ? 500 : 50000))
    record sqlite3 sqlite3 :memory: -cmd ".parameter set @n $n" <bench/workloads/sqlite.sql
  fi
  if command -v jq >/dev/null; then
    n=$((smoke ? 200 : 20000))
    jq -n --argjson n $n -f bench/workloads/jq-input.jq >"$raw/jq-input.json"
    record jq jq -c -f bench/workloads/jq.jq "$raw/jq-input.json"
  fi
  if command -v lua5.4 >/dev/null; then
    record lua5.4 lua5.4 bench/workloads/lua.lua $((smoke ? 1000 : 200000))
  fi
  record messages "$bin/bench_messages" --messages $((smoke ? 100 : 5000))
}

# tuned_layout NAME: "BLOCKxCAPACITY,..." from `poolheap tune --pools 8`.
tuned_layout() {
  "$tool" tune "$raw/$1.trace" --pools 8 >"$raw/$1.toml" 2>"$raw/$1.tune.log"
  sed -n 's/.*block = \([0-9]*\), capacity = \([0-9]*\).*/\1x\2/p' "$raw/$1.toml" | paste -sd, -
}

run_workloads() {
  [ -z "$workloads_missing" ] || return 0
  if [ ! -f "$recorder" ] || [ ! -x "$bin/bench_replay_glibc" ]; then
    workloads_missing="the trace recorder or the replay program is not built"
    return 0
  fi
  if ! "$tool" tune --help >/dev/null 2>&1; then
    workloads_missing="\`poolheap tune\` is not available"
    return 0
  fi
  log "real workloads: recording"
  record_all
  local name layout
  for name in "${workloads[@]}"; do
    layout=$(tuned_layout "$name")
    if [ -z "$layout" ]; then
      echo "bench: poolheap tune found no layout for $name (see $raw/$name.toml)" >&2
      exit 1
    fi
    echo "$name $layout" >>"$raw/layouts.log"
    log "real workloads: replaying $name"
    run_all replay "" --trace "$raw/$name.trace" --name "$name" --layout "$layout" --events "$replay_events"
  done
}

# layout_bytes LAYOUT: the sum of block * capacity.
layout_bytes() {
  tr ',' '\n' <<<"$1" | awk -F x '{ sum += $1 * $2 } END { print sum }'
}

# memory_summary: "NAME RATIO, ..." of tuned heap over peak live bytes.
memory_summary() {
  [ -z "$workloads_missing" ] || { echo "not measured"; return; }
  local name layout
  while read -r name layout; do
    printf '%s %sx, ' "$name" "$(ratio "$(layout_bytes "$layout")" "$(med "replay allocator=poolheap workload=$name" peak_live_bytes)")"
  done <"$raw/layouts.log" | sed 's/, $//'
}

workloads_section() {
  echo "## 3. Real workloads"
  echo
  if [ -n "$workloads_missing" ]; then
    echo "Not measured: $workloads_missing."
    return
  fi
  cat <<EOF
Traces recorded on this machine with \`LD_PRELOAD=libpoolheap_record.so\`
from sqlite3 (an in-memory table of orders, indexed, aggregated, updated and
pruned: bench/workloads/sqlite.sql), jq (filter, reshape and group an array
of records: bench/workloads/jq.jq), lua5.4 (strings built, sorted and
scanned, small tables churned: bench/workloads/lua.lua) and a cJSON-style
message workload (bench/messages.c: documents built as trees, printed,
parsed back, queued). Each allocator replays each trace (bench/replay.c) as
many times as it takes to reach $replay_events events; every new block's
first byte is written. poolheap replays in the heap \`poolheap tune --pools 8\`
proposes for the trace.

### Memory: the heap poolheap needs

| workload | events | peak live bytes (requested) | tuned heap (8 pools) | heap / peak live | replay failures |
| --- | ---: | ---: | ---: | ---: | ---: |
EOF
  local name layout id heap peak
  while read -r name layout; do
    id="replay allocator=poolheap workload=$name"
    heap=$(layout_bytes "$layout")
    peak=$(med "$id" peak_live_bytes)
    md_row "$name" "$(med "$id" events)" "$peak" "$heap" "$(ratio "$heap" "$peak")" "$(med "$id" failures)"
  done <"$raw/layouts.log"
  echo
  echo "The tuned layouts (block x capacity):"
  echo
  while read -r name layout; do
    echo "- $name: \`${layout//,/ }\`"
  done <"$raw/layouts.log"
  echo
  echo "### Time per event (ns, median over the runs)"
  echo
  local header=(workload) rule=(---) a
  for a in "${allocators[@]}"; do
    header+=("$a")
    rule+=(---:)
  done
  md_row "${header[@]}"
  md_row "${rule[@]}"
  while read -r name layout; do
    local row=("$name")
    for a in "${allocators[@]}"; do
      row+=("$(med "replay allocator=$a workload=$name" ns_per_event)")
    done
    md_row "${row[@]}"
  done <"$raw/layouts.log"
}
