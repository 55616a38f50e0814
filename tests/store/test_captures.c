/*
 * test_captures.c - ct_store_captures_each (the rows of capture histories)
 * and ct_estimate_histories_from_store built on it: person keys, the
 * record's own id when there is none, the statistics year, the child rule.
 */
#include "test_util.h"

#include "core/case_json.h"
#include "estimate/estimate.h"
#include "store/store.h"

#include <sodium.h>

typedef struct fixture {
    char *dir;
    char path[512];
    ct_store *s;
} fixture;

static int setup(void **state)
{
    assert_true(sodium_init() >= 0);
    fixture *f = calloc(1, sizeof(*f));
    f->dir = ct_test_tmpdir();
    snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_open(f->path, CT_STORE_CREATE, &f->s, &err), 0);
    ct_actor a = {"os:test", "Police", NULL};
    ct_store_set_actor(f->s, &a);
    static const char *const names[] = {"Police", "NGO", "Health"};
    for (int i = 0; i < 3; i++) {
        ct_agency ag = {0};
        snprintf(ag.name, sizeof(ag.name), "%s", names[i]);
        snprintf(ag.country, sizeof(ag.country), "FRA");
        assert_int_equal(ct_store_agency_add(f->s, &ag, &err), 0);
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ct_store_close(f->s);
    ct_test_rmdir(f->dir);
    free(f);
    return 0;
}

/* Stores a case of agency from JSON, registered at `now`; returns the id of
 * its first person in first_id (when not NULL). */
static void put(fixture *f, const char *agency, const char *json, const char *now, char *first_id)
{
    json_t *o = json_loads(json, 0, NULL);
    assert_non_null(o);
    ct_case c;
    ct_case_init(&c);
    ct_case_read_opts opts = {{2026, 11, 25}, agency, 0};
    ct_problems pr = CT_PROBLEMS_INIT;
    assert_int_equal(ct_case_from_json(&c, o, &opts, &pr), 0);
    ct_problems_release(&pr);
    json_decref(o);
    ct_case_put_opts po = {NULL, 0, now};
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_case_put(f->s, &c, &po, NULL, &err), 0);
    if (first_id)
        snprintf(first_id, CT_UUID_TEXT, "%s", c.persons[0].id);
    ct_case_release(&c);
}

typedef struct row {
    char key[80], agency[32], sex[16], agegroup[8];
    int own_id, year;
} row;

typedef struct rows {
    row v[32];
    int n;
} rows;

static int on_row(const ct_capture_row *r, void *arg)
{
    rows *rs = arg;
    assert_true(rs->n < 32);
    row *o = &rs->v[rs->n++];
    snprintf(o->key, sizeof(o->key), "%s", r->key);
    snprintf(o->agency, sizeof(o->agency), "%s", r->agency);
    snprintf(o->sex, sizeof(o->sex), "%s", r->sex ? r->sex : "(null)");
    snprintf(o->agegroup, sizeof(o->agegroup), "%s", r->agegroup);
    o->own_id = r->own_id;
    o->year = r->year;
    return 0;
}

static const row *find(const rows *rs, const char *key, const char *agency)
{
    for (int i = 0; i < rs->n; i++)
        if (strcmp(rs->v[i].key, key) == 0 && strcmp(rs->v[i].agency, agency) == 0)
            return &rs->v[i];
    fail_msg("no row for key %s at %s", key, agency);
    return NULL;
}

#define CASE(ident, persons)                                                                       \
    "{\"acts\":[\"recruitment\"],\"purposes\":[\"forced_labour\"]," ident "\"persons\":[" persons  \
    "]}"
#define IDENT(d) "\"dates\":{\"identification\":\"" d "\"},"

static void keys_own_ids_years_and_age_groups(void **state)
{
    fixture *f = *state;
    char unlinked[CT_UUID_TEXT], nokey_health[CT_UUID_TEXT];
    /* K1 is a girl of 17 seen by the police and by the NGO */
    put(f, "Police",
        CASE(IDENT("2021-05"), "{\"person_key\":\"K1\",\"sex\":\"female\",\"age\":17},"
                               "{\"role\":\"suspect\",\"person_key\":\"S1\",\"age\":40}"),
        NULL, NULL);
    put(f, "NGO",
        CASE(IDENT("2021-06-02"), "{\"person_key\":\"K1\",\"sex\":\"female\",\"age\":17}"), NULL,
        NULL);
    /* an unlinked adult: counted by its own id */
    put(f, "NGO", CASE(IDENT("2021"), "{\"sex\":\"male\",\"age\":30}"), NULL, unlinked);
    /* the child rule at identification: presumed (age_uncertain) even when
     * the recorded age is adult; a birth year making 17 or 18 at
     * identification straddles 18; nothing known; an adult */
    put(f, "Health",
        CASE(IDENT("2022-03-01"), "{\"person_key\":\"K2\",\"age\":25,\"age_uncertain\":true},"
                                  "{\"person_key\":\"K3\",\"date_of_birth\":\"2004\"},"
                                  "{\"person_key\":\"K4\"},"
                                  "{\"person_key\":\"K5\",\"age\":40}"),
        NULL, NULL);
    /* no identification date: the year of registration in ctip */
    put(f, "Health", CASE("", "{\"age\":19}"), "2019-04-02T10:11:12.000Z", nokey_health);

    rows rs = {0};
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_captures_each(f->s, NULL, on_row, &rs, &err), 0);
    assert_int_equal(rs.n, 8); /* victims only: the suspect is not a capture */
    const row *r = find(&rs, "K1", "Police");
    assert_int_equal(r->own_id, 0);
    assert_int_equal(r->year, 2021);
    assert_string_equal(r->sex, "female");
    assert_string_equal(r->agegroup, "0-17");
    assert_string_equal(find(&rs, "K1", "NGO")->agegroup, "0-17");
    r = find(&rs, unlinked, "NGO");
    assert_int_equal(r->own_id, 1);
    assert_string_equal(r->agegroup, "18+");
    assert_string_equal(r->sex, "male");
    assert_string_equal(find(&rs, "K2", "Health")->agegroup, "0-17");
    assert_string_equal(find(&rs, "K3", "Health")->agegroup, "0-17");
    r = find(&rs, "K4", "Health");
    assert_string_equal(r->agegroup, "unknown");
    assert_string_equal(r->sex, "(null)");
    assert_int_equal(r->year, 2022);
    assert_string_equal(find(&rs, "K5", "Health")->agegroup, "18+");
    r = find(&rs, nokey_health, "Health");
    assert_int_equal(r->own_id, 1);
    assert_int_equal(r->year, 2019);
    assert_string_equal(r->agegroup, "18+");

    /* the year and agency filter of statistics applies */
    rs.n = 0;
    ct_case_filter only = {.agency = "Health", .year_from = 2022, .year_to = 2022};
    assert_int_equal(ct_store_captures_each(f->s, &only, on_row, &rs, &err), 0);
    assert_int_equal(rs.n, 4);
}

static int has_line(const char *csv, const char *line)
{
    return strstr(csv, line) != NULL;
}

static void histories_from_the_store(void **state)
{
    fixture *f = *state;
    char unlinked[CT_UUID_TEXT];
    put(f, "Police", CASE(IDENT("2021"), "{\"person_key\":\"K1\"},{\"person_key\":\"K2\"}"), NULL,
        NULL);
    put(f, "NGO", CASE(IDENT("2021"), "{\"person_key\":\"K1\"},{\"age\":30}"), NULL, unlinked);
    /* a person key that spells another record's own id is still another
     * person: unlinked records never merge with keyed ones */
    char json[512];
    snprintf(json, sizeof(json),
             CASE(IDENT("2021"), "{\"person_key\":\"%s\"},{\"person_key\":\"K1\"}"), unlinked);
    put(f, "Health", json, NULL, NULL);

    ct_estimate_db_opts o = {"agency", 0, 0, 0, NULL};
    ct_estimate_data *d = NULL;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_estimate_histories_from_store(f->s, &o, &d, &err), 0);
    assert_int_equal(ct_estimate_data_nlists(d), 3);
    assert_string_equal(ct_estimate_data_list(d, 0), "Health"); /* sorted by name */
    /* K1 on all three, K2 police only, the unlinked NGO record and the
     * Health record keyed with its id: 4 persons */
    assert_true(ct_estimate_data_total(d, 0) == 4);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_int_equal(ct_estimate_data_write_csv(d, m, &err), 0);
    fclose(m);
    assert_true(has_line(buf, "Health,NGO,Police,count\n"));
    assert_true(has_line(buf, "\n1,0,0,1\n")); /* Health only */
    assert_true(has_line(buf, "\n0,1,0,1\n")); /* NGO only */
    assert_true(has_line(buf, "\n0,0,1,1\n")); /* Police only */
    assert_true(has_line(buf, "\n1,1,1,1\n")); /* K1 */
    free(buf);
    ct_estimate_data_free(d);

    /* by year: one stratum; an unknown kind of list is a usage error */
    o.by = CT_ESTIMATE_BY_YEAR | CT_ESTIMATE_BY_AGEGROUP;
    assert_int_equal(ct_estimate_histories_from_store(f->s, &o, &d, &err), 0);
    assert_int_equal(ct_estimate_data_nstrata_columns(d), 2);
    ct_estimate_data_free(d);
    /* only one country's agencies (all are in FRA here) */
    o.by = 0;
    o.country = "FRA";
    assert_int_equal(ct_estimate_histories_from_store(f->s, &o, &d, &err), 0);
    assert_true(ct_estimate_data_total(d, 0) == 4);
    ct_estimate_data_free(d);
    o.country = "DEU";
    assert_int_equal(ct_estimate_histories_from_store(f->s, &o, &d, &err), CT_ENORESULT);
    ct_err_clear(&err);
    o.country = "fr";
    assert_int_equal(ct_estimate_histories_from_store(f->s, &o, &d, &err), CT_EUSAGE);
    assert_string_equal(err.field, "country");
    o.country = NULL;
    o.lists = "colour";
    ct_err_clear(&err);
    assert_int_equal(ct_estimate_histories_from_store(f->s, &o, &d, &err), CT_EUSAGE);
    assert_string_equal(err.field, "lists");
    assert_null(d);
}

static void fewer_than_three_lists_is_no_result(void **state)
{
    fixture *f = *state;
    put(f, "Police", CASE(IDENT("2021"), "{\"person_key\":\"K1\"}"), NULL, NULL);
    put(f, "NGO", CASE(IDENT("2021"), "{\"person_key\":\"K1\"}"), NULL, NULL);
    ct_estimate_db_opts o = {"agency", 0, 0, 0, NULL};
    ct_estimate_data *d = NULL;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_estimate_histories_from_store(f->s, &o, &d, &err), CT_ENORESULT);
    assert_non_null(strstr(err.msg, "at least 3"));
    unsigned by;
    assert_int_equal(ct_estimate_by_parse("year,sex", &by, &err), 0);
    assert_int_equal(by, CT_ESTIMATE_BY_YEAR | CT_ESTIMATE_BY_SEX);
    assert_int_equal(ct_estimate_by_parse("year,year", &by, &err), CT_EUSAGE);
    ct_err_clear(&err);
    assert_int_equal(ct_estimate_by_parse("colour", &by, &err), CT_EUSAGE);
    assert_string_equal(err.field, "by");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(keys_own_ids_years_and_age_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(histories_from_the_store, setup, teardown),
        cmocka_unit_test_setup_teardown(fewer_than_three_lists_is_no_result, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
