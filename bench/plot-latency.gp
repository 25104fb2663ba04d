# Latency tails: for alloc and for free, the share of operations at least as
# slow as x, per allocator, log-log. Called by bench/report.sh with
# out (PNG path), files and titles (space-separated, one per allocator) and
# timer (one of the files); each file holds bench_write_ccdf's data sets:
# index 0 alloc, 1 free, 2 the timer alone (drawn dashed, from `timer`).
set terminal pngcairo size 1400,560 font "sans,11" noenhanced
set output out
set multiplot layout 1,2
set logscale xy
set grid
set format y "1e%T"
set xlabel "latency (ns, timer overhead subtracted)"
set ylabel "share of operations at least this slow"
set key top right
set xrange [1:*]
do for [op = 0:1] {
    set title (op == 0 ? "alloc" : "free")
    plot for [i = 1:words(files)] word(files, i) index op using ($1 < 1 ? 1 : $1):2 with steps lw 2 title word(titles, i), \
         timer index 2 using ($1 < 1 ? 1 : $1):2 with steps lw 1 dt 2 lc rgb "black" title "timer alone (noise floor)"
}
unset multiplot
