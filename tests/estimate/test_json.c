/* The JSON form of capture histories (POST /api/v1/estimate): the same
 * rules as the CSV, each refusal naming "lists", "strata" or
 * "histories[i]"; and the same data as the equivalent CSV. */
#include "est_test.h"

#include "core/alloc.h"

static int read_json(const char *text, ct_estimate_data **d, char **problems, ct_err *err)
{
    json_t *j = json_loads(text, 0, NULL);
    assert_non_null(j);
    int r = ct_estimate_read_json(j, d, problems, err);
    json_decref(j);
    return r;
}

#define L3 "\"lists\":[\"P\",\"N\",\"H\"]"

static void refusals(void **state)
{
    (void)state;
    static const struct {
        const char *json, *field, *want;
    } cases[] = {
        {"{" L3 ",\"histories\":[[1,0,0,5],[0,2,0,4],[0,0,1,3]]}", "histories[1]",
         "N: '2' is not 0 or 1"},
        {"{" L3 ",\"histories\":[[1,0,0,5],[0,1,0,-4],[0,0,1,3]]}", "histories[1]",
         "count: '-4' is not a whole number"},
        {"{" L3 ",\"histories\":[[1,0,0,5],[0,1,0,2.5],[0,0,1,3]]}", "histories[1]",
         "count: '2.5' is not a whole number"},
        {"{" L3 ",\"histories\":[[1,0,0,5],[0,1,0,2.0],[0,0,1,3]]}", "histories[1]",
         "'2.0' is not a whole number"},
        {"{" L3 ",\"histories\":[[1,0,0,5],[0,\"1\",0,2],[0,0,1,3]]}", "histories[1]",
         "'\"1\"' is not 0 or 1"},
        {"{" L3 ",\"histories\":[[1,0,0,5],[1,0,0,2],[0,0,1,3],[0,1,0,1]]}", "histories[1]",
         "the same history as line 2"},
        {"{" L3 ",\"histories\":[[1,0,0,5],[0,0,1,3]]}", "lists", "N: this list has no cases"},
        {"{\"lists\":[\"P\",\"N\"],\"histories\":[[1,0,5]]}", "lists", "3 to 12 list names"},
        {"{" L3 ",\"histories\":[[1,0,5]]}", "histories[0]", "expected an array of 4 values"},
        {"{" L3 ",\"histories\":{}}", "lists", "'histories' must be an array"},
        {"{" L3 ",\"histories\":[],\"colour\":1}", "lists", "unknown member 'colour'"},
        {"{" L3 ",\"strata\":[\"region\"],\"histories\":[]}", "lists", "strata: expected"},
        {"{" L3 ",\"strata\":[\"year\"],\"histories\":[[\"1800\",1,1,0,2]]}", "histories[0]",
         "year: expected a year"},
        {"{" L3 ",\"histories\":[[0,0,0,3]]}", "histories[0]", "on no list cannot be observed"},
        {"[1,2]", "lists", "must be a JSON object"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ct_estimate_data *d = NULL;
        char *problems = NULL;
        ct_err err = CT_ERR_INIT;
        assert_int_equal(read_json(cases[i].json, &d, &problems, &err), CT_EINVAL);
        assert_null(d);
        assert_non_null(problems);
        if (!strstr(problems, cases[i].want))
            fail_msg("case %zu: expected '%s' among:\n%s", i, cases[i].want, problems);
        if (strcmp(err.field, cases[i].field) != 0)
            fail_msg("case %zu: field '%s', expected '%s'", i, err.field, cases[i].field);
        ct_free(problems);
    }
}

/* The JSON and the CSV of the same histories give the same data. */
static void same_as_csv(void **state)
{
    (void)state;
    static const char csv[] = "year,P,N,H,count\n2021,1,0,0,5\n2021,0,1,0,4\n2021,0,0,1,3\n"
                              "2021,1,1,0,2\n2022,1,0,0,7\n2022,1,0,1,1\n2022,0,1,1,6\n";
    static const char js[] =
        "{" L3 ",\"strata\":[\"year\"],\"histories\":[[\"2021\",1,0,0,5],[2021,0,1,0,4],"
        "[\"2021\",0,0,1,3],[\"2021\",1,1,0,2],[\"2022\",1,0,0,7],[\"2022\",1,0,1,1],"
        "[\"2022\",0,1,1,6]]}";
    ct_estimate_data *a = NULL, *b = NULL;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_estimate_read_mem(csv, strlen(csv), "in.csv", &a, NULL, &err), 0);
    assert_int_equal(read_json(js, &b, NULL, &err), 0);
    char *ta = NULL, *tb = NULL;
    size_t na = 0, nb = 0;
    FILE *fa = open_memstream(&ta, &na), *fb = open_memstream(&tb, &nb);
    assert_int_equal(ct_estimate_data_write_csv(a, fa, &err), 0);
    assert_int_equal(ct_estimate_data_write_csv(b, fb, &err), 0);
    fclose(fa);
    fclose(fb);
    assert_string_equal(ta, tb);
    assert_int_equal(ct_estimate_data_nstrata(b), 2);
    free(ta);
    free(tb);
    ct_estimate_data_free(a);
    ct_estimate_data_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(refusals),
        cmocka_unit_test(same_as_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
