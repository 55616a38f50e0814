#!/bin/sh
# End-to-end: `ctip link` as a user drives it (files in, files out, exit
# statuses of contracts.md, FILE:LINE: column: reason messages, French).
set -eu
: "${CTIP:?}" "${CT_SOURCE_DIR:?}"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >"$t/a.csv" <<'CSV'
id,given_name,family_name,date_of_birth,sex
a1,Olena,Kovalenko,1998-04-12,f
a2,Robert,Smith,1971-06-24,m
a3,Maria,Garcia,1985-01-30,female
a4,Jean,Dupont,1960-11-02,male
CSV
cat >"$t/b.csv" <<'CSV'
id,given_name,family_name,date_of_birth,sex
b1,Олена,Коваленко,1998-04-12,female
b2,Bob,Smith,1971-06-24,male
b3,Marie,Dupond,1960-02-11,male
b4,Ahmed,Haddad,1990-05-05,male
CSV
cat "$t/a.csv" >"$t/all.csv"
tail -n +2 "$t/b.csv" >>"$t/all.csv"

# dedupe: two outputs with the contract's headers
"$CTIP" link dedupe "$t/all.csv" --threshold 0.5 -o "$t/out" >"$t/log" || fail "dedupe exit $?"
head -1 "$t/out.pairs.csv" | grep -qx 'id_a,id_b,probability,explanation' || fail "pairs header"
head -1 "$t/out.clusters.csv" | grep -qx 'id,cluster' || fail "clusters header"
[ "$(wc -l <"$t/out.clusters.csv")" -eq 9 ] || fail "one cluster row per record"
grep -q '^a1,b1,' "$t/out.pairs.csv" || fail "a1-b1 (Cyrillic) not found"
c1=$(grep '^a1,' "$t/out.clusters.csv" | cut -d, -f2)
grep -q "^b1,$c1\$" "$t/out.clusters.csv" || fail "a1 and b1 not in one cluster"
grep -q 'candidate pairs' "$t/log" || fail "no report"

# match: one-to-one links, A's id first
"$CTIP" link match "$t/a.csv" "$t/b.csv" -o "$t/links.csv" >/dev/null || fail "match exit"
grep -q '^a1,b1,' "$t/links.csv" || fail "match a1-b1"
grep -q '^a2,b2,.*given_name:alias' "$t/links.csv" || fail "match a2-b2 through the alias Bob"
! grep -q 'b4' "$t/links.csv" || fail "b4 has no partner"

# bad input: exit 2, every problem as FILE:LINE: column: reason
printf 'id,date_of_birth,sex\n1,1990-13-01x,f\n2,1990,z\n' >"$t/bad.csv"
set +e
"$CTIP" link dedupe "$t/bad.csv" -o "$t/x" 2>"$t/err"
st=$?
set -e
[ $st -eq 2 ] || fail "bad input exit $st"
grep -q "bad.csv:2: date_of_birth: not a date" "$t/err" || fail "date message"
grep -q "bad.csv:3: sex: not a sex code" "$t/err" || fail "sex message"
[ ! -e "$t/x.pairs.csv" ] || fail "output written despite errors"
set +e
"$CTIP" link match "$t/a.csv" "$t/b.csv" --map nosuch=id -o "$t/x.csv" 2>"$t/err"
st=$?
"$CTIP" link dedupe "$t/a.csv" 2>/dev/null
st2=$?
LANGUAGE=fr "$CTIP" link dedupe "$t/bad.csv" -o "$t/x" 2>"$t/err.fr"
set -e
[ $st -eq 2 ] || fail "bad map exit $st"
grep -q "a.csv:1: nosuch: no such column" "$t/err" || fail "map message"
[ $st2 -eq 1 ] || fail "usage exit $st2"
grep -q "pas une date" "$t/err.fr" || fail "French message"

# privacy-preserving: encode three lists, match two, overlaps of three
printf 'a secret shared by the three agencies\n' >"$t/key"
cat >"$t/schema.json" <<'JSON'
{"version": 3, "clkConfig": {"l": 512, "kdf": {"type": "HKDF", "hash": "SHA256", "salt": "c2FsdA=="}},
 "features": [{"identifier": "id", "ignored": true},
  {"identifier": "given_name", "format": {"type": "string"}, "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerFeature": 150}}},
  {"identifier": "family_name", "format": {"type": "string"}, "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerFeature": 150}}},
  {"identifier": "date_of_birth", "format": {"type": "date", "format": "%Y-%m-%d"}, "hashing": {"comparison": {"type": "ngram", "n": 1, "positional": true}, "strategy": {"bitsPerFeature": 150}}},
  {"identifier": "sex", "ignored": true}]}
JSON
cp "$t/a.csv" "$t/c.csv"
for l in a b c; do
	"$CTIP" link encode "$t/$l.csv" --schema "$t/schema.json" --secret-file "$t/key" \
		-o "$t/$l.clk" >/dev/null || fail "encode $l"
done
head -1 "$t/a.clk" | grep -q '^ctip-clk 1 bits=512 schema=' || fail "clk header"
! grep -qi 'olena\|smith' "$t/a.clk" || fail "names leaked into the encoding"
"$CTIP" link match --encoded "$t/a.clk" "$t/b.clk" --threshold 0.7 -o "$t/enc.csv" >/dev/null ||
	fail "match --encoded"
grep -q '^a1,b1,' "$t/enc.csv" || fail "encoded a1-b1"
"$CTIP" link overlaps --encoded "$t/a.clk" "$t/b.clk" "$t/c.clk" --threshold 0.8 -o "$t/h.csv" ||
	fail "overlaps"
head -1 "$t/h.csv" | grep -qx 'a,b,c,count' || fail "histories header: $(head -1 "$t/h.csv")"
grep -qx '1,1,1,2' "$t/h.csv" || fail "a1=b1=c1 and a2=b2=c2 on all three lists"
grep -qx '1,0,1,2' "$t/h.csv" || fail "a3, a4 on a and c"
grep -qx '0,1,0,2' "$t/h.csv" || fail "b3, b4 only on b"
echo "link cli: all passed"
