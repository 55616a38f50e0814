#!/bin/sh
# /api/v1/registries, /api/v1/review and /api/v1/stats/registries on a
# `ctip demo --registries` database: a child-protection user records and
# edits a missing-child report (validation names the field; stale If-Match
# is 412); another agency's user gets 404; the analyst and a coordinator of
# another agency see no names; the new report is cross-checked at once and
# its registry hit is listed, viewed side by side, confirmed (the reporting
# agency is alerted) and undone; every read and change is audited; the
# registry statistics are published for analysts.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

db=$T/t.db
"$CTIP" demo "$db" --cases 200 --seed 5 --registries >/dev/null 2>"$T/err" || fail "demo: $(cat "$T/err")"
q() { sqlite3 "$db" "$1"; }
A="Jugendamt Nordstadt"
B="DGASPC Județul Est"
C="Linia Verde Anti-Trafic"
make_user "$db" cpa child_protection "$A"
make_user "$db" cpb child_protection "$B"
make_user "$db" cwa caseworker "$A"
make_user "$db" ana analyst "$A"
make_user "$db" coord coordinator "$C"
make_user "$db" aud auditor "$A"
"$CTIP" link dedupe "$db" >/dev/null 2>"$T/err" || fail "link dedupe: $(cat "$T/err")"
# the agency with the most suspected duplicates, and a caseworker there
D=$(q "SELECT a.name FROM review_item i JOIN agency a ON a.id IN (i.a_agency_id, i.b_agency_id)
	WHERE i.kind = 'duplicate_person' GROUP BY a.id ORDER BY count(*) DESC, a.name LIMIT 1")
[ -n "$D" ] || fail "no duplicate_person item in the demo"
make_user "$db" cwd caseworker "$D"
start_server "$db" --rate-limit 0

# a victim of a third agency's case, with both names and a full birth date
row=$(q "SELECT p.uuid || '|' || p.given_name || '|' || p.family_name || '|' || p.date_of_birth
	FROM person p JOIN agency a ON a.id = p.agency_id WHERE p.role = 'victim'
	AND p.given_name IS NOT NULL AND p.family_name IS NOT NULL AND length(p.date_of_birth) = 10
	AND p.date_of_birth > '2000' AND a.name NOT IN ('$A', '$B') ORDER BY p.id LIMIT 1")
[ -n "$row" ] || fail "no victim to match"
victim=$(echo "$row" | cut -d'|' -f1)
given=$(echo "$row" | cut -d'|' -f2)
family=$(echo "$row" | cut -d'|' -f3)
dob=$(echo "$row" | cut -d'|' -f4)
seen=$(($(echo "$dob" | cut -c1-4) + 12))-06-01

H='Content-Type: application/json'
# ---- create: validation names the field ------------------------------------------
as "$TOK_cpa" POST /registries/missing -H "$H" -d '{"given_name":"X","age":12}'
expect 400 "report without date_last_seen"
[ "$(json .error.field)" = date_last_seen ] || fail "field of a missing date: $(cat "$T/body")"
as "$TOK_cpa" POST /registries/missing -H "$H" -d '{"date_last_seen":"2020","colour":"red"}'
expect 400 "unknown field"
json '.problems[].field' | grep -q '^colour$' || fail "unknown field named: $(cat "$T/body")"
as "$TOK_cpa" POST /registries/missing -H "$H" -d '{"date_last_seen":"2999-01-01"}'
expect 400 "a date in the future"
as "$TOK_cpa" POST /registries/missing -H "$H" -H 'Accept-Language: fr' -d '{"date_last_seen":"2020","status":"lost"}'
expect 400 "bad status"
[ "$(json .error.field)" = status ] || fail "status named: $(cat "$T/body")"
as "$TOK_cpa" POST /registries/missing -H "$H" -d "{\"date_last_seen\":\"2020\",\"agency\":\"$B\"}"
expect 403 "a report for another agency"
as "$TOK_cwa" POST /registries/missing -H "$H" -d '{"date_last_seen":"2020"}'
expect 403 "a caseworker does not record registries"
as "$TOK_cpa" POST /registries/orphans -H "$H" -d '{"date_last_seen":"2020"}'
expect 404 "no such registry"

# ---- create the report of the victim as a child --------------------------------------
as "$TOK_cpa" POST /registries/missing -H "$H" -H 'X-Reason: reported by the mother' -d "{
  \"source_id\":\"JA-1\",\"given_name\":\"$given\",\"family_name\":\"$family\",
  \"date_of_birth\":\"$dob\",\"date_last_seen\":\"$seen\",\"place_last_seen\":\"Bahnhof\",
  \"circumstances\":\"runaway\",\"reporter\":\"the mother\",\"reporter_relation\":\"parent\"}"
expect 201 "child protection records a report"
rep=$(json .id)
[ "$(json .status)" = open ] || fail "open by default"
[ "$(json .agency)" = "$A" ] || fail "owned by its agency"
grep -qi '^ETag: "1"' "$T/headers" || fail "ETag of a new report"
grep -qi "^Location: /api/v1/registries/missing/$rep" "$T/headers" || fail "Location"
queued=$(grep -i '^X-Review-Queued:' "$T/headers" | tr -dc 0-9)
[ "${queued:-0}" -ge 1 ] || fail "the new report was cross-checked: $(cat "$T/headers")"
as "$TOK_cpa" POST /registries/missing -H "$H" -d "{\"source_id\":\"JA-1\",\"date_last_seen\":\"2020\"}"
expect 409 "the same source_id again"

# ---- who sees what ---------------------------------------------------------------------
as "$TOK_cpa" GET "/registries/missing/$rep"
expect 200 "owner reads"
[ "$(json .given_name)" = "$given" ] || fail "owner sees the name"
as "$TOK_cpb" GET "/registries/missing/$rep"
expect 404 "another agency's child protection (IDOR)"
[ "$(json .error.code)" = not_found ] || fail "a plain not_found"
as "$TOK_cpb" PUT "/registries/missing/$rep" -H "$H" -H 'If-Match: "1"' -d '{"date_last_seen":"2020"}'
expect 404 "another agency cannot change it either"
as "$TOK_cpa" GET "/registries/placements/$rep"
expect 404 "a report is not a placement"
as "$TOK_ana" GET "/registries/missing/$rep"
expect 200 "analyst reads"
[ "$(json '.given_name // .family_name // .date_of_birth // .place_last_seen // .reporter // "none"')" = none ] ||
	fail "analyst sees personal data: $(cat "$T/body")"
[ "$(json .circumstances)" = runaway ] || fail "analyst sees the circumstances"
as "$TOK_coord" GET "/registries/missing/$rep"
expect 200 "coordinator (national) reads"
[ "$(json '.given_name // "none"')" = none ] || fail "coordinator sees another agency's names"
as "$TOK_cwa" GET "/registries/missing/$rep"
expect 200 "a caseworker of the agency reads"
[ "$(json .family_name)" = "$family" ] || fail "caseworker of the owner sees the name"
as "$TOK_cwa" PUT "/registries/missing/$rep" -H "$H" -H 'If-Match: "1"' -d '{"date_last_seen":"2020"}'
expect 403 "a caseworker does not change registries"

# ---- change with If-Match ----------------------------------------------------------------
as "$TOK_cpa" GET "/registries/missing/$rep"
jq '.status = "found_safe" | .date_closed = "'"$seen"'"' "$T/body" >"$T/put.json"
as "$TOK_cpa" PUT "/registries/missing/$rep" -H "$H" -d @"$T/put.json"
expect 428 "a change without If-Match"
as "$TOK_cpa" PUT "/registries/missing/$rep" -H "$H" -H 'If-Match: "1"' -H 'X-Reason: found' -d @"$T/put.json"
expect 200 "the owner changes the status"
[ "$(json .status)" = found_safe ] || fail "status changed"
[ "$(json .version)" = 2 ] || fail "version 2"
jq '.status = "closed"' "$T/put.json" >"$T/put2.json"
as "$TOK_cpa" PUT "/registries/missing/$rep" -H "$H" -H 'If-Match: "1"' -d @"$T/put2.json"
expect 412 "stale If-Match"
[ "$(json .current.version)" = 2 ] || fail "412 carries the current version: $(cat "$T/body")"
[ "$(json .current.status)" = found_safe ] || fail "412 current record"
# back to open for the alert below
jq '.status = "open" | del(.date_closed) | .version = 2' "$T/put.json" >"$T/put3.json"
as "$TOK_cpa" PUT "/registries/missing/$rep" -H "$H" -H 'If-Match: "2"' -H 'X-Reason: missing again' -d @"$T/put3.json"
expect 200 "reopened"

# ---- lists and filters ----------------------------------------------------------------
as "$TOK_cpa" GET "/registries/missing?status=open&limit=5"
expect 200 "list"
[ "$(json '.records | length')" = 5 ] || fail "a page of 5"
[ "$(json '[.records[].agency] | unique | .[]')" = "$A" ] || fail "agency-scoped list"
[ "$(json '[.records[].status] | unique | .[]')" = open ] || fail "status filter"
cur=$(json .next_cursor)
as "$TOK_cpa" GET "/registries/missing?status=open&limit=5&cursor=$cur"
expect 200 "next page"
[ "$(json ".records[] | select(.id <= \"$cur\") | .id")" = "" ] || fail "the next page starts after the cursor"
as "$TOK_cpa" GET "/registries/missing?from=$seen&to=$seen&limit=100"
expect 200 "date range"
json '.records[].id' | grep -q "$rep" || fail "the report falls in its own date range"
as "$TOK_cpa" GET "/registries/missing?from=2999"
expect 200 "a date after today is still a date"
as "$TOK_cpa" GET "/registries/missing?from=last-week"
expect 400 "bad date"
as "$TOK_cpa" GET "/registries/missing?colour=red"
expect 400 "unknown parameter"
as "$TOK_ana" GET "/registries/missing?limit=100"
expect 200 "analyst lists every agency's reports"
[ "$(json '[.records[] | .given_name // .family_name // .date_of_birth] | map(select(. != null)) | length')" = 0 ] ||
	fail "analyst list carries names"
inst=$(q "SELECT r.uuid FROM reg_record r JOIN agency a ON a.id = r.agency_id
	WHERE r.kind = 'institution' AND a.name = '$A' ORDER BY r.id LIMIT 1")
as "$TOK_cpa" GET "/registries/placements?institution=$inst&limit=100"
expect 200 "placements of an institution"
[ "$(json "[.records[] | select(.institution != \"$inst\")] | length")" = 0 ] || fail "institution filter"
as "$TOK_coord" GET "/registries/institutions/$inst"
expect 200 "coordinator reads an institution"
[ "$(json '.flags | type')" = array ] || fail "coordinator sees the flags"
as "$TOK_cpb" GET "/registries/institutions/$inst"
expect 200 "institutions hold no personal data: every reader"
[ "$(json '.flags // "none"')" = none ] || fail "flags for the coordinator only"
as "$TOK_ana" GET "/registries/institutions?flagged=true"
expect 403 "flags are for the coordinator"

# ---- the review queue -------------------------------------------------------------------
as "$TOK_coord" GET "/review?record_id=$rep"
expect 200 "the report's candidates"
item=$(json ".items[] | select(.a.id == \"$victim\" or .b.id == \"$victim\") | .id")
[ -n "$item" ] || fail "the victim is a candidate of the report: $(cat "$T/body")"
[ "$(json ".items[] | select(.id == \"$item\") | .kind")" = registry_hit ] || fail "kind"
as "$TOK_coord" GET "/review?kind=registry_hit&status=pending&limit=3"
expect 200 "coordinator lists pending hits"
[ "$(json '.items | length')" = 3 ] || fail "a page of 3"
[ "$(json '.next_cursor | type')" = string ] || fail "a cursor"
as "$TOK_cwa" GET "/review?kind=registry_hit"
expect 403 "caseworkers do not review registry hits"
as "$TOK_ana" GET "/review"
expect 403 "analysts do not review"
as "$TOK_cwa" GET "/review/$item"
expect 404 "not a caseworker's item"
as "$TOK_cpb" GET "/review/$item"
expect 404 "another agency's child protection"
as "$TOK_coord" GET "/review/$item"
expect 200 "coordinator views the item"
[ "$(json '[.a, .b] | map(select(.type == "missing")) | .[0].record.given_name')" = "$given" ] ||
	fail "the reviewer sees the compared names: $(cat "$T/body")"
[ "$(json '[.a, .b] | map(select(.type == "missing")) | .[0].record.place_last_seen // "none"')" = none ] ||
	fail "but not another agency's contact fields"
[ "$(json '[.a, .b] | map(select(.type == "person")) | .[0].record.family_name')" = "$family" ] ||
	fail "the victim side"
[ "$(json '.evidence | length')" -ge 1 ] || fail "evidence"
[ "$(json '.probability | type')" = number ] || fail "probability"
ver=$(json .version)
as "$TOK_coord" GET "/review/$item?blind=true"
expect 200 "blind view"
[ "$(json '.probability // .evidence // "none"')" = none ] || fail "blind hides the scores"
as "$TOK_cpa" GET "/review/$item"
expect 200 "the reporting agency's child protection views it"

# ---- decide: confirm alerts the reporting agency, undo ---------------------------------------
as "$TOK_coord" POST "/review/$item/decisions" -H "$H" -d '{"action":"confirm","reason":"same child"}'
expect 428 "a decision without its version"
as "$TOK_coord" POST "/review/$item/decisions" -H "$H" -H 'If-Match: "99"' -d '{"action":"confirm","reason":"same child"}'
expect 412 "stale decision"
[ "$(json .current.version)" = "$ver" ] || fail "412 carries the item's version"
as "$TOK_coord" POST "/review/$item/decisions" -H "$H" -H "If-Match: \"$ver\"" -d '{"action":"merge","reason":"x"}'
expect 400 "unknown action"
as "$TOK_coord" POST "/review/$item/decisions" -H "$H" -H "If-Match: \"$ver\"" -d '{"action":"confirm"}'
expect 400 "a decision needs a reason"
as "$TOK_coord" POST "/review/$item/decisions" -H "$H" -H "If-Match: \"$ver\"" -d '{"action":"confirm","reason":"same child: names and birth date"}'
expect 201 "coordinator confirms"
[ "$(json .status)" = confirmed ] || fail "confirmed: $(cat "$T/body")"
ver2=$(json .version)
as "$TOK_cpa" GET "/notifications"
expect 200 "notifications of the reporting agency"
json '.notifications[] | select(.kind == "registry.missing_child_victim") | .record_id' | grep -q "$rep" ||
	fail "the reporting agency is alerted: $(cat "$T/body")"
as "$TOK_cpb" GET "/notifications"
json '.notifications[].kind' | grep -q registry.missing_child_victim && fail "another agency is not alerted"
as "$TOK_coord" POST "/review/$item/decisions" -H "$H" -d "{\"action\":\"confirm\",\"reason\":\"again\",\"version\":$ver2}"
expect 200 "a repeated vote changes nothing"
[ "$(json .changed)" = false ] || fail "unchanged"
as "$TOK_cpa" POST "/review/$item/decisions" -H "$H" -H "If-Match: \"$ver2\"" -d '{"action":"undo","reason":"x"}'
expect 409 "undo without a decision of one's own"
as "$TOK_coord" POST "/review/$item/decisions" -H "$H" -H "If-Match: \"$ver2\"" -H 'Accept-Language: fr' -d '{"action":"undo","reason":"wrong pair"}'
expect 201 "undo"
[ "$(json .status)" = pending ] || fail "pending again"
as "$TOK_coord" GET "/review/$item"
[ "$(json '.decisions | length')" = 2 ] || fail "both decisions kept: $(cat "$T/body")"
[ "$(json '.decisions[1].action')" = undo ] || fail "undo recorded"

# ---- a confirmed placement-victim hit flags the institution for the coordinator ---------------
as "$TOK_coord" GET "/review?kind=registry_hit&status=pending&limit=100"
hit=$(json '[.items[] | select(.a.type == "person" and .b.type == "placement")][0]')
[ "$hit" != null ] || fail "a placement-victim candidate in the demo: $(cat "$T/body")"
hid=$(echo "$hit" | jq -r .id)
hver=$(echo "$hit" | jq -r .version)
pl=$(echo "$hit" | jq -r .b.id)
pinst=$(q "SELECT i.uuid FROM reg_record p JOIN reg_record i ON i.id = p.institution_id WHERE p.uuid = '$pl'")
if [ -n "$pinst" ]; then
	as "$TOK_coord" GET "/registries/institutions?flagged=true&limit=100"
	json '.records[].id' | grep -q "$pinst" && fail "flagged before any confirmed victim"
fi
as "$TOK_coord" POST "/review/$hid/decisions" -H "$H" -H "If-Match: \"$hver\"" -d '{"action":"confirm","reason":"same child"}'
expect 201 "confirm a placement hit"
if [ -n "$pinst" ]; then
	as "$TOK_coord" GET "/registries/institutions?flagged=true&limit=100"
	expect 200 "flagged institutions"
	json '.records[].id' | grep -q "$pinst" || fail "a victim among the residents flags the institution: $(cat "$T/body")"
	[ "$(json ".records[] | select(.id == \"$pinst\") | .flags[] | select(.active) | .rule")" = victims_among_residents ] ||
		fail "the rule"
	as "$TOK_coord" GET /notifications
	json '.notifications[].kind' | grep -q registry.institution_victims || fail "the coordinator is alerted"
fi

# ---- duplicate persons: the caseworkers of an agency holding one of the two -------------------
as "$TOK_cwd" GET "/review?kind=duplicate_person&limit=100"
expect 200 "a caseworker lists suspected duplicates"
[ "$(json '.items | length')" -ge 1 ] || fail "its agency's duplicates: $(cat "$T/body")"
[ "$(json "[.items[] | select(.a.agency != \"$D\" and .b.agency != \"$D\")] | length")" = 0 ] ||
	fail "only items with a record of its agency"
dup=$(json '.items[0].id')
dver=$(json '.items[0].version')
as "$TOK_cwd" GET "/review/$dup"
expect 200 "the caseworker views a duplicate"
[ "$(json '.a.record | has("given_name") or has("family_name")')" = true ] || fail "compared names shown"
other=$(q "SELECT a.name FROM agency a WHERE a.name <> '$D' AND a.id NOT IN (SELECT a_agency_id FROM
	review_item WHERE uuid = '$dup') AND a.id NOT IN (SELECT b_agency_id FROM review_item WHERE uuid = '$dup')
	ORDER BY a.name LIMIT 1")
make_user "$db" cwo caseworker "$other"
as "$TOK_cwo" GET "/review/$dup"
expect 404 "a caseworker of an agency holding neither record"
holds=$(q "SELECT count(*) FROM review_item i JOIN agency a ON a.id IN (i.a_agency_id, i.b_agency_id)
	WHERE i.uuid = '$dup' AND a.name = '$A'")
as "$TOK_cpa" GET "/review/$dup"
expect "$([ "$holds" -gt 0 ] && echo 200 || echo 404)" "child protection reviews duplicates of its agency only"
as "$TOK_cwd" POST "/review/$dup/decisions" -H "$H" -H "If-Match: \"$dver\"" -d '{"action":"reject","reason":"two sisters"}'
expect 201 "the caseworker rejects"
[ "$(json .status)" = rejected ] || fail "rejected: $(cat "$T/body")"

# ---- blind by the database's setting ------------------------------------------------------
"$CTIP" review settings "$db" --blind on >"$T/out" 2>"$T/err" || fail "review settings: $(cat "$T/err")"
grep -q '^review.blind=on' "$T/out" || fail "blind is on"
as "$TOK_coord" GET "/review/$item"
[ "$(json '.probability // .evidence // "none"')" = none ] || fail "the database reviews blind"
[ "$(json .blind)" = true ] || fail "blind flag"
as "$TOK_coord" GET "/review?record_id=$rep"
[ "$(json '[.items[] | .probability] | map(select(. != null)) | length')" = 0 ] || fail "blind list"

# ---- statistics -------------------------------------------------------------------------
as "$TOK_ana" GET /stats/registries
expect 200 "analyst reads the registry statistics"
[ "$(json .published)" = true ] || fail "published for analysts"
json '.tables[].id' | grep -q missing_by_status || fail "missing_by_status"
as "$TOK_ana" GET "/stats/registries?publish=false"
expect 403 "exact counts are not for analysts"
as "$TOK_coord" GET "/stats/registries?publish=false" -H 'Accept-Language: fr'
expect 200 "coordinator reads exact counts"
[ "$(json .published)" = false ] || fail "exact"
as "$TOK_cpa" GET /stats/registries
expect 403 "child protection reads no national statistics"

# ---- the audit trail -----------------------------------------------------------------------
as "$TOK_aud" GET "/audit?record_id=$rep&limit=1000"
expect 200 "audit of the report"
json '.entries[].action' | grep -q '^registry.create$' || fail "create audited"
[ "$(json '[.entries[] | select(.action == "registry.update")] | length')" = 2 ] || fail "two updates audited"
json '.entries[] | select(.action == "registry.update") | .reason' | grep -q '^found$' || fail "reason audited"
json '.entries[] | select(.action == "registry.update") | .detail' | grep -q found_safe ||
	fail "before/after audited"
[ "$(json '[.entries[] | select(.action == "registry.read" and .actor == "ana")] | length')" -ge 1 ] ||
	fail "the analyst's read audited"
[ "$(json '[.entries[] | select(.action == "registry.read" and .actor == "ana") | .fields] | map(select(. != null)) | length')" = 0 ] ||
	fail "the analyst read no personal field"
json '.entries[] | select(.action == "registry.read" and .actor == "cpa") | .fields' | grep -q given_name ||
	fail "the owner's read lists the names"
as "$TOK_aud" GET "/audit?record_id=$item&limit=100"
json '.entries[].action' | grep -q '^review.read$' || fail "review reads audited"
[ "$(json '[.entries[] | select(.action == "review.decide")] | length')" = 2 ] || fail "decisions audited"
as "$TOK_aud" GET "/audit/verify"
[ "$(json .intact)" = true ] || fail "audit chain: $(cat "$T/body")"

stop_server
finish
