/* Accuracy on the shared data sets, against the targets of issue 6 and
 * docs/linkage.md (floors computed by a plain Python baseline in brackets):
 *   FEBRL4 link, no SSN            F1 >= 0.995  (0.998)
 *   FEBRL3 dedupe, cluster F1      F1 >= 0.99   (0.996)
 *   NC voter parties 0-1, ocp 20   F1 >= 0.96   (0.94)
 *   NC voter parties 0-1, ocp 40   F1 >= 0.90   (0.83)
 * Cluster F1 is pairwise over the pairs the clusters imply (contracts.md). */
#include "test_util.h"

#include "core/alloc.h"
#include "link/link.h"

#include <stdlib.h>

static const ct_link_file_opts febrl_opts = {
    "rec_id=id,surname=family_name",
    "street_number:exact,address_1,address_2,suburb,postcode:lev,state:exact", "YYYYMMDD", 0};
static const ct_link_file_opts ncvoter_opts = {"recid=id,givenname=given_name,surname=family_name",
                                               "suburb,postcode:lev", NULL, 0};

static ct_link_data *load(const char *const *files, size_t n, const ct_link_file_opts *o)
{
    ct_link_input in[2] = {{0}};
    char path[2][1024];
    for (size_t i = 0; i < n; i++) {
        snprintf(path[i], sizeof(path[i]), "%s/%s", ct_test_datasets(), files[i]);
        in[i].name = path[i];
        assert_non_null(in[i].f = fopen(path[i], "rb"));
    }
    ct_link_data *d = NULL;
    ct_err err = CT_ERR_INIT;
    int r = ct_link_load(in, n, o, NULL, NULL, &d, &err);
    for (size_t i = 0; i < n; i++)
        fclose(in[i].f);
    if (r)
        fail_msg("%s", err.msg);
    return d;
}

/* FEBRL entity: the N of rec-N-org / rec-N-dup-K. */
static long febrl_entity(const char *id)
{
    return strtol(id + 4, NULL, 10);
}

static double f1(double tp, double predicted, double truth, const char *what)
{
    double p = predicted ? tp / predicted : 0, r = truth ? tp / truth : 0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    print_message("%s: precision %.4f recall %.4f F1 %.4f\n", what, p, r, f);
    return f;
}

/* One-to-one links between the two sources; truth: same entity. */
static double link_f1(ct_link_data *d, int febrl, double truth, const char *what)
{
    ct_link_opts o = {0};
    o.mode = CT_LINK_LINK;
    o.threshold = 0.5;
    ct_link_result *res = NULL;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_link_run(d, &o, &res, &err), 0);
    size_t n;
    const ct_link_pair *p = ct_link_result_pairs(res, &n);
    unsigned char *keep = malloc(n + 1);
    long kept = ct_link_one_to_one(ct_link_data_count(d), p, n, 0.5, keep, &err);
    double tp = 0;
    for (size_t i = 0; i < n; i++) {
        const char *a = ct_link_data_id(d, p[i].a), *b = ct_link_data_id(d, p[i].b);
        if (keep[i])
            tp += febrl ? febrl_entity(a) == febrl_entity(b) : strcmp(a, b) == 0;
    }
    free(keep);
    ct_link_result_free(res);
    return f1(tp, (double)kept, truth, what);
}

static void test_febrl4_link(void **state)
{
    (void)state;
    const char *files[] = {"febrl/dataset4a.csv", "febrl/dataset4b.csv"};
    ct_link_data *d = load(files, 2, &febrl_opts);
    assert_true(link_f1(d, 1, 5000, "FEBRL4 link") >= 0.995);
    ct_link_data_free(d);
}

static double pairs_of(const long *group, size_t n, const uint32_t *cluster, int by_cluster)
{
    /* pairs (i<j) with the same key: O(n^2) is fine for 5,000 records */
    double c = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            c += by_cluster ? cluster[i] == cluster[j] && group[i] == group[j]
                            : group[i] == group[j];
    return c;
}

static void test_febrl3_dedupe(void **state)
{
    (void)state;
    const char *files[] = {"febrl/dataset3.csv"};
    ct_link_data *d = load(files, 1, &febrl_opts);
    ct_link_opts o = {0};
    o.threshold = 0.9;
    ct_link_result *res = NULL;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_link_run(d, &o, &res, &err), 0);
    size_t n, nrec = ct_link_data_count(d);
    const ct_link_pair *p = ct_link_result_pairs(res, &n);
    uint32_t *cl = malloc(nrec * sizeof(*cl));
    long *ent = malloc(nrec * sizeof(*ent)), *one = calloc(nrec, sizeof(*one));
    assert_int_equal(ct_link_components(nrec, p, n, 0.9, cl, &err), 0);
    for (size_t i = 0; i < nrec; i++)
        ent[i] = febrl_entity(ct_link_data_id(d, i));
    double truth = pairs_of(ent, nrec, NULL, 0);
    double tp = pairs_of(ent, nrec, cl, 1);
    for (size_t i = 0; i < nrec; i++)
        one[i] = cl[i];
    double predicted = pairs_of(one, nrec, NULL, 0);
    assert_true(truth == 6538);
    assert_true(f1(tp, predicted, truth, "FEBRL3 dedupe (cluster)") >= 0.99);
    free(cl);
    free(ent);
    free(one);
    ct_link_result_free(res);
    ct_link_data_free(d);
}

static void ncvoter(const char *ocp, double target)
{
    char a[128], b[128], what[64];
    snprintf(a, sizeof(a), "ncvoter/ncvr_numrec_5000_modrec_2_ocp_%s_myp_0_nump_5.csv", ocp);
    snprintf(b, sizeof(b), "ncvoter/ncvr_numrec_5000_modrec_2_ocp_%s_myp_1_nump_5.csv", ocp);
    const char *files[] = {a, b};
    ct_link_data *d = load(files, 2, &ncvoter_opts);
    /* truth: recids present in both lists (1,515 in both corruptions) */
    size_t n = ct_link_data_count(d);
    double truth = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n && ct_link_data_source(d, i) == 0; j++)
            truth += ct_link_data_source(d, j) == 1 &&
                     strcmp(ct_link_data_id(d, i), ct_link_data_id(d, j)) == 0;
    assert_true(truth == 1515);
    snprintf(what, sizeof(what), "NC voter 0-1 ocp %s", ocp);
    assert_true(link_f1(d, 0, truth, what) >= target);
    ct_link_data_free(d);
}

static void test_ncvoter_20(void **state)
{
    (void)state;
    ncvoter("20", 0.96);
}

static void test_ncvoter_40(void **state)
{
    (void)state;
    ncvoter("40", 0.90);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_febrl4_link),
        cmocka_unit_test(test_febrl3_dedupe),
        cmocka_unit_test(test_ncvoter_20),
        cmocka_unit_test(test_ncvoter_40),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
