#!/bin/sh
# Every role (and no credentials) against every endpoint of the API, on a
# real server: the expected statuses are tests/http/matrix.tsv. Also checks
# that the matrix covers every route, and what each role receives of a
# case (the field rules: analysts get no names, birth dates, contacts...).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

matrix="$(dirname "$0")/matrix.tsv"
case $matrix in /*) ;; *) matrix="$OLDPWD/$matrix" ;; esac
roles="admin coordinator caseworker child_protection investigator prosecutor analyst auditor"

db=$T/m.db
"$CTIP" init "$db" --agency "NGO One" --type ngo --country FRA >/dev/null 2>&1 || fail init
"$CTIP" agency add "$db" Police --type law_enforcement --country FRA >/dev/null || fail agency
for r in $roles; do make_user "$db" "$r" "$r" "NGO One"; done
make_user "$db" target caseworker Police
start_server "$db" --rate-limit 0
cw=$TOK_caseworker
J='Content-Type: application/json'

# every route has a row
"$CTIP" serve --routes | awk -F'\t' '{ print $1 " " $2 }' | sort >"$T/routes"
grep -v '^#' "$matrix" | awk -F'\t' '{ print $1 " " $2 }' | sort >"$T/rows"
comm -23 "$T/routes" "$T/rows" >"$T/missing"
[ -s "$T/missing" ] && fail "routes without a row in matrix.tsv: $(cat "$T/missing")"

new_case() {
	as "$cw" POST /cases -H "$J" -d '{"acts":["recruitment"],"means":["deception"],"purposes":["forced_labour"],"persons":[{"given_name":"Mia","date_of_birth":"2001-02","contact":{"phone":"+33 1"}},{"role":"suspect","family_name":"Kay","proceedings":[{"kind":"investigation","date":"2022"}]}]}'
	[ "$STATUS" = 201 ] || fail "fixture case: $STATUS $(cat "$T/body")"
	json .id
}
case_id=$(new_case)
victim=$(json '.persons[0].id')
suspect=$(json '.persons[1].id')
proc=$(json '.persons[1].proceedings[0].id')
as "$cw" GET /agencies
police=$(json '.agencies[] | select(.name == "Police") | .id')
as "$TOK_admin" GET /users
user=$(json '.users[] | select(.name == "target") | .id')
uniq=0

fill() { # fill TEXT ROLE: placeholders
	printf '%s' "$1" | sed -e "s|{case}|$case_id|g" -e "s|{victim}|$victim|g" \
		-e "s|{suspect}|$suspect|g" -e "s|{proc}|$proc|g" -e "s|{agency}|$police|g" \
		-e "s|{user}|$user|g" -e "s|{uniq}|$uniq|g" -e "s|{me}|$2|g"
}

rows=0
grep -v '^#' "$matrix" | while IFS='	' read -r method route path body etag e_admin e_coord e_cw e_cp e_inv e_pros e_an e_aud e_none; do
	rows=$((rows + 1))
	set -- $e_admin $e_coord $e_cw $e_cp $e_inv $e_pros $e_an $e_aud $e_none
	for r in $roles none; do
		want=$1
		shift
		uniq=$((uniq + 1))
		p=$path
		case $p in *'{fresh}'*) p=$(printf '%s' "$p" | sed "s|{fresh}|$(new_case)|") ;; esac
		case $p in *'{fresh_shared}'*)
			c=$(new_case)
			as "$cw" POST "/cases/$c/shares" -H "$J" -d '{"agency":"Police","reason":"fixture"}'
			p=$(printf '%s' "$p" | sed "s|{fresh_shared}|$c|") ;;
		esac
		p=$(fill "$p" "$r")
		b=$body
		case $b in
		@case) as "$cw" GET "/cases/$case_id"; b=$(jq -c '.status = (if .status == "active" then "follow_up" else "active" end)' "$T/body") ;;
		@victim) as "$cw" GET "/persons/$victim"; b=$(jq -c 'del(.case, .agency, .version) | .sex = "female"' "$T/body") ;;
		-) b= ;;
		*) b=$(fill "$b" "$r") ;;
		esac
		im=
		case $etag in
		case) as "$cw" GET "/cases/$case_id"; im="\"$(json .version)\"" ;;
		user) as "$TOK_admin" GET "/users/$user"; im="\"$(json .version)\"" ;;
		esac
		set -- "$@" # keep the remaining expectations
		tok=
		[ "$r" = none ] || eval "tok=\$TOK_$r"
		args=""
		if [ -n "$b" ]; then
			if [ -n "$tok" ]; then
				req "$method" "$p" -H "Authorization: Bearer $tok" -H "$J" -H "X-Reason: matrix" ${im:+-H "If-Match: $im"} -d "$b"
			else
				req "$method" "$p" -H "$J" -H "X-Reason: matrix" ${im:+-H "If-Match: $im"} -d "$b"
			fi
		elif [ -n "$tok" ]; then
			req "$method" "$p" -H "Authorization: Bearer $tok" -H "X-Reason: matrix" ${im:+-H "If-Match: $im"}
		else
			req "$method" "$p" -H "X-Reason: matrix"
		fi
		[ "$STATUS" = "$want" ] || echo "FAIL: $r $method $p: $STATUS, expected $want: $(head -c 200 "$T/body")" >>"$T/fails"
	done
done
[ -s "$T/fails" ] && { cat "$T/fails" >&2; fails=$((fails + $(wc -l <"$T/fails"))); }

# what each role receives of the fixture case (table 3 of src/access/access.c)
for r in $roles; do
	eval "tok=\$TOK_$r"
	as "$tok" GET "/cases/$case_id"
	[ "$r" = auditor ] && continue
	name=$(json '.persons[0].given_name // "-"')
	dob=$(json '.persons[0].date_of_birth // "-"')
	phone=$(json '.persons[0].contact.phone // "-"')
	acts=$(json '.acts[0] // "-"')
	[ "$acts" = recruitment ] || fail "$r does not see the case's acts"
	case $r in
	analyst | admin)
		[ "$name$dob$phone" = "---" ] || fail "$r receives personal data: $name $dob $phone" ;;
	*)
		[ "$name" = Mia ] && [ "$dob" = 2001-02 ] && [ "$phone" = "+33 1" ] ||
			fail "$r misses personal data of its own agency's case: $name $dob $phone" ;;
	esac
done
# and every read above is in the audit trail, with the fields the reader got
as "$TOK_auditor" GET "/audit?record_id=$case_id&action=case.read&limit=100"
n=$(json '[.entries[] | select(.actor == "analyst")] | length')
[ "$n" -ge 1 ] || fail "the analyst's read is not audited"
f=$(json '[.entries[] | select(.actor == "caseworker")][0].fields')
case $f in *persons.given_name*) ;; *) fail "audit fields of a caseworker's read: $f" ;; esac
f=$(json '[.entries[] | select(.actor == "analyst")][0].fields // ""')
[ -z "$f" ] || fail "the analyst read no personal field, yet the audit lists: $f"
finish
