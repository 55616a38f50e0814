#!/bin/sh
# Attacks and abuse the API must refuse: CSRF, session fixation, stolen or
# expired sessions, IDOR (another agency's ids answer 404 like missing
# ones), SQL and JSON injection, malformed and oversized input, rate and
# login limits. Also: the audit trail of changes (reason, before/after),
# sharing and its notifications, optimistic concurrency, French messages.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

db=$T/s.db
"$CTIP" init "$db" --agency "NGO One" --type ngo --country FRA >/dev/null 2>&1 || fail init
"$CTIP" agency add "$db" Police --type law_enforcement --country FRA >/dev/null || fail agency
make_user "$db" alice caseworker "NGO One"
make_user "$db" carol admin "NGO One"
make_user "$db" bob investigator Police
make_user "$db" dave admin Police
make_user "$db" eve auditor "NGO One"
start_server "$db" --rate-limit 0
J='Content-Type: application/json'
login() { # login USER JAR: signs in, prints the CSRF token
	req POST /session -H "$J" -c "$2" -d "{\"username\":\"$1\",\"password\":\"$1-password\"}"
	[ "$STATUS" = 201 ] || fail "login $1: $STATUS"
	json .csrf_token
}
case_body='{"source_id":"S-1","acts":["recruitment"],"means":["deception"],"purposes":["forced_labour"],"persons":[{"given_name":"Ana","date_of_birth":"2005-03","contact":{"phone":"+33 1 23"}},{"role":"suspect","family_name":"Roe"}]}'

# ---- CSRF --------------------------------------------------------------------
csrf=$(login alice "$T/a.jar")
csrf2=$(login alice "$T/a2.jar")
req POST /cases -b "$T/a.jar" -H "$J" -d "$case_body"
expect 403 "cookie write without X-CSRF-Token"
[ "$(json .error.field)" = X-CSRF-Token ] || fail "CSRF error names the header"
req POST /cases -b "$T/a.jar" -H "X-CSRF-Token: nonsense" -H "$J" -d "$case_body"
expect 403 "wrong CSRF token"
req POST /cases -b "$T/a.jar" -H "X-CSRF-Token: $csrf2" -H "$J" -d "$case_body"
expect 403 "another session's CSRF token"
req POST /cases -b "$T/a.jar" -H "X-CSRF-Token: $csrf" -H "$J" -d "$case_body"
expect 201 "cookie write with its CSRF token"
id=$(json .id)
victim=$(json '.persons[0].id')
suspect=$(json '.persons[1].id')
req GET "/cases/$id" -b "$T/a.jar"
expect 200 "cookie read needs no CSRF token"

# ---- session fixation, logout, expiry ------------------------------------------
req GET /session -H "Cookie: ctip_session=attacker-chosen-value"
expect 401 "a made-up session"
req POST /session -H "$J" -H "Cookie: ctip_session=attacker-chosen-value" -D "$T/h" \
	-d '{"username":"alice","password":"alice-password"}'
expect 201 "login with a planted cookie"
grep -q 'ctip_session=attacker-chosen-value' "$T/headers" && fail "the planted session id was kept"
old=$(sed -n 's/.*ctip_session\t//p' "$T/a2.jar")
req POST /session -H "$J" -b "$T/a2.jar" -d '{"username":"alice","password":"alice-password"}'
expect 201 "login presenting a live session"
req GET /session -H "Cookie: ctip_session=$old"
expect 401 "the session presented at login is ended"
req DELETE /session -b "$T/a.jar" -H "X-CSRF-Token: $csrf"
expect 204 logout
grep -qi 'set-cookie: ctip_session=;.*Max-Age=0' "$T/headers" || fail "logout clears the cookie"
req GET /session -b "$T/a.jar"
expect 401 "the session is gone after logout"

# ---- IDOR: ids of another agency's records answer like missing ones ----------
missing=00000000-0000-7000-8000-000000000000
for p in "/cases/$id" "/cases/$id/assessment" "/cases/$id/shares" "/persons/$victim" "/persons/$suspect"; do
	as "$TOK_bob" GET "$p"
	expect 404 "bob (Police) reads $p"
	cp "$T/body" "$T/theirs"
	as "$TOK_bob" GET "$(printf '%s' "$p" | sed "s/$id\|$victim\|$suspect/$missing/")"
	cmp -s "$T/body" "$T/theirs" || fail "$p: another agency's record answers unlike a missing one"
done
as "$TOK_bob" GET "/cases/$id"
as "$TOK_bob" PUT "/cases/$id" -H "$J" -H 'If-Match: "1"' -d "$case_body"
expect 404 "bob updates another agency's case"
as "$TOK_dave" DELETE "/cases/$id" -H "X-Reason: test"
expect 404 "another agency's admin deletes the case"
as "$TOK_bob" POST "/persons/$suspect/proceedings" -H "$J" -H 'If-Match: "1"' -d '{"kind":"investigation"}'
expect 404 "bob adds a proceeding to another agency's suspect"
as "$TOK_bob" GET "/persons?limit=100"
grep -q "$victim" "$T/body" && fail "bob's person list shows another agency's victim"
as "$TOK_bob" GET "/cases?limit=100"
grep -q "$id" "$T/body" && fail "bob's case list shows another agency's case"

# ---- sharing: read, not write; notification; audit with reason ------------------
as "$TOK_alice" POST "/cases/$id/shares" -H "$J" -d '{"agency":"Police"}'
expect 400 "sharing without a reason"
as "$TOK_alice" POST "/cases/$id/shares" -H "$J" -d '{"agency":"Police","reason":"joint investigation"}'
expect 201 share
as "$TOK_bob" GET "/cases/$id"
expect 200 "bob reads the shared case"
[ "$(json '.persons[0].given_name')" = Ana ] || fail "investigators see names of shared cases"
as "$TOK_bob" PUT "/cases/$id" -H "$J" -H 'If-Match: "1"' -d "$case_body"
expect 403 "bob changes a case shared with him"
as "$TOK_bob" GET /notifications
[ "$(json '.notifications[0].kind')" = case.shared ] || fail "bob is notified of the share"
case "$(json '.notifications[0].message')" in *"NGO One"*"joint investigation"*) ;; *) fail "notification text: $(json '.notifications[0].message')" ;; esac
nid=$(json '.notifications[0].id')
as "$TOK_alice" POST "/notifications/$nid/read"
expect 404 "alice marks bob's notification"
as "$TOK_bob" POST "/notifications/$nid/read"
expect 204 "bob marks his notification read"
as "$TOK_bob" GET "/notifications?unread=true"
[ "$(json '.notifications | length')" = 0 ] || fail "read notifications are not unread"
as "$TOK_eve" GET "/audit?record_id=$id&action=case.share"
[ "$(json '.entries[0].reason')" = "joint investigation" ] || fail "the share's reason is audited"
[ "$(json '.entries[0].actor')" = alice ] || fail "the share's actor is audited"

# ---- optimistic concurrency and audited changes --------------------------------
as "$TOK_alice" GET "/cases/$id"
upd=$(jq -c '.status = "follow_up" | .persons[0].given_name = "Anna"' "$T/body")
as "$TOK_alice" PUT "/cases/$id" -H "$J" -d "$upd"
expect 428 "update without If-Match"
as "$TOK_alice" PUT "/cases/$id" -H "$J" -H 'If-Match: 1' -d "$upd"
expect 400 "If-Match that is not an ETag"
as "$TOK_alice" PUT "/cases/$id" -H "$J" -H 'If-Match: "1"' -H 'X-Reason: name%20corrected' -d "$upd"
expect 200 "update"
rid=$(sed -n 's/^X-Request-Id: \([^\r]*\).*/\1/ip' "$T/headers")
as "$TOK_alice" PUT "/cases/$id" -H "$J" -H 'If-Match: "1"' -d "$upd"
expect 412 "stale update"
[ "$(json .current.persons[0].given_name)" = Anna ] || fail "412 holds the current version"
grep -q 'ETag: "2"' "$T/headers" || fail "412 carries the current ETag"
as "$TOK_eve" GET "/audit?record_id=$id&action=case.update"
[ "$(json '.entries[0].reason')" = "name corrected" ] || fail "the update's reason: $(json '.entries[0].reason')"
[ "$(json '.entries[0].request_id')" = "$rid" ] || fail "the update's request id"
[ "$(json ".entries[0].detail.before[\"persons[$victim].given_name\"]")" = Ana ] || fail "before value"
[ "$(json ".entries[0].detail.after[\"persons[$victim].given_name\"]")" = Anna ] || fail "after value"
case "$(json '.entries[0].fields')" in *status*given_name* | *given_name*status*) ;; *) fail "changed fields: $(json '.entries[0].fields')" ;; esac
as "$TOK_alice" GET "/cases/$id"
stage=$(jq -c '.persons[0].nrm_stage = "identified"' "$T/body")
as "$TOK_alice" PUT "/cases/$id" -H "$J" -H 'If-Match: "2"' -d "$stage"
expect 409 "the NRM stage is not edited through the case"

# ---- injection ------------------------------------------------------------------
as "$TOK_alice" GET "/cases?status=active'%20OR%201=1--"
expect 400 "SQL in a code filter"
as "$TOK_alice" GET "/cases?agency=x'%20OR%20'1'='1"
expect 200 "SQL in a free-text filter"
[ "$(json '.cases | length')" = 0 ] || fail "SQL in the agency filter matched cases"
req POST /session -H "$J" -d "{\"username\":\"alice' --\",\"password\":\"x' OR '1'='1\"}"
expect 401 "SQL in the login"
evil="'; DROP TABLE case_; --"
as "$TOK_alice" POST /cases -H "$J" -d "{\"source_id\":\"$evil\",\"acts\":[\"transfer\"],\"persons\":[{\"given_name\":\"Robert'); DROP TABLE person;--\"}]}"
expect 201 "SQL-looking text is data"
eid=$(json .id)
as "$TOK_alice" GET "/cases/$eid"
[ "$(json .source_id)" = "$evil" ] || fail "text stored unchanged"
[ "$(sqlite3 "$db" "SELECT count(*) FROM case_")" -ge 2 ] || fail "the case table survived"
as "$TOK_alice" GET "/cases/$id%27%20OR%201=1"
expect 404 "SQL in a path id"
as "$TOK_alice" POST /cases -H "$J" -d '{"acts":["recruitment"],"persons":[{"given_name":"A","is_admin":true}]}'
expect 400 "an unknown field"
[ "$(json .error.field)" = "persons[0].is_admin" ] || fail "the unknown field is named: $(json .error.field)"
as "$TOK_alice" POST /cases -H "$J" -d '{"acts":"recruitment"}'
expect 400 "a wrong type"
as "$TOK_alice" POST /cases -H "$J" -d '{"acts":["recruitment"],"acts":["transfer"]}'
expect 400 "a duplicate key"
as "$TOK_alice" POST /cases -H "$J" -d '[{"acts":["recruitment"]}]'
expect 400 "not an object"
as "$TOK_alice" POST /cases -H "$J" -d '{"acts":["recruitment"'
expect 400 "truncated JSON"
printf '{"source_id":"\377\376"}' >"$T/badutf8"
as "$TOK_alice" POST /cases -H "$J" --data-binary @"$T/badutf8"
expect 400 "invalid UTF-8"
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; }' >"$T/deep"
as "$TOK_alice" POST /cases -H "$J" --data-binary @"$T/deep"
expect 400 "deeply nested JSON"
as "$TOK_alice" POST /cases -d "$case_body"
expect 415 "a form body"
as "$TOK_alice" POST /cases -H 'Content-Type: text/plain' -d "$case_body"
expect 415 "a text body"
as "$TOK_alice" POST /cases -H "$J"
expect 400 "an empty body"
head -c 1100000 /dev/zero | tr '\0' ' ' >"$T/big"
as "$TOK_alice" POST /cases -H "$J" --data-binary @"$T/big"
expect 413 "a body over the limit"
as "$TOK_alice" GET "/cases" -H "$J" -d '{"x":1}'
expect 400 "a body where none belongs"
as "$TOK_alice" GET "/cases?limit=5&limit=6"
expect 400 "a repeated query parameter"
as "$TOK_alice" GET "/cases?colour=red"
expect 400 "an unknown query parameter"
[ "$(json .error.field)" = colour ] || fail "the unknown parameter is named"
as "$TOK_alice" GET "/cases?limit=%zz"
expect 400 "a bad percent-escape"
as "$TOK_alice" GET "/cases?limit=0"
expect 400 "limit 0"
as "$TOK_alice" GET "/nowhere"
expect 404 "an unknown path"
as "$TOK_alice" PATCH "/cases/$id"
expect 405 "an unknown method"
grep -qi '^Allow: .*GET' "$T/headers" || fail "405 lists the methods allowed"
as "$TOK_alice" GET /session -H "X-Big: $(head -c 40000 /dev/zero | tr '\0' a)"
[ "$STATUS" = 431 ] || [ "$STATUS" = 413 ] || fail "oversized headers: $STATUS"
req GET /session -H "Authorization: Bearer ctip_forged"
expect 401 "a forged token"
req GET /session -H "Authorization: Basic YWxpY2U6eA=="
expect 401 "basic authentication"
for k in code message field; do
	jq -e ".error | has(\"$k\")" "$T/body" >/dev/null || fail "errors have $k"
done

# ---- French --------------------------------------------------------------------
as "$TOK_alice" GET "/cases?colour=red" -H 'Accept-Language: fr-CA,fr;q=0.9,en;q=0.5'
[ "$(json .error.message)" = "paramètre de requête inconnu « colour »" ] || fail "French: $(json .error.message)"
as "$TOK_alice" GET /codes/sexes -H 'Accept-Language: fr'
[ "$(json '.entries[] | select(.code == "female") | .label')" = "Féminin" ] || [ "$(json .language)" = fr ] ||
	fail "labels in French"

# ---- delete: admins of the owner only, with a reason, audited -----------------
as "$TOK_alice" DELETE "/cases/$eid" -H "X-Reason: test"
expect 403 "a caseworker deletes"
as "$TOK_carol" DELETE "/cases/$eid"
expect 400 "delete without a reason"
as "$TOK_carol" DELETE "/cases/$eid" -H "X-Reason: duplicate%20record"
expect 204 "the owner's admin deletes"
as "$TOK_carol" GET "/cases/$eid"
expect 404 "a deleted case"
as "$TOK_eve" GET "/audit?record_id=$eid&action=case.delete"
[ "$(json '.entries[0].reason')" = "duplicate record" ] || fail "the deletion's reason"
[ "$(json '.entries[0].detail.before.source_id')" = "$evil" ] || fail "the deleted values are kept in the audit trail"
as "$TOK_eve" GET /audit/verify
[ "$(json .intact)" = true ] || fail "the audit chain"
stop_server

# ---- limits: per-client rate, failed logins --------------------------------------
start_server "$db" --rate-limit 1
i=0
STATUS=
while [ "$STATUS" != 429 ] && [ $i -lt 40 ]; do
	as "$TOK_alice" GET /session
	i=$((i + 1))
done
expect 429 "a client over its rate"
grep -qi '^Retry-After: [0-9]' "$T/headers" || fail "429 says when to retry"
stop_server
start_server "$db" --rate-limit 0 --session-idle 1
login alice "$T/e.jar" >/dev/null
sleep 2.5
req GET /session -b "$T/e.jar"
expect 401 "an idle session expires"
for i in 1 2 3 4 5 6; do
	req POST /session -H "$J" -d '{"username":"alice","password":"wrong password"}'
	expect 401 "failed login $i"
done
req POST /session -H "$J" -d '{"username":"alice","password":"alice-password"}'
expect 429 "after six failures even the right password waits"
grep -qi '^Retry-After: [0-9]' "$T/headers" || fail "the throttled login says when to retry"
stop_server
finish
