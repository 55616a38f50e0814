/* Selection paths against tests/estimate/reference.R (R's glm and lpSolve
 * following mse.md): stepwise (stepwise_expected.csv) and AIC forward with
 * the profile interval (aic_expected.csv); the Artificial_3 refusal; BIC. */
#include "est_test.h"

#include "core/alloc.h"

typedef struct run {
    ct_estimate_data *d;
    est_selection *sel;
    est_fit *f;
    est_work *w;
} run;

static run *select_on(const char *set, enum ct_estimate_method m, double thr)
{
    run *r = ct_calloc(1, sizeof(*r));
    r->d = est_load(set);
    r->sel = ct_malloc(sizeof(*r->sel));
    r->f = ct_malloc(sizeof(*r->f));
    r->w = est_work_new();
    est_select_opts o = {m, thr};
    assert_int_equal(est_select(est_data_table(r->d, 0), &o, r->w, r->sel, r->f), 0);
    return r;
}

static void run_free(run *r)
{
    est_work_free(r->w);
    ct_free(r->f);
    ct_free(r->sel);
    ct_estimate_data_free(r->d);
    ct_free(r);
}

static void expect_path(run *r, const char *set, const char *terms, const char *pvals)
{
    est_model want;
    est_parse_model(r->d, terms, &want);
    if (r->sel->nsteps != want.nterms) {
        run_free(r); /* no leak on failure: the message is what matters */
        fail_msg("%s: %d terms selected, R has %d (%s)", set, r->sel->nsteps, want.nterms, terms);
    }
    const char *p = pvals;
    for (int k = 0; k < want.nterms; k++) {
        assert_int_equal(r->sel->step[k].term, want.term[k]);
        char what[96];
        snprintf(what, sizeof(what), "%s p-value of step %d", set, k + 1);
        assert_close(r->sel->step[k].p, strtod(p, (char **)&p), 1e-4, what);
        p += *p == '+';
    }
}

static void stepwise_row(char **f, int n, void *arg)
{
    assert_int_equal(n, 5);
    run *r = select_on(f[0], CT_ESTIMATE_STEPWISE, atof(f[1]));
    assert_int_equal(r->f->status, EST_FIT_OK);
    expect_path(r, f[0], f[2], f[3]);
    assert_close(est_total(est_data_table(r->d, 0)) + exp(r->f->beta0), atof(f[4]), 1e-8, f[0]);
    run_free(r);
    (*(int *)arg)++;
}

static void stepwise_paths_match_r(void **state)
{
    int n = 0;
    assert_true(est_expected("stepwise_expected.csv", stepwise_row, &n) >= 26);
}

/* Published anchors: Chan, Silverman & Vincent report 11,313 for the UK
 * five lists (UKdat_5) with the stepwise method at 0.02. */
static void published_anchor_ukdat_5(void **state)
{
    run *r = select_on("UKdat_5", CT_ESTIMATE_STEPWISE, 0.02);
    double est = est_total(est_data_table(r->d, 0)) + exp(r->f->beta0);
    assert_int_equal((long)floor(est + 0.5), 11313);
    run_free(r);
}

/* Artificial_3: A:B must be refused however permissive the threshold. */
static void artificial_3_refuses_ab(void **state)
{
    run *r = select_on("Artificial_3", CT_ESTIMATE_STEPWISE, 1);
    for (int k = 0; k < r->sel->nsteps; k++)
        assert_int_not_equal(r->sel->step[k].term, 3u); /* A:B */
    assert_int_equal(r->f->status, EST_FIT_OK);
    run_free(r);
    r = select_on("Artificial_3", CT_ESTIMATE_STEPWISE, 0);
    assert_int_equal(r->sel->nsteps, 0);
    run_free(r);
}

static void aic_row(char **f, int n, void *arg)
{
    (void)arg;
    assert_int_equal(n, 8);
    run *r = select_on(f[0], CT_ESTIMATE_AIC, atof(f[1]));
    assert_int_equal(r->f->status, EST_FIT_OK);
    expect_path(r, f[0], f[2], f[3]);
    const est_table *tab = est_data_table(r->d, 0);
    double est = est_total(tab) + exp(r->f->beta0), lo, hi;
    assert_close(est, atof(f[4]), 1e-8, f[0]);
    assert_int_equal(est_profile_interval(tab, &r->sel->model, est, 0.95, r->w, &lo, &hi), 0);
    char what[64];
    snprintf(what, sizeof(what), "%s profile lower", f[0]);
    assert_close(lo, atof(f[6]), 1e-5, what);
    snprintf(what, sizeof(what), "%s profile upper", f[0]);
    assert_close(hi, atof(f[7]), 1e-5, what);
    run_free(r);
}

static void aic_paths_and_profile_match_r(void **state)
{
    assert_true(est_expected("aic_expected.csv", aic_row, NULL) >= 16);
}

/* Main effects: no terms, and the fit of glm_expected.csv. */
static void main_effects(void **state)
{
    run *r = select_on("Kosovo", CT_ESTIMATE_MAIN, 0);
    assert_int_equal(r->sel->nsteps, 0);
    assert_close(est_total(est_data_table(r->d, 0)) + exp(r->f->beta0), 7394.58666308, 1e-8,
                 "Kosovo main");
    run_free(r);
}

/* No overlap at all: the MLE does not exist even for main effects. */
static void no_overlap_has_no_estimate(void **state)
{
    est_table *t = ct_calloc(1, sizeof(*t));
    t->t = 3;
    t->y[1] = 10, t->y[2] = 5, t->y[4] = 7;
    est_selection *sel = ct_malloc(sizeof(*sel));
    est_fit *f = ct_malloc(sizeof(*f));
    est_work *w = est_work_new();
    est_select_opts o = {CT_ESTIMATE_STEPWISE, 0.02};
    assert_int_equal(est_select(t, &o, w, sel, f), 0);
    assert_int_equal(f->status, EST_FIT_NOEXIST);
    assert_true(isnan(est_point(t, &o, w, f)));
    est_work_free(w);
    ct_free(f);
    ct_free(sel);
    ct_free(t);
}

/* BIC: the exhaustive search's model is no worse than forward selection's,
 * passes the checks, and is hierarchical. */
static void bic_selection(void **state)
{
    const char *sets[] = {"Kosovo", "UKdat_4", "Western", "UKdat_5", "Korea"};
    for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
        run *r = select_on(sets[i], CT_ESTIMATE_BIC, 0);
        assert_int_equal(r->f->status, EST_FIT_OK);
        assert_false(r->sel->truncated);
        const est_table *tab = est_data_table(r->d, 0);
        assert_int_equal(est_check(tab, &r->sel->model, r->w), EST_FIT_OK);
        for (int k = 0; k < r->sel->model.nterms; k++) {
            unsigned T = r->sel->model.term[k];
            if (__builtin_popcount(T) < 3)
                continue;
            for (int b = 0; b < tab->t; b++) {
                unsigned P = T & ~(1u << b);
                int found = 0;
                for (int j = 0; j < r->sel->model.nterms; j++)
                    found |= r->sel->model.term[j] == P && (T >> b & 1u);
                assert_true(found || !(T >> b & 1u));
            }
        }
        run_free(r);
    }
}

/* Brute force: every hierarchical model with terms up to three lists
 * (a triple only with its three pairs, each overlapping), fitted, ranked by
 * BIC, the best that passes the checks. The branch and bound must agree. */
typedef struct bf_model {
    est_model m;
    double bic;
} bf_model;

static int bf_cmp(const void *a, const void *b)
{
    double x = ((const bf_model *)a)->bic, y = ((const bf_model *)b)->bic;
    return x < y ? -1 : x > y;
}

static size_t bf_enumerate(const est_table *tab, est_work *w, est_fit *f, bf_model *out)
{
    unsigned pairs[EST_MAX_TERMS], tri[EST_MAX_TERMS];
    int t = tab->t, np = 0;
    for (int i = 0; i < t; i++)
        for (int j = i + 1; j < t; j++)
            pairs[np++] = (1u << i) | (1u << j);
    size_t n = 0;
    double logn = log(est_total(tab));
    for (unsigned pm = 0; pm < (1u << np); pm++) {
        int nt = 0;
        for (int i = 0; i < t; i++)
            for (int j = i + 1; j < t; j++)
                for (int k = j + 1; k < t; k++) {
                    unsigned a = (1u << i) | (1u << j), b = (1u << i) | (1u << k),
                             c = (1u << j) | (1u << k);
                    int in = 0;
                    for (int q = 0; q < np; q++)
                        if ((pm >> q) & 1u)
                            in += pairs[q] == a || pairs[q] == b || pairs[q] == c;
                    if (in == 3 && est_overlap(tab, a) > 0 && est_overlap(tab, b) > 0 &&
                        est_overlap(tab, c) > 0)
                        tri[nt++] = a | b | c;
                }
        for (unsigned tm = 0; tm < (1u << nt); tm++) {
            est_model m = {0};
            for (int q = 0; q < np; q++)
                if ((pm >> q) & 1u)
                    m.term[m.nterms++] = pairs[q];
            for (int q = 0; q < nt; q++)
                if ((tm >> q) & 1u)
                    m.term[m.nterms++] = tri[q];
            assert_int_equal(est_fit_model(tab, &m, w, f), 0);
            if (f->status == EST_FIT_OK)
                out[n++] = (bf_model){m, f->deviance + (1 + t + m.nterms) * logn};
        }
    }
    return n;
}

static int same_terms(const est_model *a, const est_model *b)
{
    if (a->nterms != b->nterms)
        return 0;
    for (int i = 0; i < a->nterms; i++) {
        int found = 0;
        for (int j = 0; j < b->nterms; j++)
            found |= a->term[i] == b->term[j];
        if (!found)
            return 0;
    }
    return 1;
}

static void bic_matches_brute_force(void **state)
{
    const char *sets[] = {"Kosovo", "UKdat_4", "Korea", "Western"};
    for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
        run *r = select_on(sets[s], CT_ESTIMATE_BIC, 0);
        const est_table *tab = est_data_table(r->d, 0);
        bf_model *all = ct_malloc(8000 * sizeof(*all));
        size_t n = bf_enumerate(tab, r->w, r->f, all);
        qsort(all, n, sizeof(*all), bf_cmp);
        size_t k = 0;
        while (k < n && est_check(tab, &all[k].m, r->w) != EST_FIT_OK)
            k++;
        assert_true(k < n);
        if (!same_terms(&all[k].m, &r->sel->model))
            fail_msg("%s: branch and bound chose %d terms, brute force %d", sets[s],
                     r->sel->model.nterms, all[k].m.nterms);
        ct_free(all);
        run_free(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stepwise_paths_match_r),
        cmocka_unit_test(published_anchor_ukdat_5),
        cmocka_unit_test(artificial_3_refuses_ab),
        cmocka_unit_test(aic_paths_and_profile_match_r),
        cmocka_unit_test(main_effects),
        cmocka_unit_test(no_overlap_has_no_estimate),
        cmocka_unit_test(bic_selection),
        cmocka_unit_test(bic_matches_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
