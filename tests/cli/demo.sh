#!/bin/sh
# ctip demo and ctip summary as a user drives them: reproducible data
# (byte-identical exports for one seed), valid for the importer in both
# formats, a truth for every person, the refusal to mix demo and real
# records, and the report in English and French.
. "$(dirname "$0")/lib.sh"

expect_status 0 "$CTIP" demo --help
expect_in "$T/out" "--with-keys"

for db in a b; do
	expect_status 0 "$CTIP" demo $db.db --cases 200 --seed 7 --today 2025-06-30 --truth $db.truth.csv
	expect_in "$T/err" "200 demo case(s)"
	expect_status 0 "$CTIP" export $db.db --format jsonl -o $db.jsonl
done
cmp -s a.jsonl b.jsonl || fail "two runs with one seed exported different data"
cmp -s a.truth.csv b.truth.csv || fail "two runs with one seed wrote different truths"
expect_status 0 "$CTIP" demo c.db --cases 200 --seed 8 --today 2025-06-30
expect_status 0 "$CTIP" export c.db --format jsonl -o c.jsonl
cmp -s a.jsonl c.jsonl && fail "another seed gave the same data"

# a truth line for every person of the export, and no date after --today
persons=$(grep -o '"role":"[a-z]*"' a.jsonl | wc -l)
truths=$(($(wc -l <a.truth.csv) - 1))
[ "$persons" -eq "$truths" ] || fail "$persons persons but $truths truth lines"
head -1 a.truth.csv | grep -qx 'person_id,true_person' || fail "truth header: $(head -1 a.truth.csv)"
if grep -oE '"20(2[5-9]|[3-9][0-9])-[0-9-]*"' a.jsonl | grep -vE '"2025(-0[1-5](-[0-9]+)?|-06(-[0-2][0-9]|-30)?)?"' | grep -q .; then
	fail "a date after 2025-06-30: $(grep -oE '"20(2[5-9]|[3-9][0-9])-[0-9-]*"' a.jsonl | sort -u | tail -3)"
fi

# every generated case passes the importer's validation, in both formats
expect_status 0 "$CTIP" validate a.jsonl
expect_in "$T/err" "200 record(s) checked, no problems"
expect_status 0 "$CTIP" export a.db --format csv -o a.csv
expect_status 0 "$CTIP" validate a.csv
# and imports into a fresh database with the same content
expect_status 0 "$CTIP" init r.db
expect_status 0 "$CTIP" import r.db a.jsonl --create-agencies
expect_in "$T/err" "200 new"
expect_status 0 "$CTIP" export r.db --format jsonl -o r.jsonl
strip() { sed 's/"created_at":"[^"]*",//g; s/"updated_at":"[^"]*",//g' "$1"; }
strip a.jsonl >a.stripped
strip r.jsonl >r.stripped
cmp -s a.stripped r.stripped || fail "the demo data changed through export and import"

# --with-keys: person keys are the true persons
expect_status 0 "$CTIP" demo k.db --cases 50 --seed 7 --today 2025-06-30 --with-keys
expect_status 0 "$CTIP" export k.db --format csv -o k.csv
expect_in k.csv ",P0000001,victim"

# demo records never mix with real ones; an empty database is fine
expect_status 1 "$CTIP" demo a.db --cases 10
expect_in "$T/err" "holds cases already"
expect_status 0 "$CTIP" init e.db --agency Coordination
expect_status 0 "$CTIP" demo e.db --victims 30 --summary
expect_in "$T/out" "30 victim(s)"
expect_in "$T/out" "Victims by sex and age"

# usage errors
expect_status 1 "$CTIP" demo x.db
expect_status 1 "$CTIP" demo x.db --cases 10 --seed -3
expect_status 1 "$CTIP" demo x.db --cases 10 --today 2999-01-01
expect_status 1 "$CTIP" demo x.db --cases 10 --today 2020-05
[ -e x.db ] && fail "a refused demo created its database"

# the report, in English and French
expect_status 0 "$CTIP" summary a.db
expect_in "$T/out" "Victims by agency"
expect_in "$T/out" "Polizei Nordstadt, Fachkommissariat Menschenhandel"
expect_status 0 env LANG=fr_FR.UTF-8 "$CTIP" summary a.db
expect_in "$T/out" "Victimes par agence"
expect_in "$T/out" "Exploitation sexuelle"
expect_status 0 env LANG=fr_FR.UTF-8 "$CTIP" demo f.db --cases 5
expect_in "$T/err" "cas de démonstration"
finish
