#!/bin/sh
# End-to-end: `ctip link dedupe DB` on a demo database, as a deployment's
# nightly run drives it (docs/linkage.md "Database"): duplicates queued for
# review, counts only on the terminal, a second run adds nothing, French
# messages, and a run killed half-way leaves the database as it was.
. "$CT_SOURCE_DIR/tests/cli/lib.sh"

expect_status 0 "$CTIP" demo t.db --cases 300 --seed 5 --today 2025-06-30 --truth truth.csv
cp t.db clean.db
expect_status 0 "$CTIP" link dedupe t.db -o out
expect_in out "suspected duplicates:"
queued=$(sed -n 's/^suspected duplicates: [0-9]* (\([0-9]*\) new in the review queue.*/\1/p' out)
[ "${queued:-0}" -gt 20 ] || fail "too few duplicates queued: $(cat out)"
# no personal data on the terminal: no name of any victim
sqlite3 t.db "SELECT given_name FROM person WHERE role = 'victim' AND given_name IS NOT NULL LIMIT 40" >names
while read -r name; do
	grep -qF -- "$name" out && fail "the report shows a name"
done <names
expect_in out.pairs.csv "id_a,id_b,probability,explanation"
expect_in out.pairs.csv "given_name:"
expect_in out.clusters.csv "id,cluster"
[ "$(($(wc -l <out.clusters.csv) - 1))" -eq "$(sqlite3 t.db "SELECT count(*) FROM link_state")" ] ||
	fail "the clusters file does not list every linked victim"
expect_status 0 "$CTIP" review list t.db --kind duplicate_person
[ "$(wc -l <out)" -eq "$queued" ] || fail "the queue holds $(wc -l <out) items, $queued reported"
expect_in out '"evidence":[{"field":"given_name"'

# pairwise precision and recall of the queue against the demo truth
sqlite3 t.db "SELECT a_uuid || ',' || b_uuid FROM review_item WHERE kind = 'duplicate_person'" >items
sqlite3 t.db "SELECT uuid FROM person WHERE role = 'victim'" >victims
scores=$(awk -F, 'FILENAME == "truth.csv" { who[$1] = $2; next }
	FILENAME == "victims" { n[who[$1]]++; next }
	{ items++; if (who[$1] == who[$2]) right++ }
	END { for (p in n) pairs += n[p] * (n[p] - 1) / 2; printf "%d %d %d", items, right, pairs }' \
	truth.csv victims items)
set -- $scores
echo "queue: $1 items, $2 true duplicates, $3 true pairs among the victims"
# measured: 114 items, 92 right (precision 0.81), 105 true pairs (recall 0.88)
[ $(($2 * 100)) -ge $(($1 * 75)) ] || fail "precision below 0.75: $scores"
[ $(($2 * 100)) -ge $(($3 * 85)) ] || fail "recall below 0.85: $scores"

# a second run: nothing new
expect_status 0 "$CTIP" link dedupe t.db
expect_in out "nothing new to link"
expect_status 0 "$CTIP" review list t.db --kind duplicate_person
[ "$(wc -l <out)" -eq "$queued" ] || fail "the second run changed the queue"
LANG=fr_FR.UTF-8 expect_status 0 "$CTIP" link dedupe t.db
expect_in out "rien de nouveau à relier"
expect_status 1 "$CTIP" link dedupe t.db --threshold 1.5
expect_in err "strictly between 0 and 1"

# confirm one from the command line: both records get one key; undo restores none
expect_status 0 "$CTIP" review list t.db --kind duplicate_person --limit 1
item=$(sed -n '1s/^{"id":"\([^"]*\)".*/\1/p' out)
expect_status 0 "$CTIP" review decide t.db "$item" confirm --reason "same passport photo"
keys=$(sqlite3 t.db "SELECT count(DISTINCT p.person_key), count(p.person_key) FROM review_item i
	JOIN person p ON p.uuid IN (i.a_uuid, i.b_uuid) WHERE i.uuid = '$item'")
[ "$keys" = "1|2" ] || fail "a confirmed duplicate did not give one key: $keys"
expect_status 0 "$CTIP" review decide t.db "$item" undo
keys=$(sqlite3 t.db "SELECT count(p.person_key) FROM review_item i
	JOIN person p ON p.uuid IN (i.a_uuid, i.b_uuid) WHERE i.uuid = '$item'")
[ "$keys" = "0" ] || fail "undo did not restore the keys: $keys"
expect_status 0 "$CTIP" audit verify t.db

# killed half-way: nothing changed; the next run does all of it
"$CTIP" link dedupe clean.db >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ "$(sqlite3 clean.db "PRAGMA integrity_check")" = "ok" ] || fail "integrity check after a kill"
n=$(sqlite3 clean.db "SELECT count(*) FROM review_item")
s=$(sqlite3 clean.db "SELECT count(*) FROM link_state")
{ [ "$n" -eq 0 ] && [ "$s" -eq 0 ]; } || { [ "$n" -eq "$queued" ] && [ "$s" -gt 0 ]; } ||
	fail "a killed run left part of its work: $n items, $s states"
expect_status 0 "$CTIP" link dedupe clean.db
[ "$(sqlite3 clean.db "SELECT count(*) FROM review_item")" -eq "$queued" ] ||
	fail "the run after a kill queued a different number of items"
finish
