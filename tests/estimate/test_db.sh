#!/bin/sh
# End-to-end: `ctip estimate DB` and `ctip link overlaps DB` on a demo
# database with person keys. The capture histories are checked against an
# independent count made with Python's sqlite3 over the same database
# (persons by key, else by their own record; agencies of one country).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check NAME EXPECTED_STATUS ACTUAL_STATUS
	if [ "$2" != "$3" ]; then echo "FAIL $1: exit status $3, expected $2"; cat "$tmp/err"; fail=1; else echo "ok $1"; fi
}
grep_ok() { # grep_ok NAME PATTERN FILE
	if grep -q -- "$2" "$3"; then echo "ok $1"; else echo "FAIL $1: no '$2' in:"; cat "$3"; fail=1; fi
}

db=$tmp/demo.db
"$CTIP" demo "$db" --cases 600 --seed 3 --with-keys --today 2025-06-30 >/dev/null 2>"$tmp/err"
check "demo" 0 $?
# one record without a key: it must count as a person of its own
sqlite3 "$db" "UPDATE person SET person_key = NULL WHERE id = (SELECT p.id FROM person p
  JOIN case_ c ON c.id = p.case_id JOIN agency a ON a.id = c.agency_id
  WHERE p.role = 'victim' AND a.country = 'DEU' ORDER BY p.id LIMIT 1)" || fail=1

"$CTIP" link overlaps "$db" --lists agency --country DEU --by year,sex -o "$tmp/h.csv" 2>"$tmp/err"
check "link overlaps DB" 0 $?
python3 - "$db" "$tmp/h.csv" <<'PY' || fail=1
import csv, sqlite3, sys
from collections import Counter, defaultdict
db = sqlite3.connect(sys.argv[1])
rows = db.execute("""SELECT coalesce(p.person_key, 'r:' || p.uuid), a.name, c.year, coalesce(p.sex, 'unknown')
  FROM person p JOIN case_ c ON c.id = p.case_id JOIN agency a ON a.id = c.agency_id
  WHERE p.role = 'victim' AND a.country = 'DEU'""").fetchall()
lists = sorted({r[1] for r in rows})
seen = defaultdict(set)
for key, agency, year, sex in rows:
    seen[(str(year), sex, key)].add(agency)
want = Counter()
for (year, sex, key), ags in seen.items():
    want[(year, sex) + tuple('1' if l in ags else '0' for l in lists)] += 1
got = {}
with open(sys.argv[2], newline='') as f:
    r = csv.reader(f)
    head = next(r)
    assert head == ['year', 'sex'] + lists + ['count'], head
    for row in r:
        got[tuple(row[:-1])] = int(row[-1])
assert got == dict(want), (sorted(got.items())[:5], sorted(want.items())[:5])
assert sum(got.values()) > 100
print('ok histories match an independent count (%d persons, %d cells)' % (sum(got.values()), len(got)))
PY

# estimate per year: one result per stratum, the same histories written
"$CTIP" estimate "$db" --lists agency --country DEU --by year --interval wald --format json \
	--histories-out "$tmp/hy.csv" >"$tmp/out.json" 2>"$tmp/err"
check "estimate DB by year" 0 $?
"$CTIP" link overlaps "$db" --lists agency --country DEU --by year -o "$tmp/hy2.csv" 2>"$tmp/err"
cmp -s "$tmp/hy.csv" "$tmp/hy2.csv" && echo "ok same histories" || { echo "FAIL histories differ"; fail=1; }
python3 - "$db" "$tmp/out.json" <<'PY' || fail=1
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
years = sorted(str(y) for (y,) in db.execute("""SELECT DISTINCT c.year FROM person p
  JOIN case_ c ON c.id = p.case_id JOIN agency a ON a.id = c.agency_id
  WHERE p.role = 'victim' AND a.country = 'DEU'"""))
a = json.load(open(sys.argv[2]))
assert [o['stratum']['year'] for o in a] == years, [o['stratum'] for o in a]
with_est = [o for o in a if o['estimate'] is not None]
assert with_est, 'no stratum has an estimate'
for o in a:
    assert (o['estimate'] is None) == ('reason' in o)
    if o['estimate'] is not None:
        assert o['estimate'] >= o['n_obs'] and o['interval']['method'] == 'wald'
print('ok %d strata, %d with an estimate' % (len(a), len(with_est)))
PY

# the whole country, text report, French
LANGUAGE=fr "$CTIP" estimate "$db" --lists agency --country DEU --interval wald >"$tmp/out" 2>"$tmp/err"
check "estimate DB text" 0 $?
grep_ok "estimate DB text French" "victimes" "$tmp/out"

# no result: every agency of six countries (more than 12 lists), a
# country without records; usage: an unknown kind of list, a bad stratum
"$CTIP" estimate "$db" --lists agency --interval wald >"$tmp/out" 2>"$tmp/err"
check "too many lists" 4 $?
grep_ok "too many lists message" "more than 12 lists" "$tmp/err"
"$CTIP" estimate "$db" --lists agency --country FRA >"$tmp/out" 2>"$tmp/err"
check "no records" 4 $?
"$CTIP" link overlaps "$db" --lists agency --country FRA -o "$tmp/x.csv" 2>"$tmp/err"
check "overlaps no records" 4 $?
"$CTIP" estimate "$db" --lists colour >"$tmp/out" 2>"$tmp/err"
check "unknown lists" 1 $?
"$CTIP" link overlaps "$db" --lists agency --by colour -o "$tmp/x.csv" 2>"$tmp/err"
check "unknown stratum" 1 $?
"$CTIP" link overlaps "$db" -o "$tmp/x.csv" 2>"$tmp/err"
check "overlaps without --lists" 1 $?

exit $fail
