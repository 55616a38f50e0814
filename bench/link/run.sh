#!/bin/sh
# Record linkage benchmarks (docs/bench.md "link"): accuracy on the shared
# data sets, the string and Dice kernels, and a 1,000,000-record dedupe of
# `ctip demo` victims, from a file and from the database.
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
echo "-- dedupe of $n victim records of 'ctip demo --victims $n --truth' (file mode, then database mode)"
"$ctip" demo "$tmp/d.db" --victims "$n" --seed 1 --today 2025-06-30 --truth "$tmp/truth.csv" >/dev/null
"$ctip" export "$tmp/d.db" --format csv -o "$tmp/in.csv" 2>/dev/null
# pairwise precision, recall and F1 of a clusters file (id,cluster) against the truth
score() {
	awk -F, 'NR == FNR { if (FNR > 1) who[$1] = $2; next }
	FNR > 1 { c[$2]++; ct[$2 SUBSEP who[$1]]++; t[who[$1]]++; n++ }
	END { for (k in c) pred += c[k] * (c[k] - 1) / 2; for (k in ct) tp += ct[k] * (ct[k] - 1) / 2
	      for (k in t) tru += t[k] * (t[k] - 1) / 2; p = tp / pred; r = tp / tru
	      printf "pairwise precision %.4f recall %.4f F1 %.4f (%d records)\n", p, r, 2 * p * r / (p + r), n }' \
		"$tmp/truth.csv" "$1"
}
/usr/bin/time -f "wall %e s, user %U s, system %S s, peak memory %M KiB" \
	"$ctip" link dedupe "$tmp/in.csv" --map person_id=id -o "$tmp/out" --threads 2
score "$tmp/out.clusters.csv"
echo "-- the same victims in the database: ctip link dedupe DB (review queue, stable clusters), then a second run"
/usr/bin/time -f "wall %e s, user %U s, system %S s, peak memory %M KiB" \
	"$ctip" link dedupe "$tmp/d.db" -o "$tmp/db" --threads 2
score "$tmp/db.clusters.csv"
/usr/bin/time -f "wall %e s (nothing new)" "$ctip" link dedupe "$tmp/d.db" --threads 2 | tail -1
echo "anchor: Splink, 'a million records on a laptop in around a minute'; target: < 60 s on 2 cores"
echo "load: $(uptime)"
