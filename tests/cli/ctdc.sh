#!/bin/sh
# ctip import / validate of CTDC files (docs/import.md): both dialects from
# their header, what had no place in ctip said per column, FILE:LINE: column:
# reason for bad cells, rejects, re-import, exit statuses; English and French.
. "$(dirname "$0")/lib.sh"

sample="$CT_DATASETS/ctdc/ctdc_global_dataset_20200414_sample.csv"
synthetic="$CT_SOURCE_DIR/tests/io/data/ctdc_synthetic.csv"

expect_status 0 "$CTIP" init t.db
expect_status 0 "$CTIP" validate "$sample"
expect_in "$T/err" "20 record(s) checked, no problems"
expect_status 0 "$CTIP" import t.db "$sample"
expect_in "$T/err" "20 record(s): 20 new, 0 updated, 0 unchanged, 0 rejected"
expect_in "$T/err" "ctdc_global_dataset_20200414_sample.csv: Datasource: 20 value(s) not imported: ctip has no field for it"
expect_in "$T/err" "recruiterRelationFriend: 1 value(s) not imported: ctip keeps one value"
expect_status 0 "$CTIP" import t.db "$sample"
expect_in "$T/err" "20 record(s): 0 new, 0 updated, 20 unchanged, 0 rejected"

expect_status 0 "$CTIP" import t.db "$synthetic" --format ctdc
expect_in "$T/err" "6 record(s): 6 new"
expect_in "$T/err" "citizenship: 1 value(s) with no equivalent code, counted as unknown"
expect_status 0 "$CTIP" export t.db --format csv
expect_in "$T/out" ",person_key,role,age_band"
expect_in "$T/out" ",victim,9-17"
expect_status 0 "$CTIP" export t.db --format jsonl
expect_in "$T/out" '"means_of_control":["debt_bondage","threats","withholds_documents"]'

head -1 "$synthetic" >bad.csv
cat >>bad.csv <<'C'
2021,Femme,09--17,UKR,POL,,1,,,,,,,,,,,,,,,,,,,,
2022,Man,24--26,NGA,ITA,,,,,,,,,,1,,,,1,,,,,,,,
2023,Woman,30--38,UK,,,,,,,,,,,,1,,,,,,,,,,,
C
expect_status 2 "$CTIP" validate bad.csv
expect_in "$T/err" "bad.csv:2: gender: unknown value 'Femme' (docs/import.md lists the values)"
expect_in "$T/err" "bad.csv:4: citizenship: 'UK' is not an ISO 3166-1 country code"
expect_status 2 "$CTIP" import t.db bad.csv
expect_in "$T/err" "nothing was imported"
expect_status 3 "$CTIP" import t.db bad.csv --skip-invalid
expect_in "$T/err" "1 new, 0 updated, 0 unchanged, 2 rejected"
expect_in bad.rejects.csv "recruiterRelationOther,ctip_error"
expect_in bad.rejects.csv "2021,Femme,09--17,UKR,POL,,1,,,,,,,,,,,,,,,,,,,,,gender: unknown value 'Femme'"

printf 'yearOfRegistration,gender,ageBroad\n2020,Woman,09--17\n' >both.csv
expect_status 2 "$CTIP" validate both.csv
expect_in "$T/err" "the header fits both CTDC dialects"
expect_status 0 "$CTIP" validate both.csv --format ctdc-synthetic
printf 'yearOfRegistration,traffickMonths,colour\n' >colour.csv
expect_status 2 "$CTIP" validate colour.csv
expect_in "$T/err" "colour.csv: 1: colour: not a variable of the CTDC synthetic dataset 2021-2025"

# French
LANG=fr_FR.UTF-8 expect_status 2 "$CTIP" validate bad.csv
expect_in "$T/err" "bad.csv:2: gender: valeur inconnue « Femme »"
LANG=fr_FR.UTF-8 expect_status 0 "$CTIP" validate "$sample"
expect_in "$T/err" "Datasource : 20 valeur(s) non importée(s)"

finish
