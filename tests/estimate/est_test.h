/* Helpers shared by the estimate tests (header-only). */
#ifndef CT_TESTS_EST_TEST_H
#define CT_TESTS_EST_TEST_H

#include "test_util.h"

#include "estimate/estimate_int.h"

#include <math.h>

/* A data set of ../shared/datasets/mse, read by ctip's reader. */
static inline ct_estimate_data *est_load(const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/mse/%s.csv", ct_test_datasets(), name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    ct_estimate_data *d = NULL;
    ct_err err = CT_ERR_INIT;
    int r = ct_estimate_read_csv(f, path, &d, NULL, &err);
    fclose(f);
    if (r)
        fail_msg("%s: %s", path, err.msg);
    return d;
}

/* Index of list `name` in d, or fails. */
static inline int est_list_index(const ct_estimate_data *d, const char *name, size_t n)
{
    for (int i = 0; i < ct_estimate_data_nlists(d); i++)
        if (strlen(ct_estimate_data_list(d, i)) == n &&
            strncmp(ct_estimate_data_list(d, i), name, n) == 0)
            return i;
    fail_msg("no list %.*s", (int)n, name);
    return -1;
}

/* A model from "A:B+C:D" (or "main"/""). */
static inline void est_parse_model(const ct_estimate_data *d, const char *s, est_model *m)
{
    m->nterms = 0;
    if (strcmp(s, "main") == 0)
        return;
    while (*s) {
        unsigned T = 0;
        for (;;) {
            size_t n = strcspn(s, ":+");
            T |= 1u << est_list_index(d, s, n);
            s += n;
            if (*s != ':')
                break;
            s++;
        }
        m->term[m->nterms++] = T;
        if (*s == '+')
            s++;
    }
}

/* Relative closeness, with a floor for values near 0. */
static inline void assert_close(double got, double want, double rel, const char *what)
{
    double tol = rel * fmax(fabs(want), 1e-3);
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.12g, want %.12g (tolerance %.3g)", what, got, want, tol);
}

/* Reads a committed expected-values CSV: calls row() with the fields of each
 * data line (header skipped). */
static inline int est_expected(const char *file, void (*row)(char **f, int n, void *), void *arg)
{
    char path[1024], line[4096];
    snprintf(path, sizeof(path), "%s/tests/estimate/%s", getenv("CT_SOURCE_DIR"), file);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    int rows = 0;
    for (int first = 1; fgets(line, sizeof(line), fp); first = 0) {
        if (first)
            continue;
        line[strcspn(line, "\n")] = '\0';
        char *f[16];
        int n = 0;
        for (char *p = line; n < 16;) {
            f[n++] = p;
            char *c = strchr(p, ',');
            if (!c)
                break;
            *c = '\0';
            p = c + 1;
        }
        row(f, n, arg);
        rows++;
    }
    fclose(fp);
    return rows;
}

#endif
