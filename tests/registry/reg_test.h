/* Shared fixture of the registry tests: a fresh database with two agencies
 * (a child-protection agency, the home agency, and the police), files
 * written into a temporary directory, problems collected as text. */
#ifndef CT_TESTS_REG_TEST_H
#define CT_TESTS_REG_TEST_H

#include "test_util.h"

#include "io/io.h"
#include "registry/registry.h"
#include "store/store.h"

#include <sodium.h>

typedef struct fixture {
    char *dir;
    char db[512];
    ct_store *s;
    char problems[8192]; /* "LINE:field:msg|" of every reported problem */
} fixture;

static inline void add_agency(ct_store *s, const char *name)
{
    ct_agency a = {0};
    snprintf(a.name, sizeof(a.name), "%s", name);
    snprintf(a.country, sizeof(a.country), "FRA");
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_agency_add(s, &a, &err), 0);
}

static inline int reg_setup(void **state)
{
    assert_true(sodium_init() >= 0);
    fixture *f = calloc(1, sizeof(*f));
    f->dir = ct_test_tmpdir();
    snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_open(f->db, CT_STORE_CREATE, &f->s, &err), 0);
    ct_actor a = {"os:tester", "CPS North", NULL};
    ct_store_set_actor(f->s, &a);
    add_agency(f->s, "CPS North");
    add_agency(f->s, "Police");
    assert_int_equal(ct_store_meta_set(f->s, "home_agency", "CPS North", &err), 0);
    *state = f;
    return 0;
}

static inline int reg_teardown(void **state)
{
    fixture *f = *state;
    ct_store_close(f->s);
    ct_test_rmdir(f->dir);
    free(f);
    return 0;
}

static inline void reg_collect(void *arg, const char *file, long line, const char *field,
                               const char *msg)
{
    (void)file;
    fixture *f = arg;
    size_t n = strlen(f->problems);
    snprintf(f->problems + n, sizeof(f->problems) - n, "%ld:%s:%s|", line, field, msg);
}

static inline const char *reg_write(fixture *f, const char *name, const char *content)
{
    static char path[4][600];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof(path[k]), "%s/%s", f->dir, name);
    FILE *fp = fopen(path[k], "wb");
    assert_non_null(fp);
    fputs(content, fp);
    fclose(fp);
    return path[k];
}

/* Imports text as a file of kind k; returns the status. */
static inline int reg_import_text(fixture *f, enum ct_reg_kind k, const char *name,
                                  const char *content, int skip, ct_reg_import_stats *st)
{
    const char *path = reg_write(f, name, content);
    ct_reg_import_opts o = {path, k, CT_REG_FMT_AUTO, NULL, skip, NULL, 0, 0, reg_collect, f};
    ct_err err = CT_ERR_INIT;
    f->problems[0] = '\0';
    ct_reg_import_stats ignored;
    return ct_reg_import(f->s, &o, st ? st : &ignored, &err);
}

/* Imports cases (JSON lines) through src/io. */
static inline void reg_import_cases(fixture *f, const char *jsonl)
{
    const char *path = reg_write(f, "cases.jsonl", jsonl);
    ct_import_opts o = {path, CT_FMT_AUTO, NULL, 0, NULL, 0, 0, reg_collect, f};
    ct_import_stats st;
    ct_err err = CT_ERR_INIT;
    f->problems[0] = '\0';
    int rc = ct_import_run(f->s, &o, &st, &err);
    if (rc)
        fail_msg("case import: %s %s", err.msg, f->problems);
}

static inline int reg_count_one(ct_reg_record *r, void *arg)
{
    (void)r;
    ++*(long *)arg;
    return 0;
}

static inline long reg_count(fixture *f, int kind)
{
    long n = 0;
    ct_reg_filter flt = {kind, NULL, NULL, NULL, 0, NULL, NULL, NULL};
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_reg_each(f->s, &flt, reg_count_one, &n, &err), 0);
    return n;
}

static inline ct_reg_check_stats reg_check(fixture *f)
{
    ct_reg_check_stats st;
    ct_err err = CT_ERR_INIT;
    int rc = ct_reg_crosscheck(f->s, NULL, &st, &err);
    if (rc)
        fail_msg("cross-check: %s", err.msg);
    return st;
}

#endif
