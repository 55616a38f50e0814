/* The EM recovers known parameters (within 0.01, as Splink's
 * test_correctness_of_convergence asks), and clustering keeps its
 * invariants: components, one-to-one assignment, stable ids with a
 * merge/split history. */
#include "test_util.h"

#include "link/link.h"
#include "link/link_int.h"

#include <math.h>

enum { NF = 3, NPAIRS = 200000 };

/* True parameters: lambda 0.3; field f has 2 or 3 levels. */
static const int nlev[NF] = {2, 3, 3};
static const double true_m[NF][3] = {{0.3, 0.7}, {0.1, 0.2, 0.7}, {0.05, 0.15, 0.8}};
static const double true_u[NF][3] = {{0.9, 0.1}, {0.7, 0.2, 0.1}, {0.8, 0.15, 0.05}};
static const double true_lambda = 0.3;

static int draw(uint64_t *rng, const double *p, int n)
{
    double x = (double)(ct_link_rand(rng) >> 11) / 9007199254740992.0, acc = 0;
    for (int l = 0; l < n - 1; l++)
        if (x < (acc += p[l]))
            return l;
    return n - 1;
}

static void test_em_recovers_parameters(void **state)
{
    (void)state;
    /* pattern counts of NPAIRS generated pairs */
    double counts[2 * 3 * 3] = {0};
    signed char pats[2 * 3 * 3 * NF];
    uint64_t rng = 42;
    for (int i = 0; i < NPAIRS; i++) {
        int match = (double)(ct_link_rand(&rng) >> 11) / 9007199254740992.0 < true_lambda;
        int l[NF];
        for (int f = 0; f < NF; f++)
            l[f] = draw(&rng, match ? true_m[f] : true_u[f], nlev[f]);
        counts[(l[0] * 3 + l[1]) * 3 + l[2]]++;
    }
    size_t np = 0;
    double c2[18];
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 3; b++)
            for (int c = 0; c < 3; c++) {
                pats[np * NF] = (signed char)a;
                pats[np * NF + 1] = (signed char)b;
                pats[np * NF + 2] = (signed char)c;
                c2[np++] = counts[(a * 3 + b) * 3 + c];
            }
    double m[NF * CT_LINK_MAX_LEVELS] = {0}, u[NF * CT_LINK_MAX_LEVELS] = {0};
    for (int f = 0; f < NF; f++)
        for (int l = 0; l < nlev[f]; l++) {
            m[f * CT_LINK_MAX_LEVELS + l] = (l + 1.0) / (nlev[f] * (nlev[f] + 1) / 2.0);
            u[f * CT_LINK_MAX_LEVELS + l] = 1.0 / nlev[f];
        }
    ct_link_em em = {.nfields = NF,
                     .nlevels = nlev,
                     .m = m,
                     .u = u,
                     .lambda = 0.1,
                     .max_iter = 1000,
                     .tol = 1e-9};
    ct_err err = CT_ERR_INIT;
    int it = ct_link_em_run(&em, pats, c2, np, &err);
    assert_true(it > 0);
    assert_true(fabs(em.lambda - true_lambda) < 0.01);
    for (int f = 0; f < NF; f++)
        for (int l = 0; l < nlev[f]; l++) {
            if (fabs(m[f * CT_LINK_MAX_LEVELS + l] - true_m[f][l]) >= 0.01 ||
                fabs(u[f * CT_LINK_MAX_LEVELS + l] - true_u[f][l]) >= 0.01)
                fail_msg("field %d level %d: m %.4f (true %.2f) u %.4f (true %.2f)", f, l,
                         m[f * CT_LINK_MAX_LEVELS + l], true_m[f][l], u[f * CT_LINK_MAX_LEVELS + l],
                         true_u[f][l]);
        }
}

static void test_em_rejects_bad_input(void **state)
{
    (void)state;
    int bad[1] = {1};
    double m[8], u[8];
    ct_link_em em = {
        .nfields = 1, .nlevels = bad, .m = m, .u = u, .lambda = 0.1, .max_iter = 10, .tol = 1e-6};
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_link_em_run(&em, NULL, NULL, 0, &err), CT_EINVAL);
}

static void test_components_and_one_to_one(void **state)
{
    (void)state;
    ct_link_pair p[] = {{0, 1, 10, 0.99f}, {1, 2, 9, 0.95f}, {3, 4, 1, 0.6f}, {0, 4, 0, 0.5f}};
    uint32_t cl[6];
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_link_components(6, p, 4, 0.9, cl, &err), 0);
    assert_int_equal(cl[0], 0);
    assert_int_equal(cl[1], 0);
    assert_int_equal(cl[2], 0);
    assert_int_equal(cl[3], 3);
    assert_int_equal(cl[4], 4); /* 0.6 is below the threshold */
    assert_int_equal(cl[5], 5);
    unsigned char keep[4];
    assert_int_equal(ct_link_one_to_one(6, p, 4, 0.5, keep, &err), 2);
    assert_true(keep[0] && !keep[1] && keep[2] && !keep[3]);
}

static int count_events(void *ctx, const ct_link_event *ev)
{
    (void)ev;
    (*(int *)ctx)++;
    return 0;
}

static void test_stable_clusters(void **state)
{
    (void)state;
    int events = 0;
    ct_err err = CT_ERR_INIT;
    ct_link_clusters *c = ct_link_clusters_new(count_events, &events, &err);
    assert_non_null(c);
    assert_int_equal(ct_link_clusters_grow(c, 4, &err), 0);
    assert_int_equal(events, 4);
    uint64_t id0 = ct_link_clusters_id(c, 0), id3 = ct_link_clusters_id(c, 3);
    /* incremental: a later run adds records 4 and 5 */
    assert_int_equal(ct_link_clusters_link(c, 3, 2, &err), 0);
    assert_int_equal(ct_link_clusters_grow(c, 6, &err), 0);
    assert_int_equal(ct_link_clusters_link(c, 5, 3, &err), 0);
    assert_int_equal(ct_link_clusters_link(c, 0, 5, &err), 0);
    /* the oldest id survives the merges */
    for (uint32_t r = 0; r < 6; r++)
        if (r != 1 && r != 4)
            assert_int_equal(ct_link_clusters_id(c, r), id0);
    /* undoing 0-5 splits: record 0 keeps its id, {2,3,5} gets a new one */
    assert_int_equal(ct_link_clusters_unlink(c, 0, 5, &err), 0);
    assert_int_equal(ct_link_clusters_id(c, 0), id0);
    uint64_t n = ct_link_clusters_id(c, 3);
    assert_true(n != id0 && n != id3);
    assert_int_equal(ct_link_clusters_id(c, 2), n);
    assert_int_equal(ct_link_clusters_id(c, 5), n);
    /* unlinking 3-2 while 2 stays reachable through nothing: another split */
    assert_int_equal(ct_link_clusters_unlink(c, 3, 2, &err), 0);
    assert_true(ct_link_clusters_id(c, 2) != ct_link_clusters_id(c, 3));
    assert_int_equal(ct_link_clusters_unlink(c, 3, 2, &err), CT_ENOTFOUND);
    size_t nh;
    const ct_link_event *h = ct_link_clusters_history(c, &nh);
    assert_int_equal((int)nh, events);
    int merges = 0, splits = 0;
    for (size_t i = 0; i < nh; i++) {
        merges += h[i].kind == CT_LINK_EV_MERGE;
        splits += h[i].kind == CT_LINK_EV_SPLIT;
    }
    assert_int_equal(merges, 3);
    assert_int_equal(splits, 2);
    ct_link_clusters_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_em_recovers_parameters),
        cmocka_unit_test(test_em_rejects_bad_input),
        cmocka_unit_test(test_components_and_one_to_one),
        cmocka_unit_test(test_stable_clusters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
