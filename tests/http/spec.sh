#!/bin/sh
# docs/openapi.yaml and the routes table (src/http/routes.c, printed by
# `ctip serve --routes`) describe the same operations with the same
# permissions: every route documented, every documented operation routed.
. "$(dirname "$0")/../cli/lib.sh"
spec="$CT_SOURCE_DIR/docs/openapi.yaml"
[ -r "$spec" ] || { fail "no $spec"; finish; }

"$CTIP" serve --routes | awk -F'\t' '{ print $1 " " $2 " " $3 }' | sort >"$T/routes"
[ -s "$T/routes" ] || fail "ctip serve --routes printed nothing"

# paths at two spaces, methods at four, x-permission at six (this file's layout)
awk '
/^[a-z]/ { inpaths = ($0 == "paths:") ; next }
!inpaths { next }
/^  \/[^ ]*:$/ { path = substr($1, 1, length($1) - 1); next }
/^    (get|post|put|delete|patch):/ {
	if (method != "" && perm == "") print "MISSING-PERMISSION " method " " path
	m = $1; sub(":", "", m); method = toupper(m); perm = ""; mpath = path; next }
/^      x-permission: / { perm = $2; print method " /api/v1" mpath " " perm; next }
END { }
' "$spec" | sort >"$T/spec"
grep -q MISSING-PERMISSION "$T/spec" && fail "operations without x-permission: $(grep MISSING "$T/spec")"

comm -23 "$T/routes" "$T/spec" >"$T/undocumented"
comm -13 "$T/routes" "$T/spec" >"$T/unrouted"
[ -s "$T/undocumented" ] && fail "routes missing from docs/openapi.yaml (or with another permission): $(cat "$T/undocumented")"
[ -s "$T/unrouted" ] && fail "documented operations the server does not route: $(cat "$T/unrouted")"
finish
