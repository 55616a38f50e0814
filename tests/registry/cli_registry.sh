#!/bin/sh
# End-to-end: ctip registry import/list/check/flags/stats and ctip review, as
# a child-protection officer drives them (docs/registries.md).
. "$CT_SOURCE_DIR/tests/cli/lib.sh"

expect_status 0 "$CTIP" init t.db --agency "CPS North"
expect_status 0 "$CTIP" agency add t.db Police --type law_enforcement --country FRA

cat >inst.csv <<'EOF'
source_id,name,type,licence,licence_status,capacity,country,location
I1,Sunrise Children's Home,orphanage,L-77,licensed,40,FRA,Lille
I2,Harbour House,small_group_home,,unlicensed,12,FRA,Calais
EOF
expect_status 0 "$CTIP" registry import t.db --kind institutions inst.csv
expect_in err "2 record(s): 2 new"

cat >pl.csv <<'EOF'
source_id,given_name,family_name,sex,date_of_birth,citizenship,institution,admission_date,exit_date,exit_reason
P1,Olena,Kovalenko,female,2008-04-12,UKR,I1,2019-05-01,2022-03-10,absconded
P2,Amir,Haddad,male,2009,SYR,I1,2020-01-10,2023-06-01,absconded
P3,Lea,Martin,female,2011-02-03,FRA,I2,2021-02-01,,
EOF
expect_status 0 "$CTIP" registry import t.db --kind placements pl.csv
expect_in err "3 record(s): 3 new"
expect_in err "cross-check:"

# all or nothing: every problem as FILE:LINE: column: reason, exit 2
cat >miss.csv <<'EOF'
source_id,given_name,family_name,sex,date_of_birth,date_last_seen,place_last_seen,circumstances,reporter_relation,date_reported,status
M1,Олена,Коваленко,female,2008-04-12,2022-03-10,Lille,absconded_from_care,care_institution,2022-03-11,open
M2,Jean,Dupont,male,2012-05-05,2023-01-01,Paris,runaway,parent,2023-01-02,found_safe
M3,Eva,Secret,female,2013-01-01,2023-02-30,Paris,runaway,parent,2023-03-01,open
EOF
expect_status 2 "$CTIP" registry import t.db --kind missing miss.csv
expect_in err "miss.csv:4: date_last_seen: not a date"
expect_in err "nothing was imported"
expect_not_in err "Secret"
expect_status 0 "$CTIP" registry list t.db --kind missing
[ "$(wc -l <out)" -eq 1 ] || fail "a failed import left records: $(cat out)"

# --skip-invalid: the valid ones in, the other in the rejects file, exit 3
expect_status 3 "$CTIP" registry import t.db --kind missing miss.csv --skip-invalid
expect_in err "2 new"
expect_in err "miss.rejects.csv"
expect_in miss.rejects.csv "ctip_error"
expect_in miss.rejects.csv "M3,Eva,Secret"
sed 's/2023-02-30/2023-02-20/' miss.rejects.csv >fixed.csv
expect_status 0 "$CTIP" registry import t.db --kind missing fixed.csv
expect_in err "1 record(s): 1 new"
# idempotent
expect_status 3 "$CTIP" registry import t.db --kind missing miss.csv --skip-invalid --rejects r2.csv
expect_in err "2 unchanged, 1 rejected"
expect_status 0 "$CTIP" registry import t.db --kind missing fixed.csv
expect_in err "1 unchanged"

# usage and header errors
expect_status 1 "$CTIP" registry import t.db miss.csv
expect_in err "--kind"
printf 'source_id,colour\nX,red\n' >bad.csv
expect_status 2 "$CTIP" registry import t.db --kind missing bad.csv
expect_in err "bad.csv:1: colour: unknown column"
expect_status 1 "$CTIP" registry import t.db --kind missing nowhere.csv
expect_status 1 "$CTIP" registry frobnicate t.db

# the Cyrillic report and the Latin placement are one child: a registry hit
expect_status 0 "$CTIP" review list t.db --kind registry_hit
expect_in out '"a":{"type":"missing"'
expect_in out '"b":{"type":"placement"'
expect_in out '"evidence":[{"field":"given_name"'

# a victim identified by the police matches the report and the placement
cat >cases.jsonl <<'EOF'
{"source_id":"C1","agency":"Police","acts":["recruitment"],"purposes":["sexual_exploitation"],"dates":{"identification":"2023-02-01"},"persons":[{"given_name":"Olena","family_name":"Kovalenko","sex":"female","date_of_birth":"2008-12-04","citizenship":["UKR"]}]}
{"source_id":"C2","agency":"Police","acts":["recruitment"],"purposes":["forced_labour"],"dates":{"identification":"2024-02-01"},"persons":[{"given_name":"Pierre","family_name":"Durand","sex":"male","age":30}]}
EOF
expect_status 0 "$CTIP" import t.db cases.jsonl
expect_in err "cross-check with the child registries: 2 candidate match(es), 2 new"
expect_status 0 "$CTIP" review list t.db --status pending --blind
expect_not_in out '"probability"'
grep '"type":"missing"' out | grep '"type":"person"' | sed 's/^{"id":"\([^"]*\)".*/\1/' >item
[ -s item ] || fail "no missing/person item: $(cat out)"
ITEM=$(cat item)
expect_status 0 "$CTIP" review decide t.db "$ITEM" confirm --reason "same child"
expect_in out "$ITEM,confirmed,1,0,2"
expect_status 0 "$CTIP" review show t.db "$ITEM"
expect_in out '"reason": "same child"'
expect_status 1 "$CTIP" review decide t.db "$ITEM" maybe
expect_status 1 "$CTIP" review decide t.db "$ITEM" confirm --if-version 1
expect_in err "changed"

# statistics: the child victim was reported missing before identification
expect_status 0 "$CTIP" stats t.db --registries --format csv
expect_in out "child_victims_missing_or_in_care,total,Child victims,count,Count,1"
expect_in out "child_victims_missing_or_in_care,previously_reported_missing,previously reported missing,count,Count,1"
expect_in out "missing_by_status,open,"
expect_in out 'placements_by_exit,absconded,"Absconded, whereabouts unknown",count,Count,2'
expect_status 0 "$CTIP" registry stats t.db
expect_in out "either 100.0 %"
expect_status 0 "$CTIP" stats t.db --registries --publish --format csv
expect_in out "child_victims_missing_or_in_care,total,Child victims,count,Count,<5"
expect_not_in out "Shares"
expect_status 1 "$CTIP" stats t.db --registries --glotip 2023

# undo: back to pending, and the statistics follow
expect_status 0 "$CTIP" review decide t.db "$ITEM" undo
expect_in out "$ITEM,pending,0,0,3"
expect_status 0 "$CTIP" registry stats t.db --format csv
expect_in out "child_victims_missing_or_in_care,previously_reported_missing,previously reported missing,count,Count,0"

# flags: a victim among the children of Sunrise, once confirmed
expect_status 0 "$CTIP" registry flags t.db
[ "$(wc -l <out)" -eq 1 ] || fail "unexpected flags: $(cat out)"
expect_status 0 "$CTIP" review list t.db --status pending
grep '"type":"person"' out | grep '"type":"placement"' | sed 's/^{"id":"\([^"]*\)".*/\1/' >item2
[ -s item2 ] || fail "no person/placement item: $(cat out)"
expect_status 0 "$CTIP" review decide t.db "$(cat item2)" confirm
expect_status 0 "$CTIP" registry flags t.db
expect_in out "victims_among_residents,1,1,true"

# listing round-trips into another database; --anonymise drops names
expect_status 0 "$CTIP" registry list t.db --kind placements -o pl-out.csv
expect_in pl-out.csv "institution"
expect_status 0 "$CTIP" registry list t.db --kind missing --format jsonl --anonymise
expect_not_in out "Dupont"
expect_in out '"status":"found_safe"'
expect_status 0 "$CTIP" init u.db --agency "CPS North"
expect_status 0 "$CTIP" registry list t.db --kind institutions -o inst-out.csv
expect_status 0 "$CTIP" registry import u.db --kind institutions inst-out.csv
expect_in err "2 new"
expect_status 0 "$CTIP" registry list t.db --kind missing --format jsonl -o miss-out.jsonl
expect_status 0 "$CTIP" registry import u.db --kind missing miss-out.jsonl
expect_in err "3 new"

# ctip demo --registries: children of the cases reappear in the registries
expect_status 0 "$CTIP" demo demo.db --cases 300 --seed 5 --today 2025-06-30 --truth truth.csv --registries
expect_in err "registries: "
expect_in err "cross-check: "
expect_status 0 "$CTIP" review list demo.db --kind registry_hit --limit 3
expect_in out '"kind":"registry_hit"'
[ "$(wc -l <truth.csv)" -gt "$(sqlite3 demo.db "SELECT count(*) + 1 FROM person")" ] ||
	fail "the truth lacks the registry records"

# French
expect_status 2 env LANGUAGE=fr "$CTIP" registry import t.db --kind missing bad.csv
expect_in err "colonne inconnue"

finish
