#!/bin/sh
# `make run`: the main job on demo data. Usage: scripts/run-demo.sh BUILDDIR
set -eu
build=${1:-build}
"$build/ctip" --version
