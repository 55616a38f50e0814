/* test_json.c - request bodies of the NRM endpoints and records as JSON. */
#include "nrm_test.h"

static json_t *parse(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    assert_non_null(j);
    return j;
}

static void bodies_are_checked_against_their_tables(void **state)
{
    (void)state;
    ct_err err = CT_ERR_INIT;
    ct_nrm_action a;
    json_t *j = parse("{\"action\":\"identify\",\"reason\":\"conclusive decision\","
                      "\"date\":\"2026-01-02\",\"reflection_days\":45}");
    assert_int_equal(ct_nrm_action_from_json(j, &a, &err), 0);
    assert_string_equal(a.action, "identify");
    assert_string_equal(a.date, "2026-01-02");
    assert_int_equal(a.reflection_days, 45);
    json_decref(j);
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"action\":\"identify\"}", "reason"},
        {"{\"action\":\"identify\",\"reason\":\"r\",\"whom\":\"x\"}", "whom"},
        {"{\"action\":7,\"reason\":\"r\"}", "action"},
        {"{\"action\":\"identify\",\"reason\":\"r\",\"reflection_days\":\"30\"}",
         "reflection_days"},
        {"{\"action\":\"identify\",\"reason\":\"r\",\"reflection_days\":-1}", "reflection_days"},
        {"{\"action\":null,\"reason\":\"r\"}", "action"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ct_err_clear(&err);
        j = parse(bad[i].body);
        assert_int_equal(ct_nrm_action_from_json(j, &a, &err), CT_EINVAL);
        assert_string_equal(err.field, bad[i].field);
        json_decref(j);
    }
    ct_err_clear(&err);
    j = parse("[1]");
    assert_int_equal(ct_nrm_action_from_json(j, &a, &err), CT_EINVAL);
    json_decref(j);
    ct_err_clear(&err);
    ct_arena ar;
    ct_arena_init(&ar, 0);
    ct_nrm_screening_input in;
    j = parse("{\"checklist\":\"ilo_ec\",\"items\":[\"d1_nature_job\",\"d4_low_pay\"]}");
    assert_int_equal(ct_nrm_screening_from_json(j, &ar, &in, &err), 0);
    assert_int_equal(in.nitems, 2);
    assert_string_equal(in.items[1], "d4_low_pay");
    assert_null(in.list);
    json_decref(j);
    j = parse("{\"checklist\":\"ilo_ec\",\"items\":[\"d1_nature_job\",3]}");
    assert_int_equal(ct_nrm_screening_from_json(j, &ar, &in, &err), CT_EINVAL);
    assert_string_equal(err.field, "items");
    json_decref(j);
    ct_arena_release(&ar);
    ct_err_clear(&err);
    ct_nrm_small_input s;
    j = parse("{\"flag\":true,\"offence\":\"theft\",\"reason\":\"forced\"}");
    assert_int_equal(ct_nrm_small_from_json(j, CT_NRM_IN_NON_PUNISHMENT, &s, &err), 0);
    assert_int_equal(s.flag, 1);
    json_decref(j);
    j = parse("{\"kind\":\"uncle\"}");
    assert_int_equal(ct_nrm_small_from_json(j, CT_NRM_IN_CHILD_MEASURE, &s, &err), CT_EINVAL);
    assert_string_equal(err.field, "kind");
    json_decref(j);
}

static void records_as_json(void **state)
{
    fixture *f = *state;
    const char *p = add_case(f, adult_case);
    screen_one(f, p);
    ct_arena a;
    ct_arena_init(&a, 0);
    ct_nrm_list l;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_nrm_screenings(f->s, p, &a, &l, &err), 0);
    json_t *j = ct_nrm_list_to_json(CT_NRM_REC_SCREENING, &l);
    assert_int_equal(json_array_size(j), 1);
    json_t *o = json_array_get(j, 0);
    assert_string_equal(json_string_value(json_object_get(o, "checklist")), "ilo_ec");
    assert_string_equal(json_string_value(json_object_get(o, "by")), "caseworker1");
    assert_int_equal(json_array_size(json_object_get(o, "items")), 2);
    assert_true(json_is_null(json_object_get(o, "note")));
    json_decref(j);
    ct_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bodies_are_checked_against_their_tables),
        NRM_TEST(records_as_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
