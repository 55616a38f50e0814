/* BCa from a fixed set of replicates, quantile type 8 and the jackknife
 * acceleration against R (bca_expected.csv); the bootstrap's determinism. */
#include "est_test.h"

#include "core/alloc.h"

#include <gsl/gsl_cdf.h>

/* The replicates of reference.R: 10000 + 1500 qnorm(ppoints(101)) + 300 sin(i). */
static void fixed_reps(double *x)
{
    for (int i = 1; i <= 101; i++)
        x[i - 1] = 10000 + 1500 * gsl_cdf_ugaussian_Pinv((i - 0.5) / 101) + 300 * sin(i);
}

static int sorted_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void bca_row(char **f, int n, void *arg)
{
    (void)arg;
    if (strcmp(f[0], "accel") == 0) {
        double J[] = {11000, 10800, 11500, 10950, 12000}, cnt[] = {54, 463, 15, 1, 3};
        assert_close(est_jackknife_accel(J, cnt, 5), atof(f[1]), 1e-9, "acceleration");
        return;
    }
    assert_int_equal(n, 9);
    double x[101];
    fixed_reps(x);
    size_t m = (size_t)atoi(f[1]);
    double lo, hi;
    int r = est_bca_limits(x, m, atof(f[2]), atof(f[3]), 0.95, &lo, &hi);
    if (strcmp(f[4], "NaN") == 0) {
        assert_int_equal(r, -1); /* every replicate below the estimate */
    } else {
        assert_int_equal(r, 0);
        assert_close(lo, atof(f[4]), 1e-9, "BCa lower");
        assert_close(hi, atof(f[5]), 1e-9, "BCa upper");
    }
    qsort(x, m, sizeof(double), sorted_cmp);
    assert_close(est_quantile8(x, m, 0.025), atof(f[6]), 1e-10, "q8 0.025");
    assert_close(est_quantile8(x, m, 0.5), atof(f[7]), 1e-10, "q8 0.5");
    assert_close(est_quantile8(x, m, 0.975), atof(f[8]), 1e-10, "q8 0.975");
}

static void bca_matches_r(void **state)
{
    assert_int_equal(est_expected("bca_expected.csv", bca_row, NULL), 4);
}

static void quantile8_edges(void **state)
{
    double x[] = {1, 2, 3, 4};
    assert_close(est_quantile8(x, 4, 0), 1, 1e-12, "p=0");
    assert_close(est_quantile8(x, 4, 1), 4, 1e-12, "p=1");
    assert_close(est_quantile8(x, 1, 0.3), 1, 1e-12, "n=1");
}

static double bootstrap_once(const char *set, long reps, unsigned long seed, int threads,
                             double *accel)
{
    ct_estimate_data *d = est_load(set);
    est_select_opts o = {CT_ESTIMATE_STEPWISE, 0.02};
    est_boot_opts bo = {reps, seed, threads};
    est_boot b;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(est_bootstrap(est_data_table(d, 0), &o, &bo, &b, &err), 0);
    assert_int_equal(b.nreps, reps);
    double sum = 0;
    for (long i = 0; i < reps; i++)
        sum += b.reps[i] * (i + 1); /* order matters: a fingerprint */
    *accel = b.accel;
    est_boot_release(&b);
    ct_estimate_data_free(d);
    return sum;
}

/* Same seed, same replicates, whatever the number of threads. */
static void bootstrap_is_deterministic(void **state)
{
    double a1, a2, a3;
    double s1 = bootstrap_once("UKdat_5", 40, 7, 1, &a1);
    double s2 = bootstrap_once("UKdat_5", 40, 7, 2, &a2);
    double s3 = bootstrap_once("UKdat_5", 40, 8, 2, &a3);
    assert_true(s1 == s2);
    assert_true(a1 == a2 && a1 == a3); /* the jackknife has no randomness */
    assert_true(s1 != s3);
    assert_true(fabs(a1) < 0.5);
}

/* ct_estimate_run end to end: the Wald interval is n + exp(b0 -+ z se)
 * with glm's b0 and se (glm_expected.csv: UKdat_5 main effects). */
static void run_wald_main(void **state)
{
    ct_estimate_data *d = est_load("UKdat_5");
    ct_estimate_opts o = CT_ESTIMATE_OPTS_INIT;
    o.method = CT_ESTIMATE_MAIN;
    o.interval = CT_ESTIMATE_IV_WALD;
    ct_estimate_result *r = NULL;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_estimate_run(d, 0, &o, &r, &err), 0);
    assert_true(ct_estimate_result_has_estimate(r));
    json_t *j = ct_estimate_result_json(r), *iv = json_object_get(j, "interval");
    double b0 = 9.2780112829, se = 0.0747908643099, z = 1.959963984540054;
    assert_close(json_real_value(json_object_get(j, "estimate")), 13444.131209, 1e-8, "est");
    assert_close(json_real_value(json_object_get(iv, "lower")), 2744 + exp(b0 - z * se), 1e-7,
                 "lower");
    assert_close(json_real_value(json_object_get(iv, "upper")), 2744 + exp(b0 + z * se), 1e-7,
                 "upper");
    json_decref(j);
    ct_estimate_result_free(r);
    ct_estimate_data_free(d);
}

/* Every allocation failure in a whole estimation is CT_ENOMEM, no leak. */
static void run_out_of_memory(void **state)
{
#ifdef CT_FAULT_INJECTION
    ct_estimate_data *d = est_load("Western");
    ct_estimate_opts o = CT_ESTIMATE_OPTS_INIT;
    o.interval = CT_ESTIMATE_IV_PROFILE;
    long n = 1;
    for (; n < 5000; n++) {
        ct_estimate_result *r = NULL;
        ct_err err = CT_ERR_INIT;
        ct_alloc_fail_after(n);
        int rc = ct_estimate_run(d, 0, &o, &r, &err);
        ct_alloc_fail_after(0);
        if (rc == 0) {
            ct_estimate_result_free(r);
            break;
        }
        assert_int_equal(rc, CT_ENOMEM);
        assert_null(r);
    }
    if (!(n > 20 && n < 5000)) /* many allocations were failed in turn */
        fail_msg("succeeded after %ld allocations", n);
    ct_estimate_data_free(d);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bca_matches_r),
        cmocka_unit_test(quantile8_edges),
        cmocka_unit_test(bootstrap_is_deterministic),
        cmocka_unit_test(run_wald_main),
        cmocka_unit_test(run_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
