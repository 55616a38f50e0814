#!/bin/sh
# Fails when a message marked with _() or N_() in src/ has no translation in
# one of the catalogues po/<lang>/*.po (English is the source language).
# Usage: scripts/check-translations.sh [SRCDIR]
set -eu
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find "$top/src" -name '*.c' -o -name '*.h' | sort >"$tmp/files"
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --no-location \
	--files-from="$tmp/files" -o "$tmp/ctip.pot" 2>"$tmp/xgettext.err" || {
	cat "$tmp/xgettext.err" >&2
	exit 1
}
status=0
for dir in "$top"/po/*/; do
	lang=$(basename "$dir")
	msgcat --use-first -o "$tmp/$lang.po" "$dir"*.po
	msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.merged.po" "$tmp/$lang.po" "$tmp/ctip.pot"
	missing=$(msgattrib --untranslated --no-obsolete "$tmp/$lang.merged.po" | grep -c '^msgid ' || true)
	# the header entry counts as one msgid
	if [ "$missing" -gt 1 ]; then
		echo "po/$lang: $((missing - 1)) message(s) without a translation:" >&2
		msgattrib --untranslated --no-obsolete "$tmp/$lang.merged.po" | grep -A1 '^msgid ' | grep -v '^msgid ""$' | grep '^msgid' >&2
		status=1
	fi
done
exit $status
