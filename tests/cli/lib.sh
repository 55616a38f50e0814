# Shared helpers for the end-to-end CLI tests (sourced).
set -u
: "${CTIP:?CTIP must name the ctip binary}"
T=$(mktemp -d /tmp/ctip-e2e-XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T"
fails=0

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

# expect_status N CMD...: runs CMD, stdout to $T/out, stderr to $T/err.
expect_status() {
	want=$1
	shift
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want; stderr: $(head -5 "$T/err")"
}

# expect_in FILE TEXT: FILE contains TEXT (fixed string).
expect_in() {
	grep -qF -- "$2" "$1" || fail "$1 lacks '$2'; it holds: $(head -5 "$1")"
}

expect_not_in() {
	if grep -qF -- "$2" "$1"; then fail "$1 should not hold '$2'"; fi
}

finish() {
	[ "$fails" -eq 0 ] || { echo "$fails failure(s)" >&2; exit 1; }
	echo ok
}
