#!/bin/sh
# The server's main path: sign in, CSRF, create, read, update with
# If-Match, another agency's case is 404, the audit chain verifies,
# SIGTERM stops cleanly.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

db=$T/t.db
"$CTIP" init "$db" --agency "NGO One" --type ngo --country FRA >/dev/null 2>&1 || fail init
"$CTIP" agency add "$db" Police --type law_enforcement --country FRA >/dev/null || fail agency
make_user "$db" alice caseworker "NGO One"
make_user "$db" bob investigator Police
start_server "$db" --rate-limit 0

# sign in: cookie + CSRF token
req POST /session -H 'Content-Type: application/json' -c "$T/jar" \
	-d '{"username":"alice","password":"alice-password"}'
expect 201 login
csrf=$(json .csrf_token)
grep -qi 'set-cookie: ctip_session=.*HttpOnly; SameSite=Strict' "$T/headers" || fail "cookie flags"
body='{"source_id":"S1","acts":["recruitment"],"means":["deception"],"purposes":["forced_labour"],"persons":[{"given_name":"Ana","age":17}]}'
req POST /cases -b "$T/jar" -H 'Content-Type: application/json' -d "$body"
expect 403 "cookie write without CSRF"
req POST /cases -b "$T/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d "$body"
expect 201 create
id=$(json .id)
req GET "/cases/$id" -b "$T/jar"
expect 200 get
[ "$(json '.persons[0].given_name')" = Ana ] || fail "name missing"
grep -q 'ETag: "1"' "$T/headers" || fail "ETag"
as "$TOK_bob" GET "/cases/$id"
expect 404 "another agency's case"
req GET "/cases/$id" -b "$T/jar"
upd=$(jq -c '.status = "follow_up"' "$T/body")
as "$TOK_alice" PUT "/cases/$id" -H 'If-Match: "1"' -H 'Content-Type: application/json' -d "$upd"
expect 200 update
as "$TOK_alice" PUT "/cases/$id" -H 'If-Match: "1"' -H 'Content-Type: application/json' -d "$upd"
expect 412 "stale update"
[ "$(json .current.version)" = 2 ] || fail "412 carries the current version"
as "$TOK_alice" GET "/cases/$id" -H 'Accept-Language: fr'
as "$TOK_alice" GET "/cases/00000000-0000-7000-8000-000000000000" -H 'Accept-Language: fr'
expect 404 "missing case"
[ "$(json .error.message)" != "no such case" ] || fail "the message is not in French"
grep -q 'Content-Language: fr' "$T/headers" || fail "Content-Language"
stop_server
grep -q "stopped" "$T/serve.err" || fail "no clean stop: $(cat "$T/serve.err")"
"$CTIP" audit verify "$db" >"$T/out" 2>&1 || fail "audit verify: $(cat "$T/out")"
n=$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action = 'case.read' AND actor = 'alice'")
[ "$n" -ge 2 ] || fail "reads are audited ($n)"
finish
