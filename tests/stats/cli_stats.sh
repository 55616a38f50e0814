#!/bin/sh
# End-to-end: ctip stats (tables, --by, --glotip csv/xlsx, --publish),
# ctip export --format ctdc, ctip report (en, fr), as a user runs them.
. "$CT_SOURCE_DIR/tests/cli/lib.sh"
fx="$CT_SOURCE_DIR/tests/stats/fixture.jsonl"

expect_status 0 "$CTIP" init db.ctip --agency Home
expect_status 0 "$CTIP" agency add db.ctip "Police FRA" --type law_enforcement --country FRA
expect_status 0 "$CTIP" agency add db.ctip "NGO FRA" --type ngo --country FRA
expect_status 0 "$CTIP" import db.ctip "$fx"

expect_status 0 "$CTIP" stats db.ctip --from 2023 --to 2023
expect_in "$T/out" "Victims detected by sex and age"
expect_in "$T/out" "Victims detected by trafficking flow"
expect_in "$T/out" "counted under each"
expect_status 0 "$CTIP" stats db.ctip --format json
expect_in "$T/out" '"id": "victims_glotip_forms"'
expect_status 0 "$CTIP" stats db.ctip --by sex,agegroup --format csv
expect_in "$T/out" "victims_by,female;0-17,Female / 0 to 17 years,victims,Victims,2"
expect_status 1 "$CTIP" stats db.ctip --by colour
expect_status 1 "$CTIP" stats db.ctip --format pdf

# GLOTIP: the exact header, the counts; published: no count of 1-4
expect_status 0 "$CTIP" stats db.ctip --glotip 2023 -o g.csv
head -1 g.csv >h.txt
printf 'Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,Age,Year,Unit of measurement,txtVALUE,Source\n' >want.txt
cmp -s h.txt want.txt || fail "GLOTIP header differs: $(cat h.txt)"
expect_in g.csv "FRA,France,Europe,Western Europe,Detected trafficking victims,Total,Total,Total,Total,2023,Counts,7,GLOTIP"
expect_status 0 "$CTIP" stats db.ctip --glotip 2023 --publish -o p.csv
if grep -qE ',Counts,[1-4],GLOTIP' p.csv; then fail "a count of 1-4 is published"; fi
expect_in p.csv ",Counts,<5,GLOTIP"
expect_status 1 "$CTIP" stats db.ctip --glotip 2023 --format xlsx
expect_status 0 "$CTIP" stats db.ctip --glotip 2023 --format xlsx -o g.xlsx
python3 - g.xlsx <<'PY' || fail "the xlsx lacks UNODC's preamble rows or the header"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
strings = [re.sub(r'<[^>]+>', '', s) for s in
           re.findall(r'<si>(.*?)</si>', z.read('xl/sharedStrings.xml').decode(), re.S)]
sheet = z.read('xl/worksheets/sheet1.xml').decode()
def row(n):
    cells = re.findall(r'<c r="[A-Z]+%d"[^>]*?t="s"[^>]*><v>(\d+)</v>' % n, sheet)
    return [strings[int(i)] for i in cells]
assert row(1)[0] == 'UNODC', row(1)
assert re.match(r'\d\d/\d\d/\d{4}$', row(2)[0]), row(2)
assert row(3)[:3] == ['Iso3_code', 'Country', 'Region'] and row(3)[-1] == 'Source', row(3)
assert 'Detected trafficking victims' in row(4), row(4)
PY

# anonymised CTDC export: 27 columns, report of generalised/suppressed
expect_status 0 "$CTIP" export db.ctip --format ctdc --k 2 -o c.csv
expect_in "$T/err" "suppressed"
head -1 c.csv | tr ',' '\n' | wc -l | grep -qx 27 || fail "the CTDC export does not have 27 columns"
expect_not_in c.csv "F1"
expect_status 1 "$CTIP" export db.ctip --format jsonl --k 5
expect_status 1 "$CTIP" export db.ctip --format ctdc --k 1

# the report in both languages
expect_status 0 "$CTIP" report db.ctip --year 2023 -o r.html
for s in summary profile forms trends flows proceedings quality method; do
	expect_in r.html "<section id=\"$s\">"
done
expect_in r.html '<html lang="en">'
expect_status 0 "$CTIP" report db.ctip --year 2023 --lang fr -o r-fr.html
expect_in r-fr.html '<html lang="fr">'
expect_in r-fr.html "Qualité des données"
expect_status 1 "$CTIP" report db.ctip -o r.html
expect_status 1 "$CTIP" report db.ctip --year 2023 --lang de -o r.html
finish
