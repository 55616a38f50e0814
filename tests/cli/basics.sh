#!/bin/sh
# ctip's first steps as a user takes them: help, init, import, validate,
# export, assess; exit statuses and messages of contracts.md, in English and
# French.
. "$(dirname "$0")/lib.sh"

expect_status 0 "$CTIP" --help
expect_in "$T/out" "import"
expect_status 0 "$CTIP" --version
expect_status 1 "$CTIP" frobnicate
expect_status 0 "$CTIP" import --help
expect_in "$T/out" "--skip-invalid"

expect_status 0 "$CTIP" init t.db --agency "NGO One" --type ngo --country ALB
expect_status 1 "$CTIP" init t.db
expect_status 1 "$CTIP" import missing.db x.csv

cat >good.jsonl <<'J'
{"source_id":"G1","acts":["recruitment"],"means":["deception"],"purposes":["forced_labour"],"persons":[{"given_name":"Ana","age":30}]}
{"source_id":"G2","acts":["harbouring"],"purposes":["sexual_exploitation"],"persons":[{"given_name":"Eva","age":15}]}
J
expect_status 0 "$CTIP" import t.db good.jsonl
expect_in "$T/err" "2 record(s): 2 new"

cat >bad.csv <<'C'
source_id,sex,age,citizenship
B1,female,20,ALB
B2,nonsense,20,ALB
B3,male,300,XYZ
C
expect_status 2 "$CTIP" import t.db bad.csv
expect_in "$T/err" "bad.csv:3: sex: unknown code 'nonsense'"
expect_in "$T/err" "bad.csv:4: age: must lie between 0 and 120"
expect_in "$T/err" "bad.csv:4: citizenship: unknown code 'XYZ'"
expect_in "$T/err" "nothing was imported"
expect_status 2 "$CTIP" validate bad.csv
expect_status 0 "$CTIP" validate good.jsonl

expect_status 3 "$CTIP" import t.db bad.csv --skip-invalid
expect_in "$T/err" "bad.rejects.csv"
expect_in bad.rejects.csv "B2,nonsense,20,ALB,sex: unknown code 'nonsense'"
expect_not_in bad.rejects.csv "B1,"

expect_status 0 "$CTIP" export t.db --format jsonl -o all.jsonl
[ "$(wc -l <all.jsonl)" -eq 3 ] || fail "export: expected 3 cases, got $(wc -l <all.jsonl)"
expect_status 0 "$CTIP" export t.db --format csv
expect_in "$T/out" "case_id,source_id,agency,person_id"
expect_status 1 "$CTIP" export t.db --format xml

# messages never echo personal data: a bad name is named by its column only
printf 'source_id,given_name,sex\nP1,Secretname\001,female\n' >pii.csv
expect_status 2 "$CTIP" import t.db pii.csv
expect_in "$T/err" "pii.csv:2: given_name: contains control characters"
expect_not_in "$T/err" "Secretname"

cat >case.json <<'J'
{"acts":["recruitment"],"purposes":["sexual_exploitation"],"dates":{"recruitment":"2021"},"persons":[{"date_of_birth":"2004-06"}]}
J
expect_status 0 "$CTIP" assess case.json
expect_in "$T/out" '"child": true'
expect_in "$T/out" '"trafficking": true'
printf '{"persons":[{"age":40}],"acts":["transfer"]}' >adult.json
expect_status 0 "$CTIP" assess adult.json
expect_in "$T/out" '"trafficking": false'
expect_in "$T/out" '"means"'

# the published schema is the one ctip applies
expect_status 0 "$CTIP" schema
cmp -s "$T/out" "$CT_SOURCE_DIR/docs/case.schema.json" ||
	fail "docs/case.schema.json is stale: regenerate it with 'ctip schema > docs/case.schema.json'"

# French
LANG=fr_FR.UTF-8 expect_status 2 "$CTIP" import t.db bad.csv
expect_in "$T/err" "code inconnu « nonsense »"
expect_in "$T/err" "rien n’a été importé"
LANGUAGE=fr expect_status 0 "$CTIP" --help
expect_in "$T/out" "importer des cas"

finish
