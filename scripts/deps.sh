#!/bin/sh
# Installs the Debian packages ctip needs to build and test, only those missing.
# Usage: scripts/deps.sh [build|test|bench]   (default: build)
set -eu

build_pkgs="cmake make clang pkg-config gettext sqlite3 libsqlite3-dev libjansson-dev \
libsodium-dev libmicrohttpd-dev libutf8proc-dev libgsl-dev liblapacke-dev liblapack-dev \
libglpk-dev libxlsxwriter-dev libpq-dev"
test_pkgs="libcmocka-dev libclang-rt-14-dev python3 curl jq openssl chromium"
bench_pkgs="wrk"

want="$build_pkgs"
# the web UI is built with Node.js (>= 20.19) and npm; Debian's only when none is there
command -v node >/dev/null 2>&1 || want="$want nodejs"
command -v npm >/dev/null 2>&1 || want="$want npm"
case "${1:-build}" in
build) ;;
test) want="$want $test_pkgs" ;;
bench) want="$want $test_pkgs $bench_pkgs" ;;
*) echo "usage: $0 [build|test|bench]" >&2; exit 1 ;;
esac

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "ctip: installing missing Debian packages:$missing"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "ctip: installed:$missing"
