# Real workloads: sourced by scripts/bench; defines run_workloads and
# workloads_section.

run_workloads() {
  : >"$raw/workloads.txt"
}

workloads_section() {
  echo "## 3. Real workloads"
  echo
  echo "Not measured yet."
}
