#!/bin/sh
# Adds to po/<lang>/<module>.po every message of src/<module> that no
# catalogue of <lang> translates yet, with an empty msgstr to fill in.
# Usage: scripts/po-update.sh MODULE [LANG]      (LANG defaults to fr)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
module=$1 lang=${2:-fr}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find "$top/src/$module" -name '*.c' -o -name '*.h' | sort >"$tmp/files"
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --no-location \
	--files-from="$tmp/files" -o "$tmp/module.pot"
po="$top/po/$lang/$module.po"
if [ ! -f "$po" ]; then
	printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: %s\\n"\n' "$lang" >"$po"
fi
others=$(find "$top/po/$lang" -name '*.po' | sort)
# shellcheck disable=SC2086
msgcat --use-first -o "$tmp/all.po" $others
msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" "$tmp/all.po" "$tmp/module.pot"
msgattrib --untranslated --no-obsolete --no-wrap "$tmp/merged.po" | sed '1,/^$/d' >"$tmp/new.po"
if [ -s "$tmp/new.po" ]; then
	printf '\n' >>"$po"
	cat "$tmp/new.po" >>"$po"
	echo "added $(grep -c '^msgid' "$tmp/new.po") message(s) to $po"
fi
