#!/bin/sh
# Crash safety: SIGKILL the server in the middle of a burst of writes from
# several clients, start it again: every write the server acknowledged
# (201) is there, with its audit entry, the database is intact and the
# audit chain verifies.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

db=$T/c.db
"$CTIP" init "$db" --agency "NGO One" --type ngo --country FRA >/dev/null 2>&1 || fail init
make_user "$db" alice caseworker "NGO One"
start_server "$db" --rate-limit 0 --threads 2

writer() { # writer N: POSTs cases until the server is gone; logs acknowledged ids
	i=0
	while [ $i -lt 2000 ]; do
		i=$((i + 1))
		out=$(curl -s -w '\n%{http_code}' -X POST -H "Authorization: Bearer $TOK_alice" \
			-H 'Content-Type: application/json' -H 'X-Reason: burst' \
			-d "{\"source_id\":\"w$1-$i\",\"acts\":[\"recruitment\"],\"purposes\":[\"forced_labour\"],\"persons\":[{\"given_name\":\"P$1-$i\",\"age\":30}]}" \
			"$URL/cases") || break
		code=$(printf '%s' "$out" | tail -n 1)
		[ "$code" = 201 ] || break
		printf '%s\n' "$out" | head -n 1 | sed 's/^{"id":"\([^"]*\)".*/\1/' >>"$T/acked.$1"
	done
}
for w in 1 2 3 4; do writer $w & done
# kill in the middle of the burst: after 40 acknowledged writes (or 30 s)
t=0
while [ "$(cat "$T"/acked.* 2>/dev/null | wc -l)" -lt 40 ] && [ $t -lt 300 ]; do
	sleep 0.1
	t=$((t + 1))
done
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
wait # the writers stop when the server is gone

cat "$T"/acked.* >"$T/acked" 2>/dev/null
n=$(wc -l <"$T/acked")
[ "$n" -gt 0 ] || fail "no write was acknowledged before the kill"
[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "integrity check after SIGKILL"

start_server "$db" --rate-limit 0
missing=0
while read -r id; do
	as "$TOK_alice" GET "/cases/$id"
	[ "$STATUS" = 200 ] || missing=$((missing + 1))
	c=$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action = 'case.create' AND record_id = '$id'")
	[ "$c" = 1 ] || fail "acknowledged case $id has $c creation entries in the audit trail"
done <"$T/acked"
[ "$missing" = 0 ] || fail "$missing of $n acknowledged writes are missing after the crash"
stop_server
"$CTIP" audit verify "$db" >"$T/out" 2>&1 || fail "audit verify after the crash: $(cat "$T/out")"
echo "$n acknowledged writes survived"
finish
