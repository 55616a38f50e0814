#!/bin/sh
# Crash safety: an import killed with SIGKILL at any moment leaves the
# database intact, holding none or all of that import.
. "$(dirname "$0")/lib.sh"

"$CTIP" init t.db >/dev/null 2>&1 || fail "init"
# one import already in the database must survive untouched
printf '{"source_id":"keep","acts":["transfer"],"persons":[{"age":30}]}\n' >keep.jsonl
"$CTIP" import t.db keep.jsonl 2>/dev/null || fail "first import"

n=20000
awk -v n=$n 'BEGIN { for (i = 0; i < n; i++)
  printf "{\"source_id\":\"S%d\",\"acts\":[\"recruitment\"],\"purposes\":[\"forced_labour\"],\"persons\":[{\"given_name\":\"P%d\",\"age\":%d}]}\n", i, i, 18 + i % 50 }' >big.jsonl

for delay in 0.05 0.2 0.5 1; do
	"$CTIP" import t.db big.jsonl >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	ok=$(sqlite3 t.db "PRAGMA integrity_check" 2>&1)
	[ "$ok" = "ok" ] || fail "integrity after kill at ${delay}s: $ok"
	cases=$(sqlite3 t.db "SELECT count(*) FROM case_")
	kept=$(sqlite3 t.db "SELECT count(*) FROM case_ WHERE source_id = 'keep'")
	[ "$kept" -eq 1 ] || fail "the earlier import was damaged"
	if [ "$cases" -ne 1 ] && [ "$cases" -ne $((n + 1)) ]; then
		fail "after a kill at ${delay}s the database holds $cases cases: part of an import"
	fi
	orphans=$(sqlite3 t.db "SELECT count(*) FROM person WHERE case_id NOT IN (SELECT id FROM case_)")
	[ "$orphans" -eq 0 ] || fail "$orphans persons without a case"
	[ "$cases" -eq $((n + 1)) ] && break
done
finish
