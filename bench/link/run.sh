#!/bin/sh
# Record linkage benchmarks (docs/bench.md "link"): accuracy on the shared
# data sets, the string and Dice kernels, and a 1,000,000-record dedupe.
# Each figure is printed beside its anchor. The machine is shared: the load
# average is printed first, and kernel rates use CPU time.
# Usage: bench/link/run.sh BUILDDIR   (N=1000000 by default; N=... to change)
set -eu
build=${1:-build-bench}
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$build/bench/link/bench_link
ctip=$build/ctip
data=${CT_DATASETS:-$top/../shared/datasets}
n=${N:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "load: $(uptime)"
echo "-- accuracy (threshold 0.5 one-to-one for links, 0.9 components for dedupe)"
"$bin" accuracy "$data" "$top/data/link/febrl-schema.json"
echo "-- kernels"
"$bin" jw "$data"
"$bin" dice
echo "-- dedupe of $n synthetic person records (bench/link/pool.h; 'ctip demo --truth' later)"
"$bin" gen "$n" "$tmp/in.csv" "$tmp/truth.csv"
/usr/bin/time -f "wall %e s, user %U s, system %S s, peak memory %M KiB" \
	"$ctip" link dedupe "$tmp/in.csv" -o "$tmp/out" --threads 2
"$bin" score "$tmp/out.clusters.csv" "$tmp/truth.csv"
echo "anchor: Splink, 'a million records on a laptop in around a minute'; target: < 60 s on 2 cores"
echo "load: $(uptime)"
