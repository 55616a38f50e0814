#include "test_util.h"

#include "core/case_json.h"
#include "store/store.h"

#include <sqlite3.h>
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
    ct_actor a = {"os:test", "NGO One", NULL};
    ct_store_set_actor(f->s, &a);
    ct_agency ag = {0};
    snprintf(ag.name, sizeof(ag.name), "NGO One");
    snprintf(ag.country, sizeof(ag.country), "FRA");
    assert_int_equal(ct_store_agency_add(f->s, &ag, &err), 0);
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

static void load(ct_case *c, const char *json)
{
    json_t *o = json_loads(json, 0, NULL);
    assert_non_null(o);
    ct_case_read_opts opts = {{2026, 11, 25}, "NGO One", 0};
    ct_problems pr = CT_PROBLEMS_INIT;
    assert_int_equal(ct_case_from_json(c, o, &opts, &pr), 0);
    ct_problems_release(&pr);
    json_decref(o);
}

static const char case1[] =
    "{\"source_id\":\"S1\",\"acts\":[\"recruitment\"],\"purposes\":[\"forced_labour\"],"
    "\"dates\":{\"identification\":\"2021-05\"},\"persons\":[{\"given_name\":\"Ana\",\"age\":"
    "17,\"age_band\":\"9-17\"},{\"role\":\"suspect\",\"proceedings\":[{\"kind\":\"prosecution\","
    "\"date\":\"2022\"}]}]}";

static void migrations_are_applied_once(void **state)
{
    fixture *f = *state;
    int latest = ct_store_schema_version(f->s);
    assert_true(latest >= 8); /* 008_nrm */
    ct_store_close(f->s);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_open(f->path, 0, &f->s, &err), 0);
    assert_int_equal(ct_store_schema_version(f->s), latest);
}

static void refuses_a_database_from_a_newer_ctip(void **state)
{
    fixture *f = *state;
    int latest = ct_store_schema_version(f->s);
    ct_store_close(f->s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_open(f->path, 0, &f->s, &err), CT_EDB);
    assert_non_null(strstr(err.msg, "newer ctip"));
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    char pragma[64];
    snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", latest);
    sqlite3_exec(db, pragma, NULL, NULL, NULL);
    sqlite3_close(db);
    assert_int_equal(ct_store_open(f->path, 0, &f->s, &err), 0);
}

static void put_get_round_trip_and_upsert(void **state)
{
    fixture *f = *state;
    ct_err err = CT_ERR_INIT;
    ct_case c, back;
    ct_case_init(&c);
    ct_case_init(&back);
    load(&c, case1);
    enum ct_put_outcome out;
    assert_int_equal(ct_store_case_put(f->s, &c, NULL, &out, &err), 0);
    assert_int_equal(out, CT_PUT_INSERTED);
    assert_non_null(c.id);
    assert_int_equal(ct_store_case_get(f->s, c.id, &back, &err), 0);
    json_t *a = ct_case_to_json(&c, 0, 0), *b = ct_case_to_json(&back, 0, 0);
    assert_true(json_equal(a, b));
    json_decref(a);
    json_decref(b);
    assert_int_equal(back.version, 1);
    assert_int_equal(back.persons[1].nproceedings, 1);
    assert_string_equal(back.persons[0].age_band, "9-17"); /* migration 007 */
    /* the same record again (found by source_id): unchanged, same version */
    ct_case_reset(&c);
    load(&c, case1);
    assert_int_equal(ct_store_case_put(f->s, &c, NULL, &out, &err), 0);
    assert_int_equal(out, CT_PUT_UNCHANGED);
    /* a corrected copy updates in place, keeping the ids */
    const char *victim_id = back.persons[0].id;
    ct_case_reset(&c);
    load(&c, case1);
    c.persons[0].age = 16;
    assert_int_equal(ct_store_case_put(f->s, &c, NULL, &out, &err), 0);
    assert_int_equal(out, CT_PUT_UPDATED);
    assert_string_equal(c.persons[0].id, victim_id);
    long cases, victims, suspects;
    assert_int_equal(ct_store_count(f->s, &cases, &victims, &suspects, &err), 0);
    assert_int_equal(cases, 1);
    assert_int_equal(victims, 1);
    assert_int_equal(suspects, 1);
    ct_case_reset(&back);
    assert_int_equal(ct_store_case_get(f->s, c.id, &back, &err), 0);
    assert_int_equal(back.version, 2);
    assert_int_equal(back.persons[0].age, 16);
    ct_case_release(&c);
    ct_case_release(&back);
}

static void stale_versions_and_unknown_agencies_are_refused(void **state)
{
    fixture *f = *state;
    ct_err err = CT_ERR_INIT;
    ct_case c;
    ct_case_init(&c);
    load(&c, case1);
    assert_int_equal(ct_store_case_put(f->s, &c, NULL, NULL, &err), 0);
    c.persons[0].age = 15;
    ct_case_put_opts po = {NULL, 7, NULL};
    assert_int_equal(ct_store_case_put(f->s, &c, &po, NULL, &err), CT_ESTALE);
    ct_err_clear(&err);
    ct_case_reset(&c);
    load(&c, case1);
    c.agency = "Nobody";
    assert_int_equal(ct_store_case_put(f->s, &c, NULL, NULL, &err), CT_ENOTFOUND);
    assert_string_equal(err.field, "agency");
    ct_case_release(&c);
}

static void a_failed_write_leaves_nothing_behind(void **state)
{
    fixture *f = *state;
    ct_err err = CT_ERR_INIT;
    ct_case a, b;
    ct_case_init(&a);
    ct_case_init(&b);
    load(&a, case1);
    assert_int_equal(ct_store_case_put(f->s, &a, NULL, NULL, &err), 0);
    /* a second case reusing the first victim's id: the person insert fails
     * after the case row was written; the whole put must roll back */
    load(&b, "{\"source_id\":\"S2\",\"persons\":[{\"age\":30}]}");
    b.persons[0].id = a.persons[0].id;
    assert_int_equal(ct_store_case_put(f->s, &b, NULL, NULL, &err), CT_ECONFLICT);
    long cases, victims, suspects;
    assert_int_equal(ct_store_count(f->s, &cases, &victims, &suspects, &err), 0);
    assert_int_equal(cases, 1);
    assert_int_equal(victims, 1);
    ct_case_release(&a);
    ct_case_release(&b);
}

static void explicit_transactions_roll_back(void **state)
{
    fixture *f = *state;
    ct_err err = CT_ERR_INIT;
    ct_case c;
    ct_case_init(&c);
    load(&c, case1);
    assert_int_equal(ct_store_begin(f->s, &err), 0);
    assert_int_equal(ct_store_case_put(f->s, &c, NULL, NULL, &err), 0);
    ct_store_rollback(f->s);
    long cases, victims, suspects;
    assert_int_equal(ct_store_count(f->s, &cases, &victims, &suspects, &err), 0);
    assert_int_equal(cases, 0);
    ct_case_release(&c);
}

static void audit_chain_detects_tampering(void **state)
{
    fixture *f = *state;
    ct_err err = CT_ERR_INIT;
    for (int i = 0; i < 5; i++) {
        ct_audit_entry e = {"case.read", "case", "x", "given_name", NULL, NULL};
        assert_int_equal(ct_store_audit(f->s, &e, &err), 0);
    }
    long n, bad;
    assert_int_equal(ct_store_audit_verify(f->s, &n, &bad, &err), 0);
    assert_int_equal(n, 5);
    ct_store_close(f->s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    /* the API cannot change it... */
    assert_int_not_equal(
        sqlite3_exec(db, "UPDATE audit SET actor = 'x' WHERE id = 3", NULL, NULL, NULL), SQLITE_OK);
    /* ...but someone with the file can: drop the trigger and edit */
    assert_int_equal(sqlite3_exec(db,
                                  "DROP TRIGGER audit_no_update; UPDATE audit SET actor = "
                                  "'someone else' WHERE id = 3",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(ct_store_open(f->path, 0, &f->s, &err), 0);
    assert_int_equal(ct_store_audit_verify(f->s, &n, &bad, &err), CT_EINVAL);
    assert_int_equal(bad, 3);
}

static void agencies_are_unique_and_listed(void **state)
{
    fixture *f = *state;
    ct_err err = CT_ERR_INIT;
    ct_agency a = {0};
    snprintf(a.name, sizeof(a.name), "NGO One");
    assert_int_equal(ct_store_agency_add(f->s, &a, &err), CT_ECONFLICT);
    ct_agency got;
    assert_int_equal(ct_store_agency_get(f->s, "NGO One", &got, &err), 0);
    assert_string_equal(got.country, "FRA");
    ct_err_clear(&err);
    assert_int_equal(ct_store_agency_get(f->s, "Nope", &got, &err), CT_ENOTFOUND);
}

/* ct_case_put_opts.now stamps the record instead of the clock (records
 * registered earlier, reproducible demo data); lists and dates are stored
 * as given; agencies named in turn are found (the store caches them) and
 * an agency rolled back is not found from the cache. */
static void put_stamps_the_given_time_and_finds_agencies(void **state)
{
    fixture *f = *state;
    ct_err err = CT_ERR_INIT;
    for (int i = 0; i < 40; i++) {
        ct_agency ag = {0};
        snprintf(ag.name, sizeof(ag.name), "Agency %02d", i);
        assert_int_equal(ct_store_agency_add(f->s, &ag, &err), 0);
    }
    ct_case c;
    ct_case_init(&c);
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 40; i++) {
            char name[32], src[32];
            snprintf(name, sizeof(name), "Agency %02d", i);
            snprintf(src, sizeof(src), "R%d", round);
            ct_case_reset(&c);
            load(&c, case1);
            c.agency = name;
            c.source_id = src;
            ct_case_put_opts po = {NULL, 0, "2019-04-02T10:11:12.000Z"};
            assert_int_equal(ct_store_case_put(f->s, &c, &po, NULL, &err), 0);
            assert_string_equal(c.created_at, "2019-04-02T10:11:12.000Z");
        }
    ct_case got;
    ct_case_init(&got);
    assert_int_equal(ct_store_case_get(f->s, c.id, &got, &err), 0);
    assert_string_equal(got.created_at, "2019-04-02T10:11:12.000Z");
    assert_string_equal(got.updated_at, "2019-04-02T10:11:12.000Z");
    assert_string_equal(got.agency, "Agency 39");
    assert_int_equal(got.acts.n, 1);
    assert_string_equal(got.acts.v[0], "recruitment");
    assert_int_equal(got.date_identification.year, 2021);
    assert_int_equal(got.date_identification.month, 5);
    long cases, victims, suspects;
    assert_int_equal(ct_store_count(f->s, &cases, &victims, &suspects, &err), 0);
    assert_int_equal(cases, 120);
    /* an agency added then rolled back is forgotten, cache included */
    assert_int_equal(ct_store_begin(f->s, &err), 0);
    ct_agency tmp = {0};
    snprintf(tmp.name, sizeof(tmp.name), "Fleeting");
    assert_int_equal(ct_store_agency_add(f->s, &tmp, &err), 0);
    ct_case_reset(&c);
    load(&c, case1);
    c.agency = "Fleeting";
    assert_int_equal(ct_store_case_put(f->s, &c, NULL, NULL, &err), 0);
    ct_store_rollback(f->s);
    ct_case_reset(&c);
    load(&c, case1);
    c.agency = "Fleeting";
    assert_int_equal(ct_store_case_put(f->s, &c, NULL, NULL, &err), CT_ENOTFOUND);
    ct_case_release(&got);
    ct_case_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(migrations_are_applied_once, setup, teardown),
        cmocka_unit_test_setup_teardown(refuses_a_database_from_a_newer_ctip, setup, teardown),
        cmocka_unit_test_setup_teardown(put_get_round_trip_and_upsert, setup, teardown),
        cmocka_unit_test_setup_teardown(stale_versions_and_unknown_agencies_are_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_failed_write_leaves_nothing_behind, setup, teardown),
        cmocka_unit_test_setup_teardown(explicit_transactions_roll_back, setup, teardown),
        cmocka_unit_test_setup_teardown(audit_chain_detects_tampering, setup, teardown),
        cmocka_unit_test_setup_teardown(agencies_are_unique_and_listed, setup, teardown),
        cmocka_unit_test_setup_teardown(put_stamps_the_given_time_and_finds_agencies, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
