#!/bin/sh
# bench/stats: all GLOTIP tables over N cases (default 1,000,000) against the
# same groupings as plain SQL GROUP BY run by the sqlite3 shell on the same
# database in the same run (target: ctip <= 1.5x); then the anonymised CTDC
# export of every victim (target < 30 s) with its peak memory.
# Usage: bench/stats/run.sh BUILDDIR [N]   (the database is cached in BUILDDIR)
set -eu
build=${1:-build-bench}
n=${2:-${CT_BENCH_CASES:-1000000}}
here=$(cd "$(dirname "$0")" && pwd)
ctip="$build/ctip"
db="$build/bench-stats-$n.ctip"
now() { date +%s.%N; }
if [ ! -f "$db" ]; then
	echo "generating $n cases (bench/stats/gen_cases.c) and importing them"
	"$ctip" init "$db" --agency Home >/dev/null
	for a in "Police nationale" Gendarmerie "NGO Accueil" "Inspection du travail"; do
		"$ctip" agency add "$db" "$a" --type ngo --country FRA >/dev/null
	done
	"$build/bench/stats/bench_gen_cases" "$n" >"$db.jsonl"
	t0=$(now)
	"$ctip" import "$db" "$db.jsonl"
	echo "import: $(echo "$(now) - $t0" | bc) s"
	rm -f "$db.jsonl"
fi
echo "target: ctip <= 1.5 x sqlite3 GROUP BY; CTDC export < 30 s"
# warm the page cache once so neither side pays for the first read
cat "$db" >/dev/null
out=$("$build/bench/stats/bench_stats" "$db")
echo "$out"
t0=$(now)
sqlite3 -readonly "$db" <"$here/glotip.sql"
sql=$(echo "$(now) - $t0" | bc)
ctip_s=$(echo "$out" | sed -n 's/^ctip_seconds \([0-9.]*\).*/\1/p')
echo "sqlite3_group_by_seconds $sql"
echo "ratio $(echo "scale=2; $ctip_s / $sql" | bc)"
/usr/bin/time -f "ctdc_export_seconds %e peak_rss_kib %M" \
	"$ctip" export "$db" --format ctdc -o /dev/null
