/* Shared fixture of the NRM tests: a fresh database with two agencies and
 * helpers that add a case and return its first person's id. */
#ifndef CT_TESTS_NRM_TEST_H
#define CT_TESTS_NRM_TEST_H

#include "test_util.h"

#include "core/case_json.h"
#include "nrm/nrm.h"
#include "store/store.h"

#include <sodium.h>
#include <sqlite3.h>

typedef struct fixture {
    char *dir;
    char path[512];
    ct_store *s;
    ct_case c; /* the last case added */
} fixture;

static const ct_date test_today = {2026, 3, 1};

static inline void add_agency(ct_store *s, const char *name, const char *country)
{
    ct_err err = CT_ERR_INIT;
    ct_agency ag = {0};
    snprintf(ag.name, sizeof(ag.name), "%s", name);
    snprintf(ag.country, sizeof(ag.country), "%s", country);
    assert_int_equal(ct_store_agency_add(s, &ag, &err), 0);
}

static inline void act_as(fixture *f, const char *user, const char *agency)
{
    ct_actor a = {user, agency, NULL};
    ct_store_set_actor(f->s, &a);
}

static inline int nrm_setup(void **state)
{
    assert_true(sodium_init() >= 0);
    fixture *f = calloc(1, sizeof(*f));
    f->dir = ct_test_tmpdir();
    snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_open(f->path, CT_STORE_CREATE, &f->s, &err), 0);
    act_as(f, "caseworker1", "NGO One");
    add_agency(f->s, "NGO One", "FRA");
    add_agency(f->s, "Police", "FRA");
    add_agency(f->s, "Shelter Two", "BEL");
    ct_case_init(&f->c);
    *state = f;
    return 0;
}

static inline int nrm_teardown(void **state)
{
    fixture *f = *state;
    ct_case_release(&f->c);
    ct_store_close(f->s);
    ct_test_rmdir(f->dir);
    free(f);
    return 0;
}

/* Adds the case of `json` (owner NGO One) and returns person k's id. */
static inline const char *add_case_k(fixture *f, const char *json, size_t k)
{
    json_t *o = json_loads(json, 0, NULL);
    assert_non_null(o);
    ct_case_reset(&f->c);
    ct_case_read_opts opts = {test_today, "NGO One", 0};
    ct_problems pr = CT_PROBLEMS_INIT;
    assert_int_equal(ct_case_from_json(&f->c, o, &opts, &pr), 0);
    ct_problems_release(&pr);
    json_decref(o);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_case_put(f->s, &f->c, NULL, NULL, &err), 0);
    assert_true(k < f->c.npersons);
    return f->c.persons[k].id;
}

static inline const char *add_case(fixture *f, const char *json)
{
    return add_case_k(f, json, 0);
}

static const char adult_case[] =
    "{\"acts\":[\"recruitment\"],\"means\":[\"deception\"],\"purposes\":[\"forced_labour\"],"
    "\"dates\":{\"identification\":\"2025-05\"},\"persons\":[{\"sex\":\"female\",\"age\":30},"
    "{\"role\":\"suspect\",\"sex\":\"male\"}]}";
static const char child_case[] =
    "{\"acts\":[\"recruitment\"],\"purposes\":[\"sexual_exploitation\"],"
    "\"dates\":{\"identification\":\"2025-05\"},\"persons\":[{\"sex\":\"female\",\"age\":15}]}";
static const char uncertain_case[] =
    "{\"acts\":[\"transfer\"],\"purposes\":[\"forced_begging\"],"
    "\"dates\":{\"identification\":\"2025-05\"},\"persons\":[{\"sex\":\"male\",\"age\":19,"
    "\"age_uncertain\":true}]}";

/* The stored stage of a person. */
static inline int stage_of(fixture *f, const char *person)
{
    ct_arena a;
    ct_arena_init(&a, 0);
    ct_nrm_subject subj;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_nrm_subject(f->s, person, &a, &subj, &err), 0);
    int st = ct_nrm_stage_parse(subj.stage);
    ct_arena_release(&a);
    return st;
}

static inline int act(fixture *f, const char *person, const char *action, ct_err *err)
{
    ct_nrm_action a = {person, action, "decision of the coordinator", NULL, 0, test_today};
    return ct_nrm_act(f->s, &a, NULL, err);
}

static inline void act_ok(fixture *f, const char *person, const char *action)
{
    ct_err err = CT_ERR_INIT;
    int r = act(f, person, action, &err);
    if (r)
        fail_msg("%s: %s", action, err.msg);
}

static inline void screen_one(fixture *f, const char *person)
{
    static const char *const items[] = {"d1_nature_job", "d4_excessive_hours"};
    ct_nrm_screening_input in = {person, "ilo_ec", NULL, items, 2, NULL};
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_nrm_screening_record(f->s, &in, NULL, NULL, &err), 0);
}

/* Number of audit entries with this action (and reason, when given). */
static inline long audit_count(fixture *f, const char *action, const char *reason)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM audit WHERE action = ?1 AND "
                                        "(?2 IS NULL OR reason = ?2)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
    if (reason)
        sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

#define NRM_TEST(fn) cmocka_unit_test_setup_teardown(fn, nrm_setup, nrm_teardown)

#endif
