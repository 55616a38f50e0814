/* Fits against R's glm (tests/estimate/reference.R, glm_expected.csv), the
 * existence and identifiability checks, p-values, large and wide tables. */
#include "est_test.h"

#include "core/alloc.h"

static void glm_row(char **f, int n, void *arg)
{
    (void)arg;
    assert_int_equal(n, 8);
    ct_estimate_data *d = est_load(f[0]);
    est_model m;
    est_parse_model(d, f[1], &m);
    est_work *w = est_work_new();
    est_fit *fit = ct_malloc(sizeof(*fit));
    const est_table *tab = est_data_table(d, 0);
    assert_int_equal(est_fit_model(tab, &m, w, fit), 0);
    assert_int_equal(fit->status, EST_FIT_OK);
    char what[128];
    snprintf(what, sizeof(what), "%s %s estimate", f[0], f[1]);
    assert_close(est_total(tab) + exp(fit->beta0), atof(f[2]), 1e-8, what);
    snprintf(what, sizeof(what), "%s %s beta0", f[0], f[1]);
    assert_close(fit->beta0, atof(f[3]), 1e-8, what);
    snprintf(what, sizeof(what), "%s %s se0", f[0], f[1]);
    assert_close(fit->se0, atof(f[4]), 1e-6, what);
    snprintf(what, sizeof(what), "%s %s deviance", f[0], f[1]);
    assert_close(fit->deviance, atof(f[5]), 1e-6, what);
    assert_int_equal(fit->df, atoi(f[6]));
    snprintf(what, sizeof(what), "%s %s aic", f[0], f[1]);
    assert_close(fit->aic, atof(f[7]), 1e-8, what);
    ct_free(fit);
    est_work_free(w);
    ct_estimate_data_free(d);
}

static void fits_match_glm(void **state)
{
    assert_true(est_expected("glm_expected.csv", glm_row, NULL) >= 20);
}

static int check(const char *set, const char *model)
{
    ct_estimate_data *d = est_load(set);
    est_model m;
    est_parse_model(d, model, &m);
    est_work *w = est_work_new();
    int r = est_check(est_data_table(d, 0), &m, w);
    est_work_free(w);
    ct_estimate_data_free(d);
    return r;
}

/* Chan, Silverman & Vincent's constructed example (SparseMSE's checkident
 * examples): A:B alone has no MLE, all pairs are not identifiable, the two
 * empty pairs together are fine. */
static void artificial_3_checks(void **state)
{
    assert_int_equal(check("Artificial_3", "A:B"), EST_FIT_NOEXIST);
    assert_int_equal(check("Artificial_3", "A:B+A:C+B:C"), EST_FIT_NOIDENT);
    assert_int_equal(check("Artificial_3", "A:C+B:C"), EST_FIT_OK);
    assert_int_equal(check("Artificial_3", "main"), EST_FIT_OK);
    assert_int_equal(check("UKdat", "PF:NCA+LA:NG"), EST_FIT_OK);
    assert_int_equal(check("Artificial_3", "A:C"), EST_FIT_OK);
}

/* min(P(X <= n), P(X >= n)), X ~ Poisson(mu): values from R's ppois. */
static void poisson_p_values(void **state)
{
    assert_close(est_poisson_p(0, 2), exp(-2), 1e-12, "P(X<=0)");
    assert_close(est_poisson_p(3, 7.5), 0.0591454598327, 1e-9, "lower tail");
    assert_close(est_poisson_p(15, 7.5), 0.0102604279123, 1e-9, "upper tail");
    assert_close(est_poisson_p(1e6, 1e6), 0.500132980761, 1e-8, "large");
    assert_close(est_poisson_p(0, 0), 1, 1e-12, "mu 0");
}

/* Counts up to 10^7: UKdat times 3,000 (9 x 10^6 in one cell). The main
 * effects estimate scales exactly: N = n + exp(b0) with b0 + log(3000). */
static void large_counts(void **state)
{
    ct_estimate_data *d = est_load("UKdat");
    est_table *big = ct_malloc(sizeof(*big));
    memcpy(big, est_data_table(d, 0), sizeof(*big));
    for (int c = 0; c < (1 << big->t); c++)
        big->y[c] *= 3000;
    est_model m = {0};
    est_work *w = est_work_new();
    est_fit *fit = ct_malloc(sizeof(*fit));
    assert_int_equal(est_fit_model(big, &m, w, fit), 0);
    assert_int_equal(fit->status, EST_FIT_OK);
    assert_close(est_total(big) + exp(fit->beta0), 3000 * 12213.9951247, 1e-9, "scaled");
    assert_int_equal(est_check(big, &m, w), EST_FIT_OK);
    ct_free(fit);
    ct_free(big);
    est_work_free(w);
    ct_estimate_data_free(d);
}

/* Twelve independent lists (4,095 cells) with known capture probabilities:
 * the main-effects fit recovers the population of 100,000. */
static void twelve_lists(void **state)
{
    est_table *tab = ct_calloc(1, sizeof(*tab));
    tab->t = 12;
    double N = 100000, p[12];
    for (int i = 0; i < 12; i++)
        p[i] = 0.05 + 0.02 * i;
    for (unsigned c = 1; c < 4096; c++) {
        double e = N;
        for (int i = 0; i < 12; i++)
            e *= (c >> i) & 1u ? p[i] : 1 - p[i];
        tab->y[c] = e; /* expected counts: the fit is exact */
    }
    est_model m = {0};
    est_work *w = est_work_new();
    est_fit *fit = ct_malloc(sizeof(*fit));
    assert_int_equal(est_fit_model(tab, &m, w, fit), 0);
    assert_int_equal(fit->status, EST_FIT_OK);
    assert_close(est_total(tab) + exp(fit->beta0), N, 1e-9, "12 lists");
    assert_true(fit->deviance < 1e-6);
    ct_free(fit);
    ct_free(tab);
    est_work_free(w);
}

static void term_names(void **state)
{
    const char *lists[] = {"PF", "NCA", "LA"};
    char buf[64];
    est_term_name(1u | 4u, lists, buf, sizeof(buf));
    assert_string_equal(buf, "PF:LA");
    est_term_name(7u, lists, buf, sizeof(buf));
    assert_string_equal(buf, "PF:NCA:LA");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fits_match_glm),   cmocka_unit_test(artificial_3_checks),
        cmocka_unit_test(poisson_p_values), cmocka_unit_test(large_counts),
        cmocka_unit_test(twelve_lists),     cmocka_unit_test(term_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
