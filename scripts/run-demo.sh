#!/bin/sh
# `make run`: a fresh demo database (BUILDDIR/demo.db, a few thousand cases of
# several agencies; docs/demo-data.md), a summary report of it, demo users of
# every role at three agencies (their passwords printed once, here), then the
# API server on it until Ctrl-C (docs/api.md).
# Usage: scripts/run-demo.sh BUILDDIR     (CTIP_LISTEN overrides 127.0.0.1:8080)
set -eu
build=${1:-build}
ctip="$build/ctip"
db="$build/demo.db"
listen=${CTIP_LISTEN:-127.0.0.1:8080}
rm -f "$db" "$db-wal" "$db-shm" "$build/demo.truth.csv"
"$ctip" demo "$db" --cases 3000 --seed 1 --truth "$build/demo.truth.csv"
"$ctip" summary "$db"
echo
echo "ctip: demo database $db (truth of its persons: $build/demo.truth.csv)"

# demo users: every role at the three agencies with the most cases
roles="admin coordinator caseworker child_protection investigator prosecutor analyst auditor"
sqlite3 "$db" "SELECT a.name FROM case_ c JOIN agency a ON a.id = c.agency_id
	GROUP BY a.id ORDER BY count(*) DESC, a.name LIMIT 3" >"$build/demo.agencies"
echo
echo "ctip: demo users (shown once; they are not stored anywhere but the database, hashed):"
printf '  %-20s %-24s %s\n' user password agency
n=0
while IFS= read -r agency; do
	n=$((n + 1))
	for role in $roles; do
		pw=$(head -c 12 /dev/urandom | base64 | tr '+/' '-_')
		printf '%s\n' "$pw" | "$ctip" user add "$db" "$role$n" --role "$role" --agency "$agency" \
			--password-stdin >/dev/null
		printf '  %-20s %-24s %s\n' "$role$n" "$pw" "$agency"
	done
done <"$build/demo.agencies"
rm -f "$build/demo.agencies"
echo
echo "ctip: the API is at http://$listen/api/v1/ — sign in with"
echo "  curl -c jar -H 'Content-Type: application/json' -d '{\"username\":\"caseworker1\",\"password\":\"...\"}' http://$listen/api/v1/session"
echo "  (docs/api.md; Ctrl-C stops the server)"
exec "$ctip" serve "$db" --listen "$listen"
