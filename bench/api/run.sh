#!/bin/sh
# bench/api (issue 3): wrk (-t1 -c32 -d20s, on the same 2 cores as the
# server) against `ctip serve` holding 100,000 demo cases:
#   get     GET /api/v1/cases/{id}, a random case of the caller's agency,
#           authenticated (API token), field rules applied, the read audited
#           in the hash-chained trail before the reply leaves;
#   list    GET /api/v1/cases?status=active&purpose=forced_labour&limit=20
#           (20 cases, each audited);
#   create  POST /api/v1/cases (validated, stored, audited with its values);
#   anchor  bench/api/mhd_min: libmicrohttpd answering a fixed JSON body of
#           the size of the GET reply, same daemon mode and threads.
# Prints requests/s and p99 for each, and get/anchor (target >= 0.5, p99
# < 20 ms). Usage: bench/api/run.sh BUILDDIR [SECONDS]
set -eu
build=${1:-build-bench}
secs=${2:-20}
ctip="$(cd "$build" && pwd)/ctip"
anchor="$(cd "$build" && pwd)/bench/mhd_min"
work="$build/bench-api"
command -v wrk >/dev/null || { echo "bench/api: wrk is missing (scripts/deps.sh bench)" >&2; exit 1; }
mkdir -p "$work"
db="$work/api.db"
threads=2

# 100,000 demo cases, made once and kept between runs (the runs add audit
# entries and created cases, which do not change what is measured)
if [ ! -s "$db" ] || [ "$(sqlite3 "$db" 'SELECT count(*) FROM case_' 2>/dev/null || echo 0)" -lt 100000 ]; then
	rm -f "$db" "$db-wal" "$db-shm"
	echo "api: ctip demo --cases 100000"
	"$ctip" demo "$db" --cases 100000 --seed 3 --today 2025-06-30 >/dev/null
fi
agency=$(sqlite3 "$db" "SELECT a.name FROM case_ c JOIN agency a ON a.id = c.agency_id
	GROUP BY a.id ORDER BY count(*) DESC LIMIT 1")
if ! "$ctip" user list "$db" | grep -q "	bench-caseworker	"; then
	"$ctip" user add "$db" bench-caseworker --role caseworker --agency "$agency" >/dev/null
fi
token=$("$ctip" token create "$db" bench-caseworker --label bench)
sqlite3 "$db" "SELECT c.uuid FROM case_ c JOIN agency a ON a.id = c.agency_id
	WHERE a.name = '$(printf '%s' "$agency" | sed "s/'/''/g")' ORDER BY random() LIMIT 5000" >"$work/ids"
echo "api: $(sqlite3 "$db" 'SELECT count(*) FROM case_') cases; caller: a caseworker of '$agency' ($(wc -l <"$work/ids") of its cases drawn)"

cat >"$work/get.lua" <<EOF
local ids = {}
for line in io.lines("$work/ids") do ids[#ids + 1] = line end
math.randomseed(os.time())
request = function()
	return wrk.format("GET", "/api/v1/cases/" .. ids[math.random(#ids)],
		{["Authorization"] = "Bearer $token"})
end
EOF
cat >"$work/list.lua" <<EOF
wrk.headers["Authorization"] = "Bearer $token"
EOF
cat >"$work/create.lua" <<EOF
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"acts":["recruitment","transportation"],"means":["deception"],"purposes":["forced_labour"],"labour_sector":"agriculture","countries":{"origin":"UKR","exploitation":"POL"},"dates":{"recruitment":"2023-04","identification":"2024-01-15"},"persons":[{"given_name":"Olena","family_name":"Kovalenko","sex":"female","date_of_birth":"1998-04","citizenship":["UKR"]},{"role":"suspect","family_name":"Roe","sex":"male"}]}'
EOF

serve_pid=
anchor_pid=
cleanup() {
	[ -n "$serve_pid" ] && kill -TERM "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
	[ -n "$anchor_pid" ] && kill -TERM "$anchor_pid" 2>/dev/null && wait "$anchor_pid" 2>/dev/null
	true
}
trap cleanup EXIT
wait_ready() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	[ -s "$1" ] || { echo "bench/api: a server did not start" >&2; exit 1; }
}

rm -f "$work/ready" "$work/anchor.ready"
"$ctip" serve "$db" --listen 127.0.0.1:0 --ready-file "$work/ready" --rate-limit 0 \
	--access-log none --threads $threads 2>"$work/serve.err" &
serve_pid=$!
wait_ready "$work/ready"
url=$(sed 's|/api/v1/$||' "$work/ready")
size=$(curl -s -H "Authorization: Bearer $token" "$url/api/v1/cases/$(head -1 "$work/ids")" | wc -c)
"$anchor" "$size" $threads "$work/anchor.ready" &
anchor_pid=$!
wait_ready "$work/anchor.ready"
aurl=$(sed 's|/$||' "$work/anchor.ready")

# run NAME URL [LUA]: prints "NAME requests/s p99" and keeps wrk's output
run() {
	name=$1
	shift
	if [ $# -gt 1 ]; then
		wrk -t1 -c32 -d"${secs}s" --latency -s "$2" "$1" >"$work/$name.wrk" 2>&1
	else
		wrk -t1 -c32 -d"${secs}s" --latency "$1" >"$work/$name.wrk" 2>&1
	fi
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$work/$name.wrk")
	p99=$(awk '$1 == "99%" { print $2 }' "$work/$name.wrk")
	errs=$(awk '/Non-2xx or 3xx responses:/ { print $5 } /Socket errors/ { print "socket errors: " $0 }' "$work/$name.wrk")
	echo "$name $rps $p99 ${errs:-0}"
}

echo "api: wrk -t1 -c32 -d${secs}s --latency (GET reply: $size bytes; $threads server threads each)"
printf '%-8s %12s %10s %s\n' what requests/s p99 non-2xx
for r in "anchor $aurl/" "get $url/ $work/get.lua" \
	"list $url/api/v1/cases?status=active&purpose=forced_labour&limit=20 $work/list.lua" \
	"create $url/api/v1/cases $work/create.lua"; do
	# shellcheck disable=SC2086
	set -- $r
	line=$(run "$@")
	printf '%-8s %12s %10s %s\n' $line
	eval "rps_$1=$(echo "$line" | cut -d' ' -f2)"
done
ratio=$(awk -v g="$rps_get" -v a="$rps_anchor" 'BEGIN { printf "%.2f", g / a }')
echo "get/anchor: $ratio (target >= 0.5; p99 target < 20 ms)"
"$ctip" audit verify "$db"
