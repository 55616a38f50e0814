#!/bin/sh
# The NRM API end to end, on a real server: a child's path from the report
# to return (screening beside the art. 3 test, reasonable grounds and the
# reflection period, a referral to another agency with its consent and
# notifications, guardian and best-interests gates refused then met),
# stale and invalid actions, consent-gated visibility for an investigator
# (given, then withdrawn), counselling notes that stay with their agency,
# the non-punishment flag for prosecutors, analysts refused, another
# agency's ids answering 404, French messages, and the audit trail (reason
# and request id of each action; the chain verifies).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

db=$T/t.db
"$CTIP" init "$db" --agency "NGO One" --type ngo --country FRA >/dev/null 2>&1 || fail init
for a in Police Shelter Other; do
	t=ngo
	[ $a = Police ] && t=law_enforcement
	"$CTIP" agency add "$db" "$a" --type $t --country FRA >/dev/null || fail "agency $a"
done
# users with tokens only (no password to hash: the test stays fast)
make_user() {
	"$CTIP" user add "$1" "$2" --role "$3" --agency "$4" >/dev/null 2>"$T/err" ||
		fail "user add $2: $(cat "$T/err")"
	tok=$("$CTIP" token create "$1" "$2" 2>"$T/err") || fail "token $2: $(cat "$T/err")"
	eval "TOK_$2=\$tok"
}
make_user "$db" alice caseworker "NGO One"
make_user "$db" carol child_protection "NGO One"
make_user "$db" bob investigator Police
make_user "$db" pat prosecutor Police
make_user "$db" sam caseworker Shelter
make_user "$db" ed caseworker Other
make_user "$db" cora coordinator Other
make_user "$db" ann analyst "NGO One"
start_server "$db" --rate-limit 0

J='Content-Type: application/json'
# post TOKEN PATH BODY [curl options]
post() {
	tok=$1
	p=$2
	b=$3
	shift 3
	as "$tok" POST "$p" -H "$J" -d "$b" "$@"
}
etag() { tr -d '\r' <"$T/headers" | sed -n 's/^ETag: //Ip'; }

# ---- a case with a 16-year-old victim ----------------------------------------------
body='{"source_id":"NRM1","acts":["recruitment"],"means":["deception"],"purposes":["forced_labour"],"persons":[{"given_name":"Ana","age":16}]}'
post "$TOK_alice" /cases "$body"
expect 201 "create the case"
case_id=$(json .id)
pid=$(json '.persons[0].id')

as "$TOK_alice" GET "/persons/$pid/nrm"
expect 200 "status"
[ "$(json .stage)" = reported ] || fail "stage: $(json .stage)"
[ "$(json .child)" = true ] || fail "a 16-year-old is a child"
[ "$(json .child_protection.referral_flag)" = true ] || fail "child-protection referral flag"
[ "$(json '.allowed_actions | join(",")')" = screen ] || fail "allowed: $(json .allowed_actions)"
v=$(etag)

# ---- screening ---------------------------------------------------------------------------
as "$TOK_alice" GET /checklists
expect 200 checklists
[ "$(json '[.checklists[].name] | join(",")')" = "ilo_ec,unodc" ] || fail "checklists"
as "$TOK_ann" GET "/checklists/ilo_ec?list=child_labour"
expect 200 "one checklist, any signed-in user"
[ "$(json '.dimensions | length')" = 6 ] || fail "six dimensions"
[ "$(json '.dimensions[3].items | length')" -gt 0 ] || fail "dimension 4 has items"
[ "$(json '.dimensions[3].items[0].grade' | grep -c '^[SMW]$')" = 1 ] || fail "grades"
# one strong and one medium indicator: dimension 4 is positive
items=$(jq -c '[.dimensions[3].items[0:2][].code]' "$T/body")
[ "$(jq -r '[.dimensions[3].items[0:2][].grade] | join("")' "$T/body")" = SM ] || fail "S, M"

as "$TOK_alice" GET "/checklists/ilo_ec?list=nope"
expect 400 "unknown list"
as "$TOK_alice" GET /checklists/nope
expect 404 "unknown checklist"

post "$TOK_alice" "/persons/$pid/transitions" '{"action":"screen","reason":"first interview"}'
expect 428 "an action needs If-Match"
post "$TOK_alice" "/persons/$pid/transitions" '{"action":"screen","reason":"first interview"}' \
	-H "If-Match: $v"
expect 409 "screen before any screening"
[ "$(json '.current.missing | index("screening") != null')" = true ] || fail "missing screening"
post "$TOK_alice" "/persons/$pid/screenings" "{\"checklist\":\"ilo_ec\",\"items\":$items,\"note\":\"n\"}"
expect 201 "record a screening"
[ "$(json .report.screening.list)" = child_labour ] || fail "a child gets the children's list"
[ "$(json '.report.screening.dimensions[3].positive')" = true ] || fail "dimension 4 positive"
[ "$(json .report.protocol.child)" = true ] || fail "art. 3 beside it"
[ "$(json .report.protocol.means_required)" = false ] || fail "no means needed for a child"
[ -n "$(json .report.notice)" ] || fail "the notice"
post "$TOK_alice" "/persons/$pid/screenings" '{"checklist":"ilo_ec","items":["nope"]}'
expect 400 "an unknown indicator"
[ "$(json .error.field)" = items ] || fail "field of the refusal"
post "$TOK_alice" "/persons/$pid/screenings" '{"checklist":"ilo_ec","items":[],"extra":1}'
expect 400 "an unknown member"
as "$TOK_alice" GET "/persons/$pid/screenings/report"
expect 200 "the report"
as "$TOK_alice" GET "/persons/$pid/screenings"
expect 200 "the screenings"
[ "$(json '.screenings | length')" = 1 ] || fail "one screening"

post "$TOK_alice" "/persons/$pid/transitions" '{"action":"screen","reason":"indicators found"}' \
	-H "If-Match: $v"
expect 201 screen
[ "$(json .status.stage)" = screened ] || fail "screened"
[ "$(json .transition.reason)" = "indicators found" ] || fail "the reason is kept"
rid=$(tr -d '\r' <"$T/headers" | sed -n 's/^X-Request-Id: //Ip')
v2=$(etag)
[ "$v2" != "$v" ] || fail "an action makes a new version"
post "$TOK_alice" "/persons/$pid/transitions" '{"action":"reasonable_grounds","reason":"x"}' \
	-H "If-Match: $v"
expect 412 "a stale action"
[ "$(json .current.stage)" = screened ] || fail "412 carries the current status"
post "$TOK_alice" "/persons/$pid/transitions" '{"action":"identify","reason":"x"}' -H "If-Match: $v2"
expect 409 "identify from screened"
[ "$(json '.current.allowed_actions | join(",")')" = "reasonable_grounds,screen_out" ] ||
	fail "allowed actions: $(json .current)"
json .error.message | grep -q "reasonable_grounds" || fail "the message names the actions"
post "$TOK_alice" "/persons/$pid/transitions" '{"action":"fly","reason":"x"}' -H "If-Match: $v2"
expect 400 "an unknown action"
post "$TOK_alice" "/persons/$pid/transitions" '{"action":"reasonable_grounds"}' -H "If-Match: $v2"
expect 400 "an action without a reason"
post "$TOK_alice" "/persons/$pid/referrals" '{"service":"shelter"}'
expect 409 "no referral before reasonable grounds"
post "$TOK_alice" "/persons/$pid/transitions" \
	'{"action":"reasonable_grounds","reason":"credible account","reflection_days":45}' -H "If-Match: $v2"
expect 201 "reasonable grounds"
[ "$(json .status.reflection_period.days)" = 45 ] || fail "the reflection period starts"
[ "$(json .status.reflection_period.days_left)" -ge 44 ] || fail "days left"
v=$(etag)

# ---- a referral to another agency: consent first, then notifications --------------------
post "$TOK_alice" "/persons/$pid/referrals" '{"service":"shelter","provider":"Shelter"}'
expect 409 "a referral to another agency needs consent"
post "$TOK_alice" "/persons/$pid/consents" \
	'{"purpose":"referral","recipient_type":"agency","recipient":"Shelter"}'
expect 201 "consent to the referral"
post "$TOK_alice" "/persons/$pid/referrals" '{"service":"nope"}'
expect 400 "an unknown service"
post "$TOK_alice" "/persons/$pid/referrals" '{"service":"shelter","provider":"Shelter","note":"bed"}'
expect 201 "referral"
ref=$(json .id)
[ "$(json .status)" = offered ] || fail "offered"
grep -qi "^Location: /api/v1/referrals/$ref" "$T/headers" || fail "Location"
post "$TOK_alice" "/persons/$pid/referrals" '{"service":"legal_aid","provider":"a lawyer"}'
expect 201 "a referral outside ctip needs no agency consent"
as "$TOK_sam" GET /notifications
expect 200 "the provider's notifications"
[ "$(json '.notifications[0].kind')" = nrm.referral ] || fail "the provider is notified"
[ "$(json '.notifications[0].record_id')" = "$ref" ] || fail "it names the referral"
json '.notifications[0].message' | grep -q Ana && fail "a notification holds no personal data"
as "$TOK_sam" GET "/referrals/$ref"
expect 200 "the provider reads its referral"
as "$TOK_sam" GET "/persons/$pid/nrm"
expect 404 "... and nothing else of the person"
post "$TOK_sam" "/referrals/$ref/status" '{"status":"accepted","reason":"bed free"}'
expect 428 "a move needs If-Match"
post "$TOK_sam" "/referrals/$ref/status" '{"status":"provided","reason":"x"}' -H 'If-Match: "1"'
expect 409 "offered -> provided is not a move"
post "$TOK_sam" "/referrals/$ref/status" '{"status":"accepted","reason":"bed free"}' -H 'If-Match: "1"'
expect 200 "the provider accepts"
[ "$(json .status)" = accepted ] && [ "$(json .version)" = 2 ] || fail "accepted, version 2"
post "$TOK_alice" "/referrals/$ref/status" '{"status":"provided","reason":"x"}' -H 'If-Match: "1"'
expect 412 "a stale move"
[ "$(json .current.status)" = accepted ] || fail "412 carries the referral"
as "$TOK_alice" GET /notifications
[ "$(json '.notifications[0].kind')" = nrm.referral.status ] || fail "the referrer is notified"
post "$TOK_alice" "/referrals/$ref/status" '{"status":"provided","reason":"moved in"}' -H 'If-Match: "2"'
expect 200 "provided"
as "$TOK_alice" GET "/persons/$pid/referrals?status=provided"
expect 200 "the services provided"
[ "$(json '.referrals | length')" = 1 ] && [ "$(json '.referrals[0].service')" = shelter ] ||
	fail "filter by status"
as "$TOK_alice" GET "/persons/$pid/referrals?status=bogus"
expect 400 "a bad filter"

# ---- identified; return refused without the child gates -----------------------------------
post "$TOK_alice" "/persons/$pid/transitions" '{"action":"identify","reason":"decision 12"}' \
	-H "If-Match: $v"
expect 201 identify
v=$(etag)
post "$TOK_alice" "/persons/$pid/transitions" '{"action":"return","reason":"family found"}' \
	-H "If-Match: $v"
expect 409 "return without guardian and best interests"
[ "$(json '.current.missing | join(",")')" = "guardian,best_interests" ] || fail "missing gates"
json .error.message | grep -q guardian || fail "the refusal names the guardian"
as "$TOK_alice" POST "/persons/$pid/transitions" -H "$J" -H "If-Match: $v" -H 'Accept-Language: fr' \
	-d '{"action":"return","reason":"family found"}'
expect 409 "in French"
json .error.message | grep -q "tuteur" || fail "French message: $(json .error.message)"
post "$TOK_carol" "/persons/$pid/child-measures" '{"kind":"guardian","note":"appointed by court"}'
expect 201 "guardian"
[ "$(json .status.child_protection.guardian)" = true ] || fail "guardian recorded"
[ "$(json '.status.missing | join(",")')" = best_interests ] || fail "still missing"
post "$TOK_alice" "/persons/$pid/transitions" '{"action":"return","reason":"family found"}' \
	-H "If-Match: $v"
expect 409 "return without best interests"
post "$TOK_carol" "/persons/$pid/child-measures" '{"kind":"uncle"}'
expect 400 "an unknown measure"
post "$TOK_carol" "/persons/$pid/child-measures" '{"kind":"best_interests"}'
expect 201 "best interests"
as "$TOK_alice" GET "/persons/$pid/child-measures"
[ "$(json '.child_measures | length')" = 2 ] || fail "two measures"
post "$TOK_alice" "/persons/$pid/transitions" '{"action":"return","reason":"family found"}' \
	-H "If-Match: $v"
expect 201 "return"
[ "$(json .status.stage)" = returned ] || fail returned
as "$TOK_alice" GET "/persons/$pid/transitions"
expect 200 history
[ "$(json '[.transitions[].action] | join(",")')" = "screen,reasonable_grounds,identify,return" ] ||
	fail "history: $(json '[.transitions[].action]')"

# ---- counselling notes stay with their agency -------------------------------------------------
post "$TOK_alice" "/persons/$pid/notes" '{"text":"talked about the family"}'
expect 201 "a note"
as "$TOK_carol" GET "/persons/$pid/notes"
expect 200 "notes of the same agency"
[ "$(json '.notes[0].text')" = "talked about the family" ] || fail "note text"
# the shelter assists the person (its referral was accepted, then provided): once the case is
# shared with it, it keeps its own notes, and neither agency reads the other's
post "$TOK_sam" "/persons/$pid/notes" '{"text":"shelter intake"}'
expect 404 "the provider does not reach the person before the case is shared"
post "$TOK_alice" "/cases/$case_id/shares" '{"agency":"Shelter","reason":"assistance"}'
expect 201 "share with the shelter"
post "$TOK_sam" "/persons/$pid/notes" '{"text":"shelter intake"}'
expect 201 "the assisting agency writes its notes"
as "$TOK_sam" GET "/persons/$pid/notes"
[ "$(json '[.notes[].text] | join(",")')" = "shelter intake" ] || fail "the shelter's notes only"
as "$TOK_alice" GET "/persons/$pid/notes"
[ "$(json '[.notes[].text] | join(",")')" = "talked about the family" ] || fail "NGO One's notes only"

# ---- an investigator: assistance data only with consent --------------------------------------
post "$TOK_alice" "/cases/$case_id/shares" '{"agency":"Police","reason":"investigation"}'
expect 201 "share with the police"
as "$TOK_bob" GET "/persons/$pid"
expect 200 "the investigator reaches the person"
for p in nrm transitions referrals screenings/report consents child-measures; do
	as "$TOK_bob" GET "/persons/$pid/$p"
	expect 403 "investigator without consent: $p"
done
json .error.message | grep -q consent || fail "the refusal says why"
as "$TOK_bob" GET "/referrals/$ref"
expect 403 "investigator without consent: a referral"
as "$TOK_bob" GET "/persons/$pid/notes"
expect 403 "investigator: notes"
post "$TOK_alice" "/persons/$pid/consents" \
	'{"purpose":"assistance_data","recipient_type":"agency","recipient":"Police","note":"signed"}'
expect 201 "consent to the police"
cid=$(json .id)
for p in nrm transitions referrals screenings/report consents child-measures; do
	as "$TOK_bob" GET "/persons/$pid/$p"
	expect 200 "investigator with consent: $p"
done
as "$TOK_bob" GET "/persons/$pid/notes"
expect 403 "counselling notes, whatever the consent"
post "$TOK_bob" "/persons/$pid/transitions" '{"action":"close","reason":"x"}' -H "If-Match: $v"
expect 403 "investigators take no NRM decision"
post "$TOK_ed" "/consents/$cid/withdrawal" '{"reason":"asked"}'
expect 404 "another agency's consent record"
post "$TOK_alice" "/consents/$cid/withdrawal" '{}'
expect 400 "a withdrawal needs a reason"
post "$TOK_alice" "/consents/$cid/withdrawal" '{"reason":"the person asked"}'
expect 200 "withdraw"
[ "$(json .withdrawn_on)" != null ] || fail "withdrawn"
post "$TOK_alice" "/consents/$cid/withdrawal" '{"reason":"again"}'
expect 409 "withdrawn twice"
as "$TOK_bob" GET "/persons/$pid/nrm"
expect 403 "consent withdrawn: at once"

# ---- non-punishment: prosecutors see it -------------------------------------------------------
as "$TOK_alice" PUT "/persons/$pid/non-punishment" -H "$J" \
	-d '{"flag":true,"offence":"theft","reason":"forced to steal by the exploiters"}'
expect 200 "set non-punishment"
as "$TOK_pat" GET "/persons/$pid/non-punishment"
expect 200 "the prosecutor sees the flag"
[ "$(json .flag)" = true ] && [ "$(json .offence)" = theft ] || fail "flag: $(cat "$T/body")"
as "$TOK_pat" GET "/persons/$pid/nrm"
expect 403 "... but not the assistance data"
as "$TOK_ann" GET "/persons/$pid/non-punishment"
expect 403 "analyst: non-punishment"

# ---- analysts, other agencies, coordinators of other agencies --------------------------------
for p in nrm transitions referrals notes consents; do
	as "$TOK_ann" GET "/persons/$pid/$p"
	expect 403 "analyst: $p"
done
for p in nrm transitions referrals notes consents non-punishment; do
	as "$TOK_ed" GET "/persons/$pid/$p"
	expect 404 "another agency's person: $p"
done
post "$TOK_ed" "/persons/$pid/transitions" '{"action":"close","reason":"x"}' -H "If-Match: $v"
expect 404 "another agency's person: an action"
post "$TOK_ed" "/persons/$pid/notes" '{"text":"x"}'
expect 404 "another agency's person: a note"
as "$TOK_ed" GET "/referrals/$ref"
expect 404 "another agency's referral"
as "$TOK_cora" GET "/persons/$pid/nrm"
expect 403 "a coordinator of another agency: no assistance data"
as "$TOK_alice" GET "/persons/00000000-0000-7000-8000-000000000000/nrm"
expect 404 "no such person"

# ---- the reflection period's defaults -------------------------------------------------------
as "$TOK_cora" PUT /nrm/reflection-period -H "$J" -d '{"country":"FRA","days":20,"reason":"x"}'
expect 400 "under 30 days"
as "$TOK_cora" PUT /nrm/reflection-period -H "$J" \
	-d '{"country":"FRA","days":60,"reason":"national law, art. L425-1"}'
expect 200 "set the default"
as "$TOK_alice" GET "/nrm/reflection-period?country=FRA"
[ "$(json .days)" = 60 ] || fail "the default: $(cat "$T/body")"
as "$TOK_alice" PUT /nrm/reflection-period -H "$J" -d '{"days":60,"reason":"x"}'
expect 403 "caseworkers do not set it"

# ---- the audit trail -----------------------------------------------------------------------
stop_server
"$CTIP" audit verify "$db" >"$T/out" 2>&1 || fail "audit verify: $(cat "$T/out")"
q() { sqlite3 "$db" "$1"; }
[ "$(q "SELECT reason FROM audit WHERE action = 'nrm.transition' AND request_id = '$rid'")" = \
	"indicators found" ] || fail "the action's audit entry has its reason and request id"
[ "$(q "SELECT count(*) FROM audit WHERE action = 'nrm.transition' AND actor = 'alice'")" = 4 ] ||
	fail "four actions audited"
[ "$(q "SELECT count(*) FROM audit WHERE action = 'nrm.read' AND actor = 'bob'")" -ge 6 ] ||
	fail "the investigator's reads are audited"
[ "$(q "SELECT count(*) FROM audit WHERE action = 'nrm.note.add' AND detail LIKE '%family%'")" = 0 ] ||
	fail "the audit never holds a note's text"
[ "$(q "SELECT count(*) FROM audit WHERE action LIKE 'nrm.%' AND request_id IS NULL")" = 0 ] ||
	fail "every NRM entry has its request id"
finish
