#!/bin/sh
# /api/v1/stats/tables: the coordinator and the analyst read the published
# tables; an analyst cannot ask for exact counts; other roles are refused.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

db=$T/t.db
"$CTIP" init "$db" --agency "Police FRA" --type law_enforcement --country FRA >/dev/null 2>&1 || fail init
"$CTIP" agency add "$db" "NGO FRA" --type ngo --country FRA >/dev/null || fail agency
"$CTIP" import "$db" "$CT_SOURCE_DIR/tests/stats/fixture.jsonl" >/dev/null 2>&1 || fail import
make_user "$db" cora coordinator "Police FRA"
make_user "$db" ana analyst "Police FRA"
make_user "$db" carl caseworker "NGO FRA"
start_server "$db" --rate-limit 0

as "$TOK_ana" GET "/stats/tables?from=2023&to=2023"
expect 200 "analyst reads published tables"
[ "$(json .published)" = true ] || fail "published by default"
[ "$(json '.tables[0].id')" = victims_sex_age ] || fail "first table"
json '.tables[0].cells[4][3]' | grep -q '^x$\|^<5$\|^7$' || fail "total cell: $(json '.tables[0].cells[4][3]')"
as "$TOK_ana" GET "/stats/tables?publish=false"
expect 403 "analyst asks for exact counts"
as "$TOK_cora" GET "/stats/tables?from=2023&to=2023&publish=false"
expect 200 "coordinator reads exact counts"
[ "$(json '.tables[0].cells[4][3]')" = 7 ] || fail "exact total"
as "$TOK_cora" GET "/stats/tables?by=sex,form&publish=false" -H 'Accept-Language: fr'
expect 200 "coordinator --by"
json '.tables[0].title' | grep -q "Victimes" || fail "French title: $(json '.tables[0].title')"
as "$TOK_cora" GET "/stats/tables?by=colour"
expect 400 "bad dimension"
as "$TOK_cora" GET "/stats/tables?from=1200"
expect 400 "bad year"
as "$TOK_carl" GET "/stats/tables"
expect 403 "caseworker"
stop_server
finish
