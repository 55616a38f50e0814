/* The art. 3 matrix: adult / child / uncertain / unknown age x elements. */
#include "test_util.h"

#include "core/assess.h"
#include "core/case_json.h"

static ct_date today(void)
{
    return (ct_date){2026, 11, 25};
}

static void load(ct_case *c, const char *json)
{
    json_error_t e;
    json_t *o = json_loads(json, 0, &e);
    assert_non_null(o);
    ct_case_read_opts opts = {today(), "local", 0};
    ct_problems pr = CT_PROBLEMS_INIT;
    int rc = ct_case_from_json(c, o, &opts, &pr);
    if (rc)
        fail_msg("%s: %s", pr.n ? pr.v[0].field : "", pr.n ? pr.v[0].msg : "");
    ct_problems_release(&pr);
    json_decref(o);
}

typedef struct row {
    const char *person; /* person JSON */
    const char *dates;  /* dates JSON */
    int with_means;
    int child;       /* expected */
    int trafficking; /* expected */
    unsigned missing;
} row;

static const row matrix[] = {
    /* adult: means required */
    {"{\"age\":30}", "{\"identification\":\"2022\"}", 1, 0, 1, 0},
    {"{\"age\":30}", "{\"identification\":\"2022\"}", 0, 0, 0, CT_EL_MEANS},
    /* child by age: means not required */
    {"{\"age\":15}", "{\"identification\":\"2022\"}", 0, 1, 1, 0},
    {"{\"age\":15}", "{\"identification\":\"2022\"}", 1, 1, 1, 0},
    /* child at the acts though adult at identification */
    {"{\"age\":19}", "{\"recruitment\":\"2020-01\",\"identification\":\"2022-06-01\"}", 0, 1, 1, 0},
    /* birth date: 17 at recruitment */
    {"{\"date_of_birth\":\"2004-05-10\"}", "{\"recruitment\":\"2022-05-09\"}", 0, 1, 1, 0},
    /* birth date: 18 at recruitment */
    {"{\"date_of_birth\":\"2004-05-10\"}", "{\"recruitment\":\"2022-05-10\"}", 0, 0, 0,
     CT_EL_MEANS},
    /* partial birth year: 17 or 18 in 2022 -> benefit of the doubt */
    {"{\"date_of_birth\":\"2004\"}", "{\"recruitment\":\"2022\"}", 0, 1, 1, 0},
    /* age uncertain with reasons to believe a child: presumed a child */
    {"{\"age\":25,\"age_uncertain\":true}", "{\"identification\":\"2022\"}", 0, 1, 1, 0},
    {"{\"age_uncertain\":true}", "{}", 0, 1, 1, 0},
    /* an age given at identification is exact there, even with only its year */
    {"{\"age\":18}", "{\"identification\":\"2022\"}", 0, 0, 0, CT_EL_MEANS},
    {"{\"age\":17}", "{\"identification\":\"2022\"}", 0, 1, 1, 0},
    /* an age band at identification (CTDC ageBroad) when nothing more is known */
    {"{\"age_band\":\"9-17\"}", "{\"identification\":\"2016\"}", 0, 1, 1, 0},
    {"{\"age_band\":\"18-20\"}", "{\"identification\":\"2016\"}", 0, 0, 0, CT_EL_MEANS},
    {"{\"age_band\":\"18-20\"}", "{\"identification\":\"2016\"}", 1, 0, 1, 0},
    {"{\"age_band\":\"18-20\"}", "{}", 0, 0, 0, CT_EL_MEANS},
    {"{\"age_band\":\"0-17\"}", "{}", 0, 1, 1, 0},
    {"{\"age_band\":\"48+\"}", "{\"identification\":\"2016\"}", 0, 0, 0, CT_EL_MEANS},
    /* 18-20 in 2016, recruited in 2013: possibly under 18 at the acts */
    {"{\"age_band\":\"18-20\"}", "{\"recruitment\":\"2013\",\"identification\":\"2016\"}", 0, 1, 1,
     0},
    /* the age wins over the band; a band without bounds says nothing */
    {"{\"age\":30,\"age_band\":\"30-38\"}", "{\"identification\":\"2022\"}", 0, 0, 0, CT_EL_MEANS},
    {"{\"age_band\":\"unknown\"}", "{\"identification\":\"2022\"}", 0, -1, 0, CT_EL_MEANS},
    /* nothing known about the age: child unknown, means required */
    {"{}", "{\"identification\":\"2022\"}", 0, -1, 0, CT_EL_MEANS},
    {"{}", "{\"identification\":\"2022\"}", 1, -1, 1, 0},
};

static void protocol_matrix(void **state)
{
    for (size_t i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++) {
        const row *r = &matrix[i];
        char json[512];
        snprintf(json, sizeof(json),
                 "{\"acts\":[\"recruitment\"],%s\"purposes\":[\"forced_labour\"],\"dates\":%s,"
                 "\"persons\":[%s]}",
                 r->with_means ? "\"means\":[\"deception\"]," : "", r->dates, r->person);
        ct_case c;
        ct_case_init(&c);
        load(&c, json);
        ct_assessment a;
        assert_int_equal(ct_case_assess_protocol(&c, today(), &a), 0);
        assert_int_equal(a.n, 1);
        if (a.victims[0].child != r->child || a.victims[0].trafficking != r->trafficking ||
            a.victims[0].missing != r->missing)
            fail_msg("row %zu: child %d trafficking %d missing %u", i, a.victims[0].child,
                     a.victims[0].trafficking, a.victims[0].missing);
        ct_assessment_release(&a);
        ct_case_release(&c);
    }
}

static void missing_elements_are_named(void **state)
{
    ct_case c;
    ct_case_init(&c);
    load(&c, "{\"means\":[\"force\"],\"persons\":[{\"age\":40},{\"role\":\"suspect\"}]}");
    ct_assessment a;
    assert_int_equal(ct_case_assess_protocol(&c, today(), &a), 0);
    assert_int_equal(a.n, 1); /* the suspect is not assessed */
    assert_int_equal(a.victims[0].missing, CT_EL_ACT | CT_EL_PURPOSE);
    json_t *j = ct_assessment_to_json(&c, &a);
    char *s = json_dumps(j, JSON_COMPACT);
    assert_non_null(strstr(s, "\"missing\":[\"act\",\"purpose\"]"));
    assert_non_null(strstr(s, "\"trafficking\":false"));
    assert_non_null(strstr(s, "\"elements\":{\"act\":false,\"means\":true,\"purpose\":false}"));
    free(s);
    json_decref(j);
    ct_assessment_release(&a);
    ct_case_release(&c);
}

static void any_child_victim_makes_the_case_a_child_case(void **state)
{
    ct_case c;
    ct_case_init(&c);
    load(&c, "{\"acts\":[\"transfer\"],\"purposes\":[\"forced_begging\"],"
             "\"dates\":{\"identification\":\"2023\"},\"persons\":[{\"age\":35},{\"age\":9}]}");
    ct_assessment a;
    assert_int_equal(ct_case_assess_protocol(&c, today(), &a), 0);
    assert_int_equal(a.child, 1);
    assert_int_equal(a.trafficking, 1);
    assert_int_equal(a.victims[0].trafficking, 0);
    assert_int_equal(a.victims[1].trafficking, 1);
    ct_assessment_release(&a);
    ct_case_release(&c);
}

static void the_band_is_the_basis_when_nothing_more_is_known(void **state)
{
    ct_case c;
    ct_case_init(&c);
    load(&c, "{\"acts\":[\"harbouring\"],\"purposes\":[\"forced_labour\"],"
             "\"dates\":{\"identification\":\"2019\"},\"persons\":[{\"age_band\":\"48+\"},"
             "{\"age_band\":\"9-17\"}]}");
    ct_assessment a;
    assert_int_equal(ct_case_assess_protocol(&c, today(), &a), 0);
    assert_int_equal(a.victims[0].basis, CT_AGE_BAND);
    assert_int_equal(a.victims[0].age_min, 48);
    assert_int_equal(a.victims[0].age_max, -1);
    assert_int_equal(ct_person_is_child(&c, &c.persons[1], today()), 1);
    json_t *j = ct_assessment_to_json(&c, &a);
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    assert_non_null(strstr(s, "\"age\":{\"at\":\"2019\",\"basis\":\"age_band\",\"min\":48}"));
    assert_non_null(strstr(s, "\"basis\":\"age_band\",\"max\":17,\"min\":9}"));
    free(s);
    json_decref(j);
    int lo, hi;
    assert_int_equal(ct_age_band_bounds("9-17", &lo, &hi), 0);
    assert_int_equal(lo, 9);
    assert_int_equal(hi, 17);
    assert_int_equal(ct_age_band_bounds("unknown", &lo, &hi), -1);
    assert_int_equal(ct_age_band_bounds(NULL, &lo, &hi), -1);
    assert_int_equal(ct_age_band_bounds("9--17", &lo, &hi), -1);
    ct_assessment_release(&a);
    ct_case_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(protocol_matrix),
        cmocka_unit_test(missing_elements_are_named),
        cmocka_unit_test(any_child_victim_makes_the_case_a_child_case),
        cmocka_unit_test(the_band_is_the_basis_when_nothing_more_is_known),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
