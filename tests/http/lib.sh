# Helpers for the end-to-end API tests: a real `ctip serve` on a free
# loopback port, driven with curl; JSON read with jq. Sourced after
# tests/cli/lib.sh (fail, finish, $T).
: "${CTIP:?CTIP must name the ctip binary}"
command -v curl >/dev/null || { echo "curl is missing (scripts/deps.sh test)" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq is missing (scripts/deps.sh test)" >&2; exit 1; }

SERVER_PID=
stop_server() {
	[ -n "$SERVER_PID" ] || return 0
	kill -TERM "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
}
trap 'stop_server; rm -rf "$T"' EXIT

# start_server DB [serve options...]: starts ctip serve, sets $URL (…/api/v1).
start_server() {
	_sdb=$1
	shift
	rm -f "$T/ready"
	"$CTIP" serve "$_sdb" --listen 127.0.0.1:0 --ready-file "$T/ready" --access-log "$T/access.log" \
		"$@" 2>>"$T/serve.err" &
	SERVER_PID=$!
	i=0
	while [ ! -s "$T/ready" ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ -s "$T/ready" ] || { fail "the server did not start: $(cat "$T/serve.err")"; finish; }
	URL=$(sed 's|/$||' "$T/ready")
}

# req METHOD PATH [curl options...]: $STATUS and $T/body; headers in $T/headers.
req() {
	_rm=$1
	_rp=$2
	shift 2
	STATUS=$(curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' -X "$_rm" "$@" "$URL$_rp")
}

# as TOKEN METHOD PATH [curl options]: a request with a Bearer token.
as() {
	_at=$1
	_am=$2
	_ap=$3
	shift 3
	req "$_am" "$_ap" -H "Authorization: Bearer $_at" "$@"
}

json() { # json FILTER: jq on the last body
	jq -r "$1" "$T/body"
}

expect() { # expect STATUS WHAT
	[ "$STATUS" = "$1" ] || fail "$2: status $STATUS, expected $1; body: $(head -c 300 "$T/body")"
}

# make_user DB NAME ROLE AGENCY: a user with a password (its name twice)
# and an API token, in $TOK_<NAME>.
make_user() {
	printf '%s-password\n' "$2" | "$CTIP" user add "$1" "$2" --role "$3" --agency "$4" \
		--password-stdin --hash-cost min >/dev/null 2>"$T/err" || fail "user add $2: $(cat "$T/err")"
	_mt=$("$CTIP" token create "$1" "$2" 2>"$T/err") || fail "token $2: $(cat "$T/err")"
	eval "TOK_$2=\$_mt"
}
