#!/bin/sh
# bench/import (issue 2): 1,000,000 demo victim records exported to ctip's
# flat CSV, then `ctip import` of that file into an empty database against a
# bare loop of prepared inserts into the same tables in one transaction, in
# the same run. Prints each figure beside its target. Also times the demo
# generation itself (target: well under a minute on this 2-core machine).
# Usage: bench/import/run.sh BUILDDIR [RECORDS]
set -eu
build=${1:-build-bench}
records=${2:-1000000}
work="$build/bench-import"
rm -rf "$work"
mkdir -p "$work"
ctip="$(cd "$build" && pwd)/ctip"

echo "demo: ctip demo --victims $records --seed 1 --today 2025-06-30 (target: well under 60 s)"
/usr/bin/time -f "demo:         %e s wall  (CPU %U s user + %S s system, peak memory %M KB)" \
	"$ctip" demo "$work/demo.db" --victims "$records" --seed 1 --today 2025-06-30 2>&1 | sed -n '$p'
"$ctip" export "$work/demo.db" --format csv -o "$work/demo.csv" 2>/dev/null
rm -f "$work/demo.db" "$work/demo.db-wal" "$work/demo.db-shm"
echo "import: ctip import of the flat CSV ($(du -m "$work/demo.csv" | cut -f1) MB) into an empty database"
"$build/bench/import/bench_import" "$ctip" "$work/demo.csv" "$work"
rm -rf "$work"
