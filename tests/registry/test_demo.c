/* The demo registries: some child victims of the demo cases reappear in the
 * registries, recorded with realistic differences; the cross-checks must
 * find them (recall against the demo truth), without flooding the queue
 * (precision), and the problem orphanage is flagged. Reproducible. */
#include "reg_test.h"

#include "demo/demo.h"

#include <sqlite3.h>

static const ct_date today = {2025, 6, 30};

/* person_id (or registry id) -> true person, from the demo truth. */
typedef struct truth {
    char (*id)[CT_UUID_TEXT];
    char (*who)[16];
    size_t n, cap;
} truth;

static void truth_add(truth *t, const char *id, const char *who)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 1024;
        t->id = realloc(t->id, t->cap * sizeof(*t->id));
        t->who = realloc(t->who, t->cap * sizeof(*t->who));
    }
    snprintf(t->id[t->n], CT_UUID_TEXT, "%s", id);
    snprintf(t->who[t->n], 16, "%s", who);
    t->n++;
}

static const char *truth_of(const truth *t, const char *id)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->id[i], id) == 0)
            return t->who[i];
    return NULL;
}

static void read_truth(truth *t, const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char line[128];
    while (fgets(line, sizeof(line), f)) {
        char *comma = strchr(line, ',');
        if (!comma || strncmp(line, "person_id", 9) == 0)
            continue;
        *comma = '\0';
        comma[1 + strcspn(comma + 1, "\r\n")] = '\0';
        truth_add(t, line, comma + 1);
    }
    fclose(f);
}

typedef struct tally {
    const truth *t;
    long items, right;
} tally;

static int count_item(const ct_review_item *it, void *arg)
{
    tally *x = arg;
    const char *a = truth_of(x->t, it->a.id), *b = truth_of(x->t, it->b.id);
    x->items++;
    x->right += a && b && strcmp(a, b) == 0;
    return 0;
}

typedef struct want {
    const char *other;
    int hit;
} want;

static int match_other(const ct_review_item *it, void *arg)
{
    want *w = arg;
    w->hit |= strcmp(it->a.id, w->other) == 0 || strcmp(it->b.id, w->other) == 0;
    return 0;
}

static void fill(fixture *f, const char *truth_path, ct_reg_demo_stats *rs)
{
    ct_demo_opts o = {700, 0, 11, today, 0};
    ct_demo *d;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_demo_new(&o, &d, &err), 0);
    FILE *tf = fopen(truth_path, "wb");
    ct_demo_stats st;
    assert_int_equal(ct_demo_fill(f->s, d, tf, &st, &err), 0);
    fclose(tf);
    ct_demo_free(d);
    ct_reg_demo_opts ro = {11, today, truth_path};
    if (ct_reg_demo(f->s, &ro, NULL, rs, &err))
        fail_msg("demo registries: %s", err.msg);
}

static void cross_checks_find_the_children_who_reappear(void **state)
{
    fixture *f = *state;
    char truth_path[600];
    snprintf(truth_path, sizeof(truth_path), "%s/truth.csv", f->dir);
    ct_reg_demo_stats rs;
    fill(f, truth_path, &rs);
    assert_true(rs.planted >= 40);
    assert_true(rs.institutions >= 3);
    assert_true(rs.missing + rs.placements > 3 * rs.planted); /* unrelated children around them */
    ct_reg_check_stats c = reg_check(f);
    truth t = {0};
    read_truth(&t, truth_path);
    /* every pair of records of one true child, of different kinds */
    typedef struct {
        char id[CT_UUID_TEXT];
        char type[16];
    } rec;
    rec *all = calloc(t.n, sizeof(*all));
    size_t nall = 0;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT uuid, 'person' FROM person WHERE role = 'victim' "
                                        "UNION ALL SELECT uuid, kind FROM reg_record WHERE kind "
                                        "<> 'institution'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW && nall < t.n) {
        snprintf(all[nall].id, CT_UUID_TEXT, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(all[nall].type, 16, "%s", (const char *)sqlite3_column_text(st, 1));
        nall += truth_of(&t, all[nall].id) != NULL;
    }
    sqlite3_finalize(st);
    long pairs = 0, found = 0;
    for (size_t i = 0; i < nall; i++) {
        if (strcmp(all[i].type, "person") == 0)
            continue; /* each pair once: from its registry side */
        const char *who = truth_of(&t, all[i].id);
        for (size_t j = 0; j < nall; j++) {
            if (j == i || strcmp(all[i].type, all[j].type) == 0 ||
                strcmp(who, truth_of(&t, all[j].id)) != 0)
                continue;
            if (strcmp(all[j].type, "person") != 0 && strcmp(all[j].id, all[i].id) < 0)
                continue; /* a registry-registry pair: counted from its first record */
            pairs++;
            ct_review_filter rf = {"registry_hit", NULL, NULL, all[i].type, all[i].id, NULL, 0};
            want w = {all[j].id, 0};
            ct_err err = CT_ERR_INIT;
            assert_int_equal(ct_store_review_each(f->s, &rf, match_other, &w, &err), 0);
            found += w.hit;
        }
    }
    tally x = {&t, 0, 0};
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_review_each(f->s, NULL, count_item, &x, &err), 0);
    double recall = (double)found / (double)pairs, precision = (double)x.right / (double)x.items;
    print_message("demo registries: %ld planted records, %ld true pairs, %ld found (recall %.3f); "
                  "%ld queued, %ld right (precision %.3f)\n",
                  rs.planted, pairs, found, recall, x.items, x.right, precision);
    assert_true(pairs >= rs.planted);
    assert_true(recall >= 0.85);
    assert_true(precision >= 0.5);
    assert_int_equal(c.queued, x.items);
    sqlite3_close(db);
    free(all);
    free(t.id);
    free(t.who);
}

static void is_reproducible(void **state)
{
    fixture *f = *state;
    char p1[600];
    snprintf(p1, sizeof(p1), "%s/t1.csv", f->dir);
    ct_reg_demo_stats a, b;
    fill(f, p1, &a);
    /* a second database from the same seed holds the same registries */
    fixture g;
    memset(&g, 0, sizeof(g));
    g.dir = f->dir;
    snprintf(g.db, sizeof(g.db), "%s/u.db", f->dir);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_open(g.db, CT_STORE_CREATE, &g.s, &err), 0);
    ct_actor actor = {"os:tester", "CPS North", NULL};
    ct_store_set_actor(g.s, &actor);
    add_agency(g.s, "CPS North");
    add_agency(g.s, "Police");
    char p2[600];
    snprintf(p2, sizeof(p2), "%s/t2.csv", f->dir);
    fill(&g, p2, &b);
    assert_memory_equal(&a, &b, sizeof(a));
    ct_store_close(g.s);
    char cmd[1400];
    snprintf(cmd, sizeof(cmd),
             "cmp -s %s %s && sqlite3 %s 'SELECT uuid, content_hash FROM reg_record ORDER BY "
             "uuid' > %s/a.txt && sqlite3 %s 'SELECT uuid, content_hash FROM reg_record ORDER BY "
             "uuid' > %s/b.txt && cmp -s %s/a.txt %s/b.txt",
             p1, p2, f->db, f->dir, g.db, f->dir, f->dir, f->dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(cross_checks_find_the_children_who_reappear, reg_setup,
                                        reg_teardown),
        cmocka_unit_test_setup_teardown(is_reproducible, reg_setup, reg_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
