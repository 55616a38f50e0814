/* Tests of src/demo/fill.c and summary.c: demo cases through the store,
 * the truth file, person keys, byte-identical exports, the summary. */
#include "test_util.h"

#include "demo/demo.h"
#include "io/io.h"

#include <sodium.h>
#include <sqlite3.h>

#define TODAY ((ct_date){2024, 12, 31})

typedef struct filled {
    char *dir;
    char db[512], truth[512], export_[512];
    ct_demo_stats st;
} filled;

/* A fresh database filled with `cases` demo cases, its truth and export. */
static void fill(filled *f, long cases, uint64_t seed, int with_keys)
{
    f->dir = ct_test_tmpdir();
    snprintf(f->db, sizeof(f->db), "%s/demo.db", f->dir);
    snprintf(f->truth, sizeof(f->truth), "%s/truth.csv", f->dir);
    snprintf(f->export_, sizeof(f->export_), "%s/export.jsonl", f->dir);
    ct_err err = CT_ERR_INIT;
    ct_store *s;
    assert_int_equal(ct_store_open(f->db, CT_STORE_CREATE, &s, &err), 0);
    ct_actor a = {"os:test", "local", NULL};
    ct_store_set_actor(s, &a);
    ct_demo_opts o = {cases, 0, seed, TODAY, with_keys};
    ct_demo *d;
    assert_int_equal(ct_demo_new(&o, &d, &err), 0);
    FILE *truth = fopen(f->truth, "w");
    assert_non_null(truth);
    int rc = ct_demo_fill(s, d, truth, &f->st, &err);
    if (rc)
        fail_msg("ct_demo_fill: %s", err.msg);
    assert_int_equal(fclose(truth), 0);
    ct_demo_free(d);
    FILE *out = fopen(f->export_, "w");
    ct_export_opts eo = {CT_FMT_JSONL, NULL};
    long n;
    assert_int_equal(ct_export_run(s, &eo, out, &n, &err), 0);
    assert_int_equal(n, cases);
    assert_int_equal(fclose(out), 0);
    ct_store_close(s);
}

static void unfill(filled *f)
{
    ct_test_rmdir(f->dir);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    char *s = malloc(*len + 1);
    assert_int_equal(fread(s, 1, *len, f), *len);
    s[*len] = '\0';
    fclose(f);
    return s;
}

static void same_seed_gives_byte_identical_exports(void **state)
{
    (void)state;
    filled a, b;
    fill(&a, 300, 77, 0);
    fill(&b, 300, 77, 0);
    size_t la, lb, ta, tb;
    char *ea = slurp(a.export_, &la), *eb = slurp(b.export_, &lb);
    char *ra = slurp(a.truth, &ta), *rb = slurp(b.truth, &tb);
    assert_int_equal(la, lb);
    assert_memory_equal(ea, eb, la);
    assert_int_equal(ta, tb);
    assert_memory_equal(ra, rb, ta);
    /* created_at is the registration (up to TODAY), not the clock */
    char now[32];
    snprintf(now, sizeof(now), "\"created_at\":\"%d", ct_date_today().year);
    assert_null(strstr(ea, now));
    assert_non_null(strstr(ea, "\"created_at\":\"2024"));
    free(ea);
    free(eb);
    free(ra);
    free(rb);
    unfill(&a);
    unfill(&b);
}

/* Every person of the export is in the truth once, with the export's id;
 * with keys, person_key is the true person. */
static void truth_covers_every_person(void **state)
{
    (void)state;
    filled f;
    fill(&f, 250, 5, 1);
    size_t len;
    char *truth = slurp(f.truth, &len);
    assert_memory_equal(truth, "person_id,true_person\n", 22);
    long lines = 0;
    for (char *p = truth; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines - 1, f.st.victims + f.st.suspects);
    FILE *in = fopen(f.export_, "r");
    char *line = NULL;
    size_t cap = 0;
    long persons = 0;
    while (getline(&line, &cap, in) > 0) {
        json_t *c = json_loads(line, 0, NULL);
        assert_non_null(c);
        json_t *ps = json_object_get(c, "persons"), *p;
        size_t i;
        json_array_foreach(ps, i, p)
        {
            const char *id = json_string_value(json_object_get(p, "id"));
            const char *key = json_string_value(json_object_get(p, "person_key"));
            assert_non_null(id);
            assert_non_null(key);
            char want[128];
            snprintf(want, sizeof(want), "\n%s,%s\n", id, key);
            if (!strstr(truth, want))
                fail_msg("person %s (key %s) is not in the truth file", id, key);
            persons++;
        }
        json_decref(c);
    }
    free(line);
    fclose(in);
    assert_int_equal(persons, lines - 1);
    free(truth);
    unfill(&f);
}

static void summary_counts_the_store(void **state)
{
    (void)state;
    filled f;
    fill(&f, 400, 9, 0);
    ct_err err = CT_ERR_INIT;
    ct_store *s;
    assert_int_equal(ct_store_open(f.db, CT_STORE_READONLY, &s, &err), 0);
    ct_summary sum;
    assert_int_equal(ct_demo_summary(s, &sum, &err), 0);
    assert_int_equal(sum.cases, 400);
    assert_int_equal(sum.victims, f.st.victims);
    assert_int_equal(sum.suspects, f.st.suspects);
    long by_agency = 0, by_form = 0, by_year = 0, by_profile = 0, by_flow = 0;
    int agencies = 0;
    for (size_t i = 0; i < sum.nagency; i++) {
        by_agency += sum.agency[i].n;
        agencies += sum.agency[i].n > 0;
    }
    for (size_t i = 0; i < sum.nform; i++)
        by_form += sum.form[i].n;
    for (size_t i = 0; i < sum.nyear; i++) {
        by_year += sum.year[i].n;
        assert_true(atoi(sum.year[i].key) >= 2015 && atoi(sum.year[i].key) <= 2024);
    }
    for (int i = 0; i < CT_PROFILE__N; i++)
        by_profile += sum.profile[i];
    for (int i = 0; i < CT_FLOW__N; i++)
        by_flow += sum.flow[i];
    assert_int_equal(by_agency, sum.victims);
    assert_int_equal(by_form, sum.victims);
    assert_int_equal(by_year, sum.victims);
    assert_int_equal(by_profile, sum.victims);
    assert_int_equal(by_flow, sum.victims);
    assert_true(agencies >= 15); /* several agencies of each country */
    assert_true(sum.investigated > sum.prosecuted && sum.prosecuted > sum.convicted);
    assert_true(sum.convicted > 0 && sum.acquitted > 0);
    ct_summary_release(&sum);
    /* the demo's agencies carry their type and country */
    ct_agency a;
    assert_int_equal(ct_store_agency_get(s, "Jugendamt Nordstadt", &a, &err), 0);
    assert_string_equal(a.type, "local_government");
    assert_string_equal(a.country, "DEU");
    /* the first agency of a victim recorded by several shares its case */
    assert_true(f.st.shares > 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(f.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*), sum(c.agency_id != s.agency_id) FROM "
                                        "case_share s JOIN case_ c ON c.id = s.case_id",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(st, 0), f.st.shares);
    assert_int_equal(sqlite3_column_int64(st, 1), f.st.shares); /* never with the owner */
    sqlite3_finalize(st);
    sqlite3_close(db);
    long n = 0, bad = -1;
    assert_int_equal(ct_store_audit_verify(s, &n, &bad, &err), 0);
    assert_true(n >= 1);
    ct_store_close(s);
    unfill(&f);
}

static long query_long(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The NRM records agree with the workflow: the last action leads to the
 * stored stage, referrals only from the presumption on, a child past it has
 * a guardian and a best-interests assessment, dates run forwards and never
 * after today. */
static void nrm_records_follow_the_workflow(void **state)
{
    (void)state;
    filled f;
    fill(&f, 600, 11, 0);
    assert_true(f.st.referrals > 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(f.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(query_long(db, "SELECT count(*) FROM nrm_referral"), f.st.referrals);
    assert_int_equal(
        query_long(db, "SELECT count(*) FROM person p WHERE p.role = 'victim' AND p.nrm_stage "
                       "NOT IN ('reported') AND (SELECT t.to_stage FROM nrm_transition t WHERE "
                       "t.person_id = p.id ORDER BY t.id DESC LIMIT 1) IS NOT p.nrm_stage"),
        0);
    assert_int_equal(
        query_long(db, "SELECT count(*) FROM nrm_referral r JOIN person p ON p.id = r.person_id "
                       "WHERE p.nrm_stage IN ('reported', 'screened', 'not_a_victim')"),
        0);
    assert_true(query_long(db, "SELECT count(*) FROM nrm_child_measure") > 0);
    assert_int_equal(
        query_long(db, "SELECT count(*) FROM person p JOIN case_ c ON c.id = p.case_id WHERE "
                       "p.role = 'victim' AND p.nrm_stage IN ('returned', 'reintegrated', "
                       "'closed') AND p.age IS NOT NULL AND p.age < 18 AND (SELECT count(DISTINCT "
                       "kind) FROM nrm_child_measure m WHERE m.person_id = p.id) < 2"),
        0);
    assert_int_equal(
        query_long(db, "SELECT count(*) FROM nrm_referral WHERE offered_on > '2024-12-31' OR "
                       "coalesce(provided_on, accepted_on, declined_on, offered_on) < offered_on "
                       "OR (status = 'provided') != (provided_on IS NOT NULL AND ended_on IS "
                       "NULL)"),
        0);
    sqlite3_close(db);
    unfill(&f);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_gives_byte_identical_exports),
        cmocka_unit_test(truth_covers_every_person),
        cmocka_unit_test(summary_counts_the_store),
        cmocka_unit_test(nrm_records_follow_the_workflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
