#!/bin/sh
# /api/v1/estimate: multiple systems estimation over the database (GET) and
# of capture histories sent as JSON or CSV (POST), for the coordinator and
# the analyst; analysts get the published view only; bad input is refused
# naming its place; the work a request may ask for is bounded.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

# same NAME A B: the two numbers agree to 12 significant digits (the CLI
# prints 15, the API all of them)
same() {
	awk -v a="$2" -v b="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-12 * (a < 0 ? -a : a) + 1e-300) }' ||
		fail "$1: $2 vs $3"
}

db=$T/t.db
"$CTIP" demo "$db" --cases 400 --seed 3 --with-keys --today 2025-06-30 >/dev/null 2>&1 || fail demo
home=$(sqlite3 "$db" "SELECT name FROM agency WHERE country = 'DEU' ORDER BY name LIMIT 1")
make_user "$db" cora coordinator "$home"
make_user "$db" ana analyst "$home"
make_user "$db" carl caseworker "$home"
make_user "$db" adam admin "$home"
start_server "$db" --rate-limit 0

# ---- GET over the database -------------------------------------------------
"$CTIP" link overlaps "$db" --lists agency --country DEU -o "$T/h.csv" 2>/dev/null || fail overlaps
n_cli=$(awk -F, 'NR > 1 { n += $NF } END { print n }' "$T/h.csv")
as "$TOK_cora" GET "/estimate?lists=agency&country=DEU&interval=wald&publish=false"
expect 200 "coordinator, exact"
[ "$(json .n_obs)" = "$n_cli" ] || fail "n_obs $(json .n_obs), the CLI's histories have $n_cli"
[ "$(json '.estimate > .n_obs')" = true ] || fail "estimate $(json .estimate)"
[ "$(json '.model.deviance | type')" = number ] || fail "exact view has the deviance"
"$CTIP" estimate "$db" --lists agency --country DEU --interval wald --format json >"$T/cli.json" 2>/dev/null
same "API and CLI" "$(json .estimate)" "$(jq -r .estimate "$T/cli.json")"

as "$TOK_ana" GET "/estimate?lists=agency&country=DEU&interval=wald"
expect 200 "analyst, published"
[ "$(json .published)" = true ] || fail "published"
# no count from 1 to 4 is shown; the masked ones are strings
[ "$(json '[.overlaps[][-1] | numbers | select(. >= 1 and . <= 4)] | length')" = 0 ] ||
	fail "a small count is published: $(jq -c .overlaps "$T/body")"
if [ "$(json '[.overlaps[][-1] | strings] | length')" != 0 ]; then
	[ "$(json '.model | has("deviance")')" = false ] || fail "fit statistics with masked cells"
	[ "$(json '.model.terms | map(has("p")) | any')" = false ] || fail "p-values with masked cells"
else
	fail "expected masked cells in this small demo: $(jq -c .overlaps "$T/body")"
fi
as "$TOK_ana" GET "/estimate?lists=agency&country=DEU&publish=false"
expect 403 "analyst asks for exact counts"
[ "$(json .error.field)" = publish ] || fail "field publish"

as "$TOK_cora" GET "/estimate?lists=agency&country=DEU&by=year&interval=wald&publish=false"
expect 200 "by year"
[ "$(json 'type')" = array ] || fail "strata give an array"
[ "$(json '.[0].stratum | has("year")')" = true ] || fail "stratum year"
[ "$(json '[.[] | select(.estimate == null) | has("reason")] | all')" = true ] || fail "reasons"

as "$TOK_cora" GET "/estimate?lists=agency&country=DEU&by=year,sex&bootstrap=2000"
expect 400 "too many replicates in all"
[ "$(json .error.field)" = bootstrap ] || fail "field bootstrap: $(json .error.field)"
as "$TOK_cora" GET "/estimate?lists=agency&bootstrap=5000"
expect 400 "bootstrap over the maximum"
as "$TOK_cora" GET "/estimate?country=DEU"
expect 400 "no lists"
[ "$(json .error.field)" = lists ] || fail "field lists"
as "$TOK_cora" GET "/estimate?lists=colour"
expect 400 "unknown lists"
as "$TOK_cora" GET "/estimate?lists=agency&by=colour"
expect 400 "unknown stratum"
[ "$(json .error.field)" = by ] || fail "field by"
as "$TOK_cora" GET "/estimate?lists=agency&country=FRA"
expect 422 "fewer than 3 lists"
json .error.message | grep -q "at least 3" || fail "reason: $(json .error.message)"
as "$TOK_cora" GET "/estimate?lists=agency"
expect 422 "more than 12 lists"
as "$TOK_cora" GET "/estimate?lists=agency&country=DEU&interval=wald&replicates=true"
expect 400 "replicates need bca"
[ "$(json .error.field)" = replicates ] || fail "field replicates"
as "$TOK_cora" GET "/estimate?lists=agency&country=DEU&colour=red"
expect 400 "unknown parameter"

# refused roles
as "$TOK_carl" GET "/estimate?lists=agency&country=DEU"
expect 403 "caseworker"
as "$TOK_adam" GET "/estimate?lists=agency&country=DEU"
expect 403 "admin"
req GET "/estimate?lists=agency&country=DEU"
expect 401 "anonymous"

# ---- POST of capture histories ------------------------------------------------
good='{"lists":["P","N","H"],"histories":[[1,0,0,54],[0,1,0,46],[0,0,1,30],[1,1,0,15],[1,0,1,3],[0,1,1,8],[1,1,1,2]]}'
as "$TOK_ana" POST "/estimate?bootstrap=200&replicates=true" -H 'Content-Type: application/json' -d "$good"
expect 200 "analyst POST JSON"
[ "$(json .n_obs)" = 158 ] || fail "n_obs $(json .n_obs)"
[ "$(json '.replicates | length')" -gt 150 ] || fail "replicates $(json '.replicates | length')"
[ "$(json .overlaps[-1][-1])" = 2 ] || fail "POST is not masked: the histories are the caller's"
printf 'P,N,H,count\n1,0,0,54\n0,1,0,46\n0,0,1,30\n1,1,0,15\n1,0,1,3\n0,1,1,8\n1,1,1,2\n' >"$T/in.csv"
as "$TOK_cora" POST "/estimate?method=aic" -H 'Content-Type: text/csv' --data-binary "@$T/in.csv"
expect 200 "coordinator POST CSV"
"$CTIP" estimate "$T/in.csv" --method aic --format json >"$T/cli.json" 2>/dev/null
same "POST and CLI" "$(json .estimate)" "$(jq -r .estimate "$T/cli.json")"
same "POST and CLI intervals" "$(json .interval.upper)" "$(jq -r .interval.upper "$T/cli.json")"

# bad histories: every problem named
bad='{"lists":["P","N","H"],"histories":[[1,0,0,54],[0,2,0,46],[0,0,1,-3],[1,1,0,1.5]]}'
as "$TOK_cora" POST "/estimate" -H 'Content-Type: application/json' -d "$bad"
expect 400 "non-0/1 cell, negative and non-integer counts"
[ "$(json .error.code)" = invalid_input ] || fail "code"
[ "$(json .error.field)" = "histories[1]" ] || fail "field $(json .error.field)"
[ "$(json '.problems | map(.field) | join(",")')" = "histories[1],histories[2],histories[3]" ] ||
	fail "problems $(jq -c .problems "$T/body")"
as "$TOK_cora" POST "/estimate" -H 'Content-Type: application/json' \
	-d '{"lists":["P","N"],"histories":[[1,0,3],[1,1,2]]}'
expect 400 "two lists"
[ "$(json .error.field)" = lists ] || fail "field lists"
as "$TOK_cora" POST "/estimate" -H 'Content-Type: application/json' \
	-d '{"lists":["P","N","H"],"histories":[[1,0,0,5],[0,1,0,4],[0,0,1,3]]}'
expect 200 "no overlaps"
[ "$(json .estimate)" = null ] || fail "no overlap gives no estimate"
json .reason | grep -q "two lists" || fail "reason $(json .reason)"
printf 'P,N,H,count\n1,0,0,54\n0,7,0,46\n' >"$T/bad.csv"
as "$TOK_cora" POST "/estimate" -H 'Content-Type: text/csv' --data-binary "@$T/bad.csv"
expect 400 "bad CSV"
[ "$(json .error.field)" = "body:3" ] || fail "field $(json .error.field)"
as "$TOK_cora" POST "/estimate" -H 'Content-Type: text/plain' -d 'x'
expect 415 "other content type"
as "$TOK_cora" POST "/estimate" -H 'Content-Type: application/json' -d '{"lists":' -H 'Accept-Language: fr'
expect 400 "JSON syntax"
json .error.message | grep -q "JSON" || fail "message $(json .error.message)"
as "$TOK_cora" POST "/estimate?bootstrap=9" -H 'Content-Type: application/json' -d "$good" \
	-H 'Accept-Language: fr'
expect 400 "bootstrap under the minimum, French"
json .error.message | grep -q "nombre entier" || fail "French: $(json .error.message)"
head -c 2200000 /dev/zero | tr '\0' '1' >"$T/big"
as "$TOK_cora" POST "/estimate" -H 'Content-Type: text/csv' --data-binary "@$T/big"
expect 413 "body over 2 MiB"
as "$TOK_carl" POST "/estimate" -H 'Content-Type: application/json' -d "$good"
expect 403 "caseworker POST"
stop_server
finish
