/* Store operations of `ctip serve` (migration 002): users, tokens, sessions,
 * sharing, notifications, audit reading; and the migration of a database
 * made before migrations were recorded one by one. */
#include "test_util.h"

#include "core/case_json.h"
#include "notify/notify.h"
#include "store/store.h"

#include <sodium.h>
#include <sqlite3.h>

extern const char ct_migration_001_init_sql[];
extern const char ct_migration_007_age_band_sql[];

typedef struct fixture {
    char *dir;
    char path[512];
    ct_store *s;
} fixture;

static void add_agency(ct_store *s, const char *name)
{
    ct_err err = CT_ERR_INIT;
    ct_agency a = {0};
    snprintf(a.name, sizeof(a.name), "%s", name);
    snprintf(a.country, sizeof(a.country), "FRA");
    assert_int_equal(ct_store_agency_add(s, &a, &err), 0);
}

static int setup(void **state)
{
    assert_true(sodium_init() >= 0);
    fixture *f = calloc(1, sizeof(*f));
    f->dir = ct_test_tmpdir();
    snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_open(f->path, CT_STORE_CREATE, &f->s, &err), 0);
    ct_actor a = {"test", "NGO One", NULL};
    ct_store_set_actor(f->s, &a);
    add_agency(f->s, "NGO One");
    add_agency(f->s, "Police");
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

static void add_user(ct_store *s, const char *name, const char *role, const char *agency,
                     ct_user *u)
{
    ct_err err = CT_ERR_INIT;
    memset(u, 0, sizeof(*u));
    snprintf(u->name, sizeof(u->name), "%s", name);
    snprintf(u->role, sizeof(u->role), "%s", role);
    snprintf(u->agency, sizeof(u->agency), "%s", agency);
    assert_int_equal(ct_store_user_add(s, u, "$argon2id$fake", &err), 0);
}

static void users_and_tokens(void **state)
{
    fixture *f = *state;
    ct_err err = CT_ERR_INIT;
    ct_user u, v;
    add_user(f->s, "alice", "caseworker", "NGO One", &u);
    /* unknown agency refused; duplicate name refused */
    ct_user w = {0};
    snprintf(w.name, sizeof(w.name), "x");
    snprintf(w.role, sizeof(w.role), "analyst");
    snprintf(w.agency, sizeof(w.agency), "Nowhere");
    assert_int_equal(ct_store_user_add(f->s, &w, NULL, &err), CT_ENOTFOUND);
    ct_err_clear(&err);
    snprintf(w.name, sizeof(w.name), "alice");
    snprintf(w.agency, sizeof(w.agency), "Police");
    assert_int_equal(ct_store_user_add(f->s, &w, NULL, &err), CT_ECONFLICT);
    ct_err_clear(&err);
    char hash[128];
    assert_int_equal(ct_store_user_password(f->s, "alice", &v, hash, sizeof(hash), &err), 0);
    assert_string_equal(hash, "$argon2id$fake");
    assert_string_equal(v.agency, "NGO One");
    assert_int_equal(ct_store_user_get(f->s, u.id, &v, &err), 0);
    assert_string_equal(v.name, "alice");

    unsigned char th[32] = {1, 2, 3};
    char tid[37];
    assert_int_equal(ct_store_token_add(f->s, u.id, th, "ci", tid, &err), 0);
    assert_int_equal(ct_store_token_user(f->s, th, &v, &err), 0);
    assert_string_equal(v.role, "caseworker");
    /* a disabled user's token no longer works; a stale update is refused */
    v.disabled = 1;
    assert_int_equal(ct_store_user_update(f->s, &v, 1, &err), 0);
    assert_int_equal(v.version, 2);
    assert_int_equal(ct_store_token_user(f->s, th, &v, &err), CT_ENOTFOUND);
    ct_err_clear(&err);
    assert_int_equal(ct_store_user_update(f->s, &v, 1, &err), CT_ESTALE);
}

static void sessions(void **state)
{
    fixture *f = *state;
    ct_err err = CT_ERR_INIT;
    ct_user u, v;
    add_user(f->s, "bob", "investigator", "Police", &u);
    ct_session s = {{9}, {8}, 1000, 1000, 2000}, got;
    assert_int_equal(ct_store_session_add(f->s, u.id, &s, &err), 0);
    assert_int_equal(ct_store_session_get(f->s, s.token_hash, &got, &v, &err), 0);
    assert_int_equal(got.expires, 2000);
    assert_memory_equal(got.csrf_hash, s.csrf_hash, 32);
    assert_int_equal(ct_store_session_touch(f->s, s.token_hash, 1500, &err), 0);
    /* idle limit 100 s at time 1550: still alive; at 1700: purged */
    assert_int_equal(ct_store_session_purge(f->s, 1550, 100, &err), 0);
    assert_int_equal(ct_store_session_get(f->s, s.token_hash, &got, &v, &err), 0);
    assert_int_equal(ct_store_session_purge(f->s, 1700, 100, &err), 0);
    assert_int_equal(ct_store_session_get(f->s, s.token_hash, &got, &v, &err), CT_ENOTFOUND);
}

static void sharing_and_notifications(void **state)
{
    fixture *f = *state;
    ct_err err = CT_ERR_INIT;
    ct_user u;
    add_user(f->s, "bob", "investigator", "Police", &u);
    ct_case c;
    ct_case_init(&c);
    json_t *o = json_loads("{\"acts\":[\"recruitment\"],\"persons\":[{\"age\":30}]}", 0, NULL);
    ct_case_read_opts opts = {{2026, 11, 25}, "NGO One", 0};
    ct_problems pr = CT_PROBLEMS_INIT;
    assert_int_equal(ct_case_from_json(&c, o, &opts, &pr), 0);
    json_decref(o);
    assert_int_equal(ct_store_case_put(f->s, &c, NULL, NULL, &err), 0);
    enum ct_case_relation rel;
    assert_int_equal(ct_store_case_relation(f->s, c.id, "Police", &rel, &err), 0);
    assert_int_equal(rel, CT_CASE_OTHER);
    assert_int_equal(ct_store_share_add(f->s, c.id, "Police", "alice", "joint investigation", &err),
                     0);
    assert_int_equal(ct_store_share_add(f->s, c.id, "Police", "alice", "again", &err),
                     CT_ECONFLICT);
    ct_err_clear(&err);
    assert_int_equal(ct_store_case_relation(f->s, c.id, "Police", &rel, &err), 0);
    assert_int_equal(rel, CT_CASE_SHARED);
    assert_int_equal(ct_store_case_relation(f->s, c.id, "NGO One", &rel, &err), 0);
    assert_int_equal(rel, CT_CASE_OWN);
    assert_int_equal(ct_store_share_delete(f->s, c.id, "Police", &err), 0);
    assert_int_equal(ct_store_share_delete(f->s, c.id, "Police", &err), CT_ENOTFOUND);
    ct_err_clear(&err);

    const char *params[] = {"agency", "NGO One", "reason", "x", NULL};
    ct_notify_msg m = {"case.shared", "case", c.id, params};
    int sent;
    assert_int_equal(ct_notify_agency(f->s, "Police", NULL, NULL, &m, &sent, &err), 0);
    assert_int_equal(sent, 1);
    ct_notify_msg bad = {"no.such.kind", NULL, NULL, NULL};
    assert_int_equal(ct_notify_user(f->s, "bob", &bad, &err), CT_EINVAL);
    ct_err_clear(&err);
    ct_case_release(&c);
}

static int count_case(ct_case *c, void *arg)
{
    (void)c;
    (*(long *)arg)++;
    return 0;
}

static void case_query_visibility(void **state)
{
    fixture *f = *state;
    ct_err err = CT_ERR_INIT;
    const char *docs[] = {
        "{\"agency\":\"NGO One\",\"purposes\":[\"forced_labour\"],\"status\":\"active\","
        "\"dates\":{\"identification\":\"2021-03\"},\"persons\":[{\"age\":30}]}",
        "{\"agency\":\"NGO One\",\"purposes\":[\"sexual_exploitation\"],\"status\":\"closed\","
        "\"dates\":{\"identification\":\"2022\"},\"persons\":[{\"age\":30}]}",
        "{\"agency\":\"Police\",\"purposes\":[\"forced_labour\"],\"persons\":[{\"age\":30}]}",
    };
    char ids[3][37];
    for (int i = 0; i < 3; i++) {
        ct_case c;
        ct_case_init(&c);
        json_t *o = json_loads(docs[i], 0, NULL);
        ct_case_read_opts opts = {{2026, 11, 25}, "NGO One", 0};
        ct_problems pr = CT_PROBLEMS_INIT;
        assert_int_equal(ct_case_from_json(&c, o, &opts, &pr), 0);
        json_decref(o);
        assert_int_equal(ct_store_case_put(f->s, &c, NULL, NULL, &err), 0);
        snprintf(ids[i], sizeof(ids[i]), "%s", c.id);
        ct_case_release(&c);
    }
    long n = 0;
    ct_case_query q = {.visible_to = "Police"};
    assert_int_equal(ct_store_case_query(f->s, &q, count_case, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ct_store_share_add(f->s, ids[0], "Police", "alice", "why", &err), 0);
    n = 0;
    assert_int_equal(ct_store_case_query(f->s, &q, count_case, &n, &err), 0);
    assert_int_equal(n, 2);
    ct_case_query p = {.purpose = "forced_labour", .visible_to = "NGO One"};
    n = 0;
    assert_int_equal(ct_store_case_query(f->s, &p, count_case, &n, &err), 0);
    assert_int_equal(n, 1);
    ct_case_query st = {.status = "closed"};
    n = 0;
    assert_int_equal(ct_store_case_query(f->s, &st, count_case, &n, &err), 0);
    assert_int_equal(n, 1);
    /* partial dates overlap: "2021-03" lies in [2021-03-10, 2021-12-31]; "2022" does not */
    ct_case_query d = {.ident_from = {2021, 3, 10}, .ident_to = {2021, 12, 31}};
    n = 0;
    assert_int_equal(ct_store_case_query(f->s, &d, count_case, &n, &err), 0);
    assert_int_equal(n, 1);
}

/* A database made before this migration landed (at a higher number) still
 * gets it: numbers are reserved per area and land out of order. */
static void reserved_lower_migration_is_applied(void **state)
{
    fixture *f = *state;
    char path[600];
    snprintf(path, sizeof(path), "%s/older.db", f->dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, ct_migration_001_init_sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, ct_migration_007_age_band_sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE migration (version INTEGER PRIMARY KEY, "
                                  "applied_at TEXT NOT NULL); INSERT INTO migration VALUES "
                                  "(1, 'x'), (7, 'x'); PRAGMA user_version = 7",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    ct_store *s;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_open(path, 0, &s, &err), 0);
    ct_user u;
    /* the table of migration 002 is there: a lookup finds no user, no error */
    assert_int_equal(ct_store_user_get(s, "nobody", &u, &err), CT_ENOTFOUND);
    ct_store_close(s);
    assert_int_equal(ct_store_open(path, 0, &s, &err), 0); /* nothing applied twice */
    ct_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(users_and_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(sharing_and_notifications, setup, teardown),
        cmocka_unit_test_setup_teardown(case_query_visibility, setup, teardown),
        cmocka_unit_test_setup_teardown(reserved_lower_migration_is_applied, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
