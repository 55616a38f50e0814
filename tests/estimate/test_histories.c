/* The capture-history reader (every refusal names FILE:LINE: column), the
 * writer, and ct_estimate_histories_build from person keys. */
#include "est_test.h"

#include "core/alloc.h"

static int read_str(const char *csv, ct_estimate_data **d, char **problems, ct_err *err)
{
    return ct_estimate_read_mem(csv, strlen(csv), "in.csv", d, problems, err);
}

static void expect_problem(const char *csv, const char *want)
{
    ct_estimate_data *d = NULL;
    char *problems = NULL;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(read_str(csv, &d, &problems, &err), CT_EINVAL);
    assert_null(d);
    assert_non_null(problems);
    if (!strstr(problems, want))
        fail_msg("expected '%s' among:\n%s", want, problems);
    assert_int_equal(strncmp(err.msg, "in.csv:", 7), 0);
    ct_free(problems);
}

/* One row per rule of the reader, with the message it must give. */
static void refusals(void **state)
{
    static const struct {
        const char *csv, *want;
    } cases[] = {
        {"A,B,C,count\n1,0,2,5\n0,1,1,3\n1,1,0,2\n", "in.csv:2: C: '2' is not 0 or 1"},
        {"A,B,C,count\n1,0,0,-5\n0,1,1,3\n1,1,0,2\n", "in.csv:2: count: '-5' is not a whole"},
        {"A,B,C,count\n1,0,0,2.5\n0,1,1,3\n1,1,0,2\n", "in.csv:2: count: '2.5'"},
        {"A,B,C,count\n1,0,0,x\n0,1,1,3\n1,1,0,2\n", "in.csv:2: count: 'x'"},
        {"A,B,C,count\n1,0,0,5\n0,1,1,3\n1,0,0,2\n", "in.csv:4: the same history as line 2"},
        {"A,B,C,count\n1,0,0,5\n1,1,0,3\n", "in.csv:1: C: this list has no cases"},
        {"A,B,count\n1,0,5\n1,1,3\n0,1,2\n", "in.csv:1: 2 lists; MSE needs 3 to 12"},
        {"A,B,C,D,E,F,G,H,I,J,K,L,M,count\n", "13 lists"},
        {"A,B,C,n\n1,0,0,5\n", "the last column must be 'count'"},
        {"A,B,A,count\n1,0,0,5\n", "in.csv:1: A: list named twice"},
        {"A,B,C,count\n1,0,0\n", "in.csv:2: 3 fields, the header has 4"},
        {"A,B,C,count\n0,0,0,4\n1,1,1,1\n", "in.csv:2: a history on no list"},
        {"year,A,B,C,count\n1850,1,0,0,5\n", "in.csv:2: year: expected a year"},
        {"sex,A,B,C,count\nF,1,0,0,5\n", "in.csv:2: sex: expected female, male"},
        {"agegroup,A,B,C,count\nchild,1,0,0,5\n", "in.csv:2: agegroup: expected 0-17"},
        {"A,year,B,C,count\n1,2020,0,0,5\n", "year: stratum columns must come first"},
        {"", "in.csv:1: empty file"},
        {"A,B,C,count\n1,0,0,2000000000\n", "count: '2000000000'"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        expect_problem(cases[i].csv, cases[i].want);
}

/* All problems are reported, not only the first. */
static void every_problem_listed(void **state)
{
    ct_estimate_data *d = NULL;
    char *problems = NULL;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(read_str("A,B,C,count\n1,0,7,5\n1,1,0,-1\n", &d, &problems, &err), CT_EINVAL);
    assert_non_null(strstr(problems, "in.csv:2: C:"));
    assert_non_null(strstr(problems, "in.csv:3: count:"));
    ct_free(problems);
}

static void strata_and_zero_rows(void **state)
{
    const char *csv = "year,sex,A,B,C,count\n"
                      "2021,female,1,0,0,5\n2021,female,1,1,0,2\n2021,female,0,0,1,1\n"
                      "2020,male,0,1,0,4\n2020,male,0,1,1,0\n2020,male,0,0,0,0\n";
    ct_estimate_data *d = NULL;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(read_str(csv, &d, NULL, &err), 0);
    assert_int_equal(ct_estimate_data_nlists(d), 3);
    assert_int_equal(ct_estimate_data_nstrata(d), 2);
    assert_int_equal(ct_estimate_data_nstrata_columns(d), 2);
    /* sorted by the values: 2020 first */
    assert_string_equal(est_data_by_value(d, 0, 0), "2020");
    assert_close(ct_estimate_data_total(d, 0), 4, 1e-12, "2020");
    assert_close(ct_estimate_data_total(d, 1), 8, 1e-12, "2021");
    assert_close(est_data_table(d, 1)->y[3], 2, 1e-12, "A+B");
    ct_estimate_data_free(d);
}

static char *write_to_string(const ct_estimate_data *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_estimate_data_write_csv(d, f, &err), 0);
    fclose(f);
    return buf;
}

static void write_round_trip(void **state)
{
    ct_estimate_data *d = est_load("UKdat"), *d2 = NULL;
    char *csv = write_to_string(d);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(read_str(csv, &d2, NULL, &err), 0);
    assert_memory_equal(est_data_table(d, 0)->y, est_data_table(d2, 0)->y, sizeof(double) << 6);
    assert_int_equal(strncmp(csv, "LA,NG,PF,GO,GP,NCA,count\n1,0,0,0,0,0,54\n", 40), 0);
    free(csv);
    ct_estimate_data_free(d);
    ct_estimate_data_free(d2);
}

/* Person keys: one person counted once per stratum, on every list that
 * recorded them there. */
static void build_from_records(void **state)
{
    const ct_estimate_record recs[] = {
        {"p1", "police", "2021", "female", NULL}, {"p1", "ngo", "2021", "female", NULL},
        {"p1", "police", "2021", "female", NULL}, /* the same record twice: still one */
        {"p2", "ngo", "2021", "female", NULL},    {"p3", "health", "2021", "male", NULL},
        {"p3", "police", "2021", "male", NULL},   {"p4", "health", "2020", NULL, NULL},
        {"p1", "health", "2020", "female", NULL}, /* identified again the year before */
    };
    ct_estimate_data *d = NULL;
    ct_err err = CT_ERR_INIT;
    size_t n = sizeof(recs) / sizeof(recs[0]);
    assert_int_equal(ct_estimate_histories_build(recs, n, CT_ESTIMATE_BY_YEAR, &d, &err), 0);
    /* lists sorted: health, ngo, police */
    assert_string_equal(ct_estimate_data_list(d, 0), "health");
    assert_string_equal(ct_estimate_data_list(d, 2), "police");
    assert_int_equal(ct_estimate_data_nstrata(d), 2);
    const est_table *y2020 = est_data_table(d, 0), *y2021 = est_data_table(d, 1);
    assert_close(y2020->y[1], 2, 1e-12, "2020 health only"); /* p4, p1 */
    assert_close(y2021->y[6], 1, 1e-12, "p1 on ngo+police");
    assert_close(y2021->y[2], 1, 1e-12, "p2 on ngo");
    assert_close(y2021->y[5], 1, 1e-12, "p3 on health+police");
    assert_close(ct_estimate_data_total(d, 1), 3, 1e-12, "2021 persons");
    ct_estimate_data_free(d);
    /* without strata, p1 is one person on all three lists */
    assert_int_equal(ct_estimate_histories_build(recs, n, 0, &d, &err), 0);
    assert_int_equal(ct_estimate_data_nstrata(d), 1);
    assert_close(est_data_table(d, 0)->y[7], 1, 1e-12, "p1 everywhere");
    /* the sex stratum: a missing value is "unknown" */
    ct_estimate_data_free(d);
    assert_int_equal(ct_estimate_histories_build(recs, n, CT_ESTIMATE_BY_SEX, &d, &err), 0);
    assert_int_equal(ct_estimate_data_nstrata(d), 3);
    assert_string_equal(est_data_by_value(d, 2, 0), "unknown");
    char *csv = write_to_string(d);
    assert_int_equal(strncmp(csv, "sex,health,ngo,police,count\n", 28), 0);
    free(csv);
    ct_estimate_data_free(d);
}

static void build_refusals(void **state)
{
    ct_estimate_data *d = NULL;
    ct_err err = CT_ERR_INIT;
    const ct_estimate_record two[] = {{"p1", "a", 0, 0, 0}, {"p2", "b", 0, 0, 0}};
    assert_int_equal(ct_estimate_histories_build(two, 2, 0, &d, &err), CT_EINVAL);
    assert_non_null(strstr(err.msg, "at least 3"));
    ct_err_clear(&err);
    const ct_estimate_record nokey[] = {{"p1", "a", 0, 0, 0}, {NULL, "b", 0, 0, 0}};
    assert_int_equal(ct_estimate_histories_build(nokey, 2, 0, &d, &err), CT_EINVAL);
    assert_non_null(strstr(err.msg, "record 2"));
    ct_err_clear(&err);
    ct_estimate_record many[13];
    char names[13][8];
    for (int i = 0; i < 13; i++) {
        snprintf(names[i], sizeof(names[i]), "L%02d", i);
        many[i] = (ct_estimate_record){"p", names[i], 0, 0, 0};
    }
    assert_int_equal(ct_estimate_histories_build(many, 13, 0, &d, &err), CT_EINVAL);
    assert_null(d);
}

/* Allocation failures: each one reported as CT_ENOMEM, nothing leaked. */
static void out_of_memory(void **state)
{
#ifdef CT_FAULT_INJECTION
    const char *csv = "year,A,B,C,count\n2021,1,0,0,5\n2021,1,1,0,2\n2021,0,0,1,1\n";
    for (long n = 1; n < 200; n++) {
        ct_estimate_data *d = NULL;
        ct_err err = CT_ERR_INIT;
        ct_alloc_fail_after(n);
        int r = read_str(csv, &d, NULL, &err);
        ct_alloc_fail_after(0);
        if (r == 0) {
            ct_estimate_data_free(d);
            break;
        }
        assert_int_equal(r, CT_ENOMEM);
        assert_null(d);
    }
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(refusals),
        cmocka_unit_test(every_problem_listed),
        cmocka_unit_test(strata_and_zero_rows),
        cmocka_unit_test(write_round_trip),
        cmocka_unit_test(build_from_records),
        cmocka_unit_test(build_refusals),
        cmocka_unit_test(out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
