#!/bin/sh
# `make bench`: runs every benchmark and prints each figure beside its anchor.
# Usage: bench/run.sh BUILDDIR
set -eu
build=${1:-build-bench}
for b in bench/*/run.sh; do
	[ -x "$b" ] || continue
	echo "== $(dirname "$b")"
	"$b" "$build"
done
