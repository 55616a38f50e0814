#!/bin/sh
# Full stepwise + 1,000-replicate BCa on UKdat (6 lists) and NewOrl (8 lists),
# printed beside the anchors of issue 5. Usage: bench/estimate/run.sh BUILDDIR
set -eu
build=${1:-build-bench}
data=${CT_DATASETS:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/datasets}/mse
echo "anchor: R SparseMSE on this machine ~2 min (NewOrl_5), ~20 min (NewOrl);"
echo "target: < 1 s UKdat, < 5 s NewOrl on 2 cores"
"$build/bench/estimate/bench_estimate" --threads 2 --bootstrap 1000 \
	"$data/UKdat.csv" "$data/UKdat_5.csv" "$data/NewOrl_5.csv" "$data/NewOrl.csv" \
	"$data/Ned.csv" "$data/Western.csv"
