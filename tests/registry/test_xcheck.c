/* The cross-checks: registry children and victims linked across scripts and
 * with approximate birth dates, only pairs of different kinds queued, each
 * record checked once until it changes; the institution flags; the
 * statistics over confirmed links. */
#include "reg_test.h"

#include "review/review.h"

#include <sqlite3.h>

static const char victims[] =
    "{\"source_id\":\"C1\",\"agency\":\"Police\",\"acts\":[\"recruitment\"],\"purposes\":"
    "[\"sexual_exploitation\"],\"dates\":{\"identification\":\"2023-02-01\"},\"persons\":"
    "[{\"given_name\":\"Olena\",\"family_name\":\"Kovalenko\",\"sex\":\"female\","
    "\"date_of_birth\":\"2008-12-04\",\"citizenship\":[\"UKR\"]}]}\n"
    "{\"source_id\":\"C2\",\"agency\":\"Police\",\"acts\":[\"recruitment\"],\"purposes\":"
    "[\"forced_labour\"],\"dates\":{\"identification\":\"2024-02-01\"},\"persons\":"
    "[{\"given_name\":\"Amir\",\"family_name\":\"Hadad\",\"sex\":\"male\",\"age\":15,"
    "\"citizenship\":[\"SYR\"]}]}\n"
    "{\"source_id\":\"C3\",\"agency\":\"Police\",\"acts\":[\"recruitment\"],\"purposes\":"
    "[\"forced_labour\"],\"dates\":{\"identification\":\"2024-02-01\"},\"persons\":"
    "[{\"given_name\":\"Pierre\",\"family_name\":\"Durand\",\"sex\":\"male\",\"age\":30},"
    "{\"given_name\":\"Pierre\",\"family_name\":\"Durand\",\"sex\":\"male\",\"age\":30}]}\n";

static const char missing[] =
    "source_id,given_name,family_name,sex,date_of_birth,date_last_seen,status\n"
    "M1,Олена,Коваленко,female,2008-04-12,2022-03-10,open\n"
    "M2,Jean,Dupont,male,2012-05-05,2023-01-01,found_safe\n";

static const char placements[] =
    "source_id,given_name,family_name,sex,date_of_birth,citizenship,placement_type,"
    "admission_date\n"
    "P2,Amir,Haddad,male,2009,SYR,foster_care,2020-01-10\n";

typedef struct hits {
    char pairs[16][64]; /* "a_type/b_type" */
    char ids[16][CT_UUID_TEXT];
    char evidence[16][CT_REVIEW_EVIDENCE_MAX];
    int n;
} hits;

static int collect_hit(const ct_review_item *it, void *arg)
{
    hits *h = arg;
    assert_string_equal(it->kind, "registry_hit");
    snprintf(h->pairs[h->n], sizeof(h->pairs[h->n]), "%s/%s", it->a.type, it->b.type);
    snprintf(h->ids[h->n], sizeof(h->ids[h->n]), "%s", it->id);
    snprintf(h->evidence[h->n], sizeof(h->evidence[h->n]), "%s", it->evidence);
    h->n++;
    return 0;
}

static hits queue(fixture *f)
{
    hits h;
    memset(&h, 0, sizeof(h));
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_review_each(f->s, NULL, collect_hit, &h, &err), 0);
    return h;
}

static int find(const hits *h, const char *pair)
{
    for (int i = 0; i < h->n; i++)
        if (strcmp(h->pairs[i], pair) == 0)
            return i;
    return -1;
}

static void finds_children_across_registries_and_scripts(void **state)
{
    fixture *f = *state;
    reg_import_cases(f, victims);
    ct_reg_check_stats c = reg_check(f);
    assert_int_equal(c.checked, 0); /* no registry yet: victims wait */
    assert_int_equal(reg_import_text(f, CT_REG_MISSING, "m.csv", missing, 0, NULL), 0);
    assert_int_equal(reg_import_text(f, CT_REG_PLACEMENT, "p.csv", placements, 0, NULL), 0);
    c = reg_check(f);
    assert_int_equal(c.records, 7);
    assert_int_equal(c.checked, 7);
    hits h = queue(f);
    /* Олена Коваленко, born 2008-04-12 = Olena Kovalenko born 2008-12-04
     * (day and month swapped); Amir Haddad born 2009 = Amir Hadad, 15 in 2024 */
    int m = find(&h, "missing/person"), p = find(&h, "person/placement");
    if (m < 0 || p < 0)
        fail_msg("expected hits not found (%d items)", h.n);
    assert_non_null(strstr(h.evidence[m], "given_name:"));
    assert_non_null(strstr(h.evidence[m], "date_of_birth:"));
    /* the two Pierre Durand victims are one kind: a duplicate, not a hit;
     * Jean Dupont matches nobody */
    assert_int_equal(h.n, 2);
    assert_int_equal(c.queued, 2);
    /* nothing changed: nothing is checked or queued again */
    c = reg_check(f);
    assert_int_equal(c.checked, 0);
    assert_int_equal(c.queued, 0);
    /* a placement exit is checked again; its pair is already queued */
    const char *exited = "source_id,given_name,family_name,sex,date_of_birth,citizenship,"
                         "placement_type,admission_date,exit_date,exit_reason\n"
                         "P2,Amir,Haddad,male,2009,SYR,foster_care,2020-01-10,2023-06-01,"
                         "absconded\n";
    assert_int_equal(reg_import_text(f, CT_REG_PLACEMENT, "p.csv", exited, 0, NULL), 0);
    c = reg_check(f);
    assert_int_equal(c.checked, 1);
    assert_int_equal(c.queued, 0);
    assert_true(c.known >= 1);
    assert_int_equal(queue(f).n, 2);
    /* --all checks everything again, still without duplicates */
    ct_reg_check_opts all = {0, 1, 1};
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_reg_crosscheck(f->s, &all, &c, &err), 0);
    assert_int_equal(c.checked, 7);
    assert_int_equal(queue(f).n, 2);
}

static int count_audit(fixture *f, const char *action)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT count(*) FROM audit WHERE action = ?", -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

typedef struct flags {
    char rule[8][40];
    int active[8];
    long value[8];
    int n;
} flags;

static int collect_flag(const ct_reg_flag *fl, void *arg)
{
    flags *x = arg;
    snprintf(x->rule[x->n], sizeof(x->rule[x->n]), "%s", fl->rule);
    x->active[x->n] = fl->active;
    x->value[x->n] = fl->value;
    x->n++;
    return 0;
}

static void flags_institutions_with_repeated_absconding(void **state)
{
    fixture *f = *state;
    assert_int_equal(reg_import_text(f, CT_REG_INSTITUTION, "i.csv",
                                     "source_id,name,type\nI1,Sunrise Home,orphanage\n", 0, NULL),
                     0);
    /* three children absconded within the last year, one long ago */
    char recent[3][CT_DATE_TEXT_MAX], old[CT_DATE_TEXT_MAX];
    long today = ct_date_days(ct_date_today());
    for (int i = 0; i < 3; i++)
        ct_date_format(ct_date_from_days(today - 30 - 60 * i), recent[i]);
    ct_date_format(ct_date_from_days(today - 900), old);
    char csv[1024];
    snprintf(csv, sizeof(csv),
             "source_id,given_name,institution,admission_date,exit_date,exit_reason\n"
             "P1,Ana,I1,2020,%s,absconded\nP2,Ion,I1,2020,%s,absconded\n"
             "P3,Eva,I1,2020,%s,returned_to_family\nP4,Dan,I1,2020,%s,absconded\n",
             recent[0], recent[1], recent[2], old);
    assert_int_equal(reg_import_text(f, CT_REG_PLACEMENT, "p.csv", csv, 0, NULL), 0);
    ct_reg_check_stats c = reg_check(f);
    assert_int_equal(c.flags_raised, 0); /* 2 within the window, threshold 3 */
    assert_int_equal(count_audit(f, "registry.alert"), 0);
    /* the country lowers the threshold to 2: flagged, coordinators alerted once */
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_meta_set(f->s, "registry.flag.repeated_absconding", "2", &err), 0);
    c = reg_check(f);
    assert_int_equal(c.flags_raised, 1);
    assert_int_equal(count_audit(f, "registry.alert"), 1);
    c = reg_check(f);
    assert_int_equal(c.flags_raised, 0);
    assert_int_equal(count_audit(f, "registry.alert"), 1);
    flags x = {0};
    assert_int_equal(ct_store_reg_flag_each(f->s, 1, collect_flag, &x, &err), 0);
    assert_int_equal(x.n, 1);
    assert_string_equal(x.rule[0], "repeated_absconding");
    assert_int_equal(x.value[0], 2);
    /* back to 3: the flag turns inactive but is kept */
    assert_int_equal(ct_store_meta_set(f->s, "registry.flag.repeated_absconding", "3", &err), 0);
    reg_check(f);
    memset(&x, 0, sizeof(x));
    assert_int_equal(ct_store_reg_flag_each(f->s, 0, collect_flag, &x, &err), 0);
    assert_int_equal(x.n, 1);
    assert_int_equal(x.active[0], 0);
    size_t n;
    const ct_reg_flag_rule *rules = ct_reg_flag_rules(&n);
    assert_int_equal(n, 2);
    assert_true(rules[0].threshold >= 1);
}

static void confirmed_links_feed_flags_alerts_and_statistics(void **state)
{
    fixture *f = *state;
    reg_import_cases(f, victims);
    assert_int_equal(reg_import_text(f, CT_REG_INSTITUTION, "i.csv",
                                     "source_id,name,type\nI1,Sunrise Home,orphanage\n", 0, NULL),
                     0);
    assert_int_equal(reg_import_text(f, CT_REG_MISSING, "m.csv", missing, 0, NULL), 0);
    assert_int_equal(
        reg_import_text(f, CT_REG_PLACEMENT, "p.csv",
                        "source_id,given_name,family_name,sex,date_of_birth,citizenship,"
                        "institution,admission_date\nP2,Amir,Haddad,male,2009,SYR,I1,2020-01-10\n",
                        0, NULL),
        0);
    reg_check(f);
    hits h = queue(f);
    int m = find(&h, "missing/person"), p = find(&h, "person/placement");
    assert_true(m >= 0 && p >= 0);
    ct_reg_stats st;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_reg_stats_collect(f->s, NULL, &st, &err), 0);
    assert_int_equal(st.child_victims, 2);        /* Olena (14) and Amir (15); Pierre is 30 */
    assert_int_equal(st.child_victims_either, 0); /* pending items do not count */
    ct_reg_stats_release(&st);
    ct_review_item it;
    ct_review_decide_opts o = {h.ids[m], CT_REVIEW_CONFIRM, "same child", 0};
    assert_int_equal(ct_review_decide(f->s, &o, &it, NULL, &err), 0);
    assert_string_equal(it.status, "confirmed");
    /* the open report's agency is alerted */
    assert_int_equal(count_audit(f, "registry.alert"), 1);
    o.item_id = h.ids[p];
    assert_int_equal(ct_review_decide(f->s, &o, &it, NULL, &err), 0);
    /* a victim among the institution's children: flagged, coordinators alerted */
    assert_int_equal(count_audit(f, "registry.alert"), 2);
    assert_int_equal(ct_reg_stats_collect(f->s, NULL, &st, &err), 0);
    assert_int_equal(st.child_victims_missing, 1);
    assert_int_equal(st.child_victims_in_care, 1);
    assert_int_equal(st.child_victims_either, 2);
    /* tables: every code, unknown, total */
    assert_string_equal(st.tables[0].id, "missing_by_status");
    long open = -1, total = -1;
    for (size_t i = 0; i < st.tables[0].nrows; i++) {
        if (strcmp(st.tables[0].rows[i].code, "open") == 0)
            open = st.tables[0].rows[i].count;
        if (strcmp(st.tables[0].rows[i].code, "total") == 0)
            total = st.tables[0].rows[i].count;
    }
    assert_int_equal(open, 1);
    assert_int_equal(total, 2);
    json_t *j = ct_reg_stats_json(&st);
    assert_non_null(j);
    json_t *cv = json_object_get(j, "child_victims");
    assert_int_equal(json_integer_value(json_object_get(cv, "missing_or_in_care")), 2);
    json_decref(j);
    ct_reg_stats_release(&st);
    /* undone, the placement link no longer counts and the flag drops */
    o.action = CT_REVIEW_UNDO;
    assert_int_equal(ct_review_decide(f->s, &o, &it, NULL, &err), 0);
    assert_string_equal(it.status, "pending");
    flags x = {0};
    assert_int_equal(ct_store_reg_flag_each(f->s, 1, collect_flag, &x, &err), 0);
    assert_int_equal(x.n, 0);
    assert_int_equal(ct_reg_stats_collect(f->s, "Police", &st, &err), 0);
    assert_int_equal(st.child_victims_in_care, 0);
    assert_int_equal(st.child_victims_missing, 1);
    ct_reg_stats_release(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(finds_children_across_registries_and_scripts, reg_setup,
                                        reg_teardown),
        cmocka_unit_test_setup_teardown(flags_institutions_with_repeated_absconding, reg_setup,
                                        reg_teardown),
        cmocka_unit_test_setup_teardown(confirmed_links_feed_flags_alerts_and_statistics, reg_setup,
                                        reg_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
