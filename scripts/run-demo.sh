#!/bin/sh
# `make run`: a fresh demo database (BUILDDIR/demo.db, a few thousand cases of
# several agencies; docs/demo-data.md) and a summary report of it. Until the
# server exists this is the main job; the server issue starts ctip on it here.
# Usage: scripts/run-demo.sh BUILDDIR
set -eu
build=${1:-build}
db="$build/demo.db"
rm -f "$db" "$db-wal" "$db-shm" "$build/demo.truth.csv"
"$build/ctip" demo "$db" --cases 3000 --seed 1 --truth "$build/demo.truth.csv"
"$build/ctip" summary "$db"
echo
echo "ctip: demo database $db (truth of its persons: $build/demo.truth.csv)"
echo "ctip: try '$build/ctip export $db --format csv', or LANG=fr_FR.UTF-8 '$build/ctip' summary $db"
