#!/bin/sh
# End-to-end: `ctip estimate` as a user runs it (exit statuses, JSON shape,
# French text). Needs $CTIP, $CT_DATASETS; uses jq-free checks (python3).
set -u
D=$CT_DATASETS/mse
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check NAME EXPECTED_STATUS ACTUAL_STATUS
	if [ "$2" != "$3" ]; then echo "FAIL $1: exit status $3, expected $2"; fail=1; else echo "ok $1"; fi
}
grep_ok() { # grep_ok NAME PATTERN FILE
	if grep -q -- "$2" "$3"; then echo "ok $1"; else echo "FAIL $1: no '$2' in:"; cat "$3"; fail=1; fi
}

"$CTIP" estimate "$D/UKdat_5.csv" --interval wald >"$tmp/out" 2>"$tmp/err"
check "text estimate" 0 $?
grep_ok "text estimate value" "11,313 victims in all" "$tmp/out"
grep_ok "text overlap table" "LA + NG" "$tmp/out"

"$CTIP" estimate "$D/UKdat_5.csv" --format json --bootstrap 50 --seed 3 \
	--replicates "$tmp/reps.csv" >"$tmp/out.json" 2>"$tmp/err"
check "json estimate" 0 $?
python3 - "$tmp/out.json" "$tmp/reps.csv" <<'PY' || fail=1
import csv, json, sys
o = json.load(open(sys.argv[1]))
for k in ("n_obs", "estimate", "hidden", "interval", "model", "overlaps", "warnings"):
    assert k in o, k
assert o["n_obs"] == 2744 and round(o["estimate"]) == 11313
assert abs(o["hidden"] - (o["estimate"] - o["n_obs"])) < 1e-6
iv = o["interval"]
assert iv["method"] == "bca" and iv["level"] == 0.95 and iv["lower"] < o["estimate"] < iv["upper"]
m = o["model"]
assert [t["term"] for t in m["terms"]][:2] == ["LA:NG", "NG:GP"], m["terms"]
assert all(0 <= t["p"] < 0.02 for t in m["terms"])
for k in ("empty_overlaps", "deviance", "df", "aic"):
    assert k in m, k
assert ["LA", "NG", 15] in o["overlaps"]
rows = list(csv.reader(open(sys.argv[2])))
assert rows[0] == ["replicate", "estimate"] and len(rows) == 51, rows[:2]
print("ok json shape")
PY

# Bad input: exit 2, every problem as FILE:LINE: column: reason
printf 'A,B,C,count\n1,0,2,5\n1,1,0,-1\n' >"$tmp/bad.csv"
"$CTIP" estimate "$tmp/bad.csv" >"$tmp/out" 2>"$tmp/err"
check "invalid input" 2 $?
grep_ok "problem line 2" "bad.csv:2: C: '2' is not 0 or 1" "$tmp/err"
grep_ok "problem line 3" "bad.csv:3: count:" "$tmp/err"

# No overlaps: valid input, no estimate: exit 4 with the reason, JSON null
printf 'A,B,C,count\n1,0,0,5\n0,1,0,3\n0,0,1,4\n' >"$tmp/none.csv"
"$CTIP" estimate "$tmp/none.csv" --format json >"$tmp/out" 2>"$tmp/err"
check "no estimate" 4 $?
grep_ok "no estimate null" '"estimate": null' "$tmp/out"
grep_ok "no estimate reason" "no case is on two lists" "$tmp/err"

# Strata: an array; 0 because one stratum has an estimate
{ echo "year,A,B,C,count"; echo "2020,1,0,0,5"; echo "2020,0,1,0,3"; echo "2020,0,0,1,4"
  tail -n +2 "$D/Artificial_3.csv" | sed 's/^/2021,/'; } >"$tmp/strata.csv"
"$CTIP" estimate "$tmp/strata.csv" --format json --interval wald >"$tmp/out" 2>"$tmp/err"
check "strata one estimate" 0 $?
python3 -c "
import json,sys; a=json.load(open('$tmp/out'))
assert isinstance(a, list) and len(a) == 2
assert a[0]['stratum'] == {'year': '2020'} and a[0]['estimate'] is None and a[0]['reason']
assert a[1]['stratum'] == {'year': '2021'} and a[1]['estimate'] > 96
print('ok strata json')" || fail=1
head -4 "$tmp/strata.csv" >"$tmp/strata0.csv"
"$CTIP" estimate "$tmp/strata0.csv" --format json >"$tmp/out" 2>"$tmp/err"
check "strata no estimate" 4 $?

# Database mode (tests/estimate/test_db.sh runs it on a demo database):
# a missing database is an I/O error; a database without --lists and a
# .csv file with database options are usage errors that say why
"$CTIP" estimate "$tmp/ctip.db" --lists agency >"$tmp/out" 2>"$tmp/err"
check "database missing" 1 $?
grep_ok "database missing message" "cannot open the database" "$tmp/err"
"$CTIP" estimate "$tmp/ctip.db" >"$tmp/out" 2>"$tmp/err"
check "database without --lists" 1 $?
grep_ok "database without --lists message" "lists agency" "$tmp/err"
"$CTIP" estimate "$D/UKdat.csv" --by year >"$tmp/out" 2>"$tmp/err"
check "csv with --by" 1 $?
"$CTIP" estimate "$D/UKdat.csv" --method nonsense >"$tmp/out" 2>"$tmp/err"
check "bad method" 1 $?

# French
LANGUAGE=fr "$CTIP" estimate "$D/UKdat_5.csv" --interval wald >"$tmp/out" 2>"$tmp/err"
check "french" 0 $?
grep_ok "french estimate" "11 313 victimes au total" "$tmp/out"
grep_ok "french interval" "intervalle" "$tmp/out"

# AIC with the profile interval; BIC
"$CTIP" estimate "$D/UKdat_4.csv" --method aic --format json >"$tmp/out" 2>"$tmp/err"
check "aic" 0 $?
grep_ok "aic profile" '"method": "profile"' "$tmp/out"
"$CTIP" estimate "$D/Kosovo.csv" --method bic --format json >"$tmp/out" 2>"$tmp/err"
check "bic" 0 $?

[ $fail = 0 ] && echo "estimate cli: all passed"
exit $fail
