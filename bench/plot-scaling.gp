# Scaling: millions of operations per second against threads, per allocator,
# for the local and the handoff (producer/consumer) patterns. Called by
# bench/report.sh with out (PNG path), local and handoff (data files with a
# header row "threads ALLOCATOR...", then one row per thread count) and
# dashed: the first column of the local file's one-heap-per-thread series,
# drawn dashed.
set terminal pngcairo size 1400,640 font "sans,11" noenhanced
set output out
set multiplot layout 1,2
set grid
set key below autotitle columnhead
set xlabel "threads (2 CPUs)"
set ylabel "million operations per second"
set xtics (1, 2, 4)
set xrange [0.8:4.2]
set yrange [0:*]
set title "each thread allocates and frees its own blocks"
plot for [c = 2:dashed - 1] local using 1:c with linespoints lw 2 pt 7, \
     for [c = dashed:*] local using 1:c with linespoints lw 2 pt 6 dt 2 lc (c - dashed + 1)
set title "producer/consumer pairs: blocks freed by another thread"
plot for [c = 2:*] handoff using 1:c with linespoints lw 2 pt 7
unset multiplot
