#!/bin/sh
# Replays the checked-in corpus, then fuzzes for SECONDS with it as a seed.
# A crash or leak fails the test; the reproducer is kept under WORK/.
# Usage: run.sh FUZZER CORPUS WORK SECONDS
set -eu
fuzzer=$1 corpus=$2 work=$3 seconds=$4
mkdir -p "$work/new" "$work/artifacts"
# 1. regression: every saved input, including past crashes
"$fuzzer" -runs=0 "$corpus" >"$work/replay.log" 2>&1 || { tail -40 "$work/replay.log"; exit 1; }
# 2. a short fuzz run; new interesting inputs go to WORK/new, not the repo
"$fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$work/artifacts/" "$work/new" "$corpus" >"$work/fuzz.log" 2>&1 ||
	{ tail -60 "$work/fuzz.log"; exit 1; }
tail -1 "$work/fuzz.log"
