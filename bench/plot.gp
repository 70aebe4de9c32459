# Median time against package count, one panel per comparison, one line per tool.
# Usage: gnuplot -e "data='PLOT-DATA'; out='bench/time-vs-packages.png'" bench/plot.gp
# PLOT-DATA is what `bench/compare.py --plot-data` writes: blocks audit, sbom, check, licenses,
# each with columns packages, secgate ms, incumbent ms.
set terminal pngcairo size 1400,1000 font "sans,11"
set output out
set datafile separator "\t"
set multiplot layout 2,2 title "secgate against the incumbents: median time (lower is better)"
# Incumbents take 2 to 200 times longer than secgate here: a linear axis would flatten
# secgate's line onto zero.
set logscale y
set format y "%g"
set xlabel "packages in Cargo.lock"
set ylabel "median time (ms, log scale)"
set key top left
set grid
set style line 1 lw 2 pt 7 lc rgb "#1b7837"
set style line 2 lw 2 pt 5 lc rgb "#b2182b" dt 2

set title "audit"
plot data index 0 using 1:2 with linespoints ls 1 title "secgate audit", \
     data index 0 using 1:3 with linespoints ls 2 title "cargo audit"
set title "sbom"
plot data index 1 using 1:2 with linespoints ls 1 title "secgate sbom", \
     data index 1 using 1:3 with linespoints ls 2 title "syft"
set title "check"
plot data index 2 using 1:2 with linespoints ls 1 title "secgate check", \
     data index 2 using 1:3 with linespoints ls 2 title "cargo deny check"
set title "licences"
plot data index 3 using 1:2 with linespoints ls 1 title "secgate licenses", \
     data index 3 using 1:3 with linespoints ls 2 title "cargo deny check licenses"
unset multiplot
