#include "test_util.h"

#include "core/case_json.h"

static const ct_case_read_opts opts = {{2026, 11, 25}, "local", 0};

static int parse(ct_case *c, const char *json, ct_problems *pr)
{
    json_error_t e;
    json_t *o = json_loads(json, 0, &e);
    assert_non_null(o);
    int rc = ct_case_from_json(c, o, &opts, pr);
    json_decref(o);
    return rc;
}

static int has_problem(const ct_problems *pr, const char *field, const char *msg_part)
{
    for (size_t i = 0; i < pr->n; i++)
        if (strcmp(pr->v[i].field, field) == 0 && strstr(pr->v[i].msg, msg_part))
            return 1;
    return 0;
}

static const char full[] =
    "{\"id\":\"01a21299-843a-7b14-85e6-561a70f25ae1\",\"source_id\":\"A-1\",\"agency\":\"NGO "
    "One\",\"acts\":[\"recruitment\",\"transportation\"],\"means\":[\"deception\"],"
    "\"purposes\":[\"forced_labour\",\"sexual_exploitation\"],\"main_purpose\":\"forced_labour\","
    "\"labour_sector\":\"agriculture\",\"countries\":{\"origin\":\"UKR\",\"transit\":[\"POL\"],"
    "\"exploitation\":\"DEU\"},\"dates\":{\"recruitment\":\"2021-03\",\"exploitation_start\":"
    "\"2021-05\",\"identification\":\"2022-01-10\"},\"recruiter_relation\":\"friend\","
    "\"means_of_control\":[\"withholds_documents\"],\"technology\":[\"recruitment_online\"],"
    "\"other_crimes\":[\"drug_trafficking\"],\"status\":\"follow_up\",\"persons\":[{\"id\":"
    "\"01a21299-843a-719e-a03d-c8ea5facf6f2\",\"role\":\"victim\",\"person_key\":\"K1\","
    "\"given_name\":\"Олена\",\"family_name\":\"Коваленко\",\"other_names\":[\"Olena "
    "Kovalenko\"],\"sex\":\"female\",\"date_of_birth\":\"1998-04\",\"age_uncertain\":true,"
    "\"citizenship\":[\"UKR\"],\"languages\":[\"ukr\"],\"vulnerabilities\":[\"disability\"],"
    "\"nrm_stage\":\"presumed_victim\",\"contact\":{\"phone\":\"+380441234567\"},"
    "\"identifiers\":[{\"type\":\"passport\",\"value\":\"FE123456\",\"country\":\"UKR\"}]},"
    "{\"id\":\"01a21299-843a-76fd-8a14-c6cef7a700a9\",\"role\":\"suspect\",\"sex\":\"male\","
    "\"age_band\":\"30-38\","
    "\"suspect_role\":\"recruiter\",\"proceedings\":[{\"id\":\"01a21299-843a-7c2c-8e65-"
    "13ce4131aeb5\",\"kind\":\"investigation\",\"date\":\"2022-02\",\"authority\":\"Police\"}]}]}";

static void round_trips_every_field(void **state)
{
    ct_case c;
    ct_case_init(&c);
    ct_problems pr = CT_PROBLEMS_INIT;
    int rc = parse(&c, full, &pr);
    if (rc)
        fail_msg("%s: %s", pr.v[0].field, pr.v[0].msg);
    json_t *back = ct_case_to_json(&c, 0, 0);
    json_t *orig = json_loads(full, 0, NULL);
    if (!json_equal(back, orig)) {
        char *a = json_dumps(back, JSON_SORT_KEYS);
        fail_msg("round trip differs: %s", a);
    }
    json_decref(back);
    json_decref(orig);
    ct_problems_release(&pr);
    ct_case_release(&c);
}

static void redaction_removes_personal_data_classes(void **state)
{
    ct_case c;
    ct_case_init(&c);
    ct_problems pr = CT_PROBLEMS_INIT;
    assert_int_equal(parse(&c, full, &pr), 0);
    json_t *j = ct_case_to_json(&c, CT_PD_ALL, 0);
    char *s = json_dumps(j, JSON_COMPACT);
    const char *never[] = {"Олена",    "Коваленко", "Olena", "380441234567",
                           "FE123456", "1998-04",   "K1",    "A-1"};
    for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
        if (strstr(s, never[i]))
            fail_msg("redacted output still holds %s", never[i]);
    assert_non_null(strstr(s, "\"sex\":\"female\"")); /* statistics keep sex */
    free(s);
    json_decref(j);
    ct_problems_release(&pr);
    ct_case_release(&c);
}

static void every_problem_is_named_with_its_field(void **state)
{
    ct_case c;
    ct_case_init(&c);
    ct_problems pr = CT_PROBLEMS_INIT;
    int rc = parse(&c,
                   "{\"acts\":[\"kidnap\"],\"dates\":{\"identification\":\"2031\"},"
                   "\"purposes\":[\"forced_labour\"],\"main_purpose\":\"sexual_exploitation\","
                   "\"colour\":\"red\",\"persons\":[{\"age\":200,\"sex\":\"F\"},{\"role\":"
                   "\"suspect\",\"nrm_stage\":\"identified\"},{\"date_of_birth\":\"1850\"},"
                   "{\"given_name\":\"a\\u0001b\",\"citizenship\":\"UKR\"}]}",
                   &pr);
    assert_int_equal(rc, CT_EINVAL);
    assert_true(has_problem(&pr, "acts[0]", "unknown code 'kidnap'"));
    assert_true(has_problem(&pr, "dates.identification", "future"));
    assert_true(has_problem(&pr, "main_purpose", "must be one of purposes"));
    assert_true(has_problem(&pr, "colour", "unknown field"));
    assert_true(has_problem(&pr, "persons[0].age", "between 0 and 120"));
    assert_true(has_problem(&pr, "persons[1].nrm_stage", "only victims"));
    assert_true(has_problem(&pr, "persons[2].date_of_birth", "1900"));
    assert_true(has_problem(&pr, "persons[3].given_name", "control characters"));
    assert_true(has_problem(&pr, "persons[3].citizenship", "expected a list"));
    assert_string_equal(c.persons[0].sex, "female"); /* F is accepted for sex */
    ct_problems_release(&pr);
    ct_case_release(&c);
}

static void age_must_agree_with_birth_date(void **state)
{
    ct_case c;
    ct_case_init(&c);
    ct_problems pr = CT_PROBLEMS_INIT;
    assert_int_equal(parse(&c,
                           "{\"dates\":{\"identification\":\"2022-01-10\"},\"persons\":"
                           "[{\"date_of_birth\":\"2000-01-01\",\"age\":40}]}",
                           &pr),
                     CT_EINVAL);
    assert_true(has_problem(&pr, "persons[0].age", "does not match"));
    ct_problems_clear(&pr);
    ct_case_reset(&c);
    assert_int_equal(parse(&c,
                           "{\"dates\":{\"identification\":\"2022-01-10\"},\"persons\":"
                           "[{\"date_of_birth\":\"2000-01-01\",\"age\":22}]}",
                           &pr),
                     0);
    ct_problems_release(&pr);
    ct_case_release(&c);
}

static void age_band_must_agree_with_age_and_birth_date(void **state)
{
    static const struct {
        const char *person;
        int ok;
    } rows[] = {
        {"{\"age\":19,\"age_band\":\"18-20\"}", 1},
        {"{\"age\":25,\"age_band\":\"18-20\"}", 0},
        {"{\"age\":60,\"age_band\":\"48+\"}", 1},
        {"{\"age\":47,\"age_band\":\"48+\"}", 0},
        {"{\"age\":16,\"age_band\":\"0-17\"}", 1},
        {"{\"age\":16,\"age_band\":\"unknown\"}", 1},
        {"{\"date_of_birth\":\"2000-01-01\",\"age_band\":\"21-23\"}", 1},
        {"{\"date_of_birth\":\"2000-01-01\",\"age_band\":\"9-17\"}", 0},
        {"{\"age_band\":\"9-17\"}", 1},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char json[256];
        snprintf(json, sizeof(json),
                 "{\"dates\":{\"identification\":\"2022-01-10\"},"
                 "\"persons\":[%s]}",
                 rows[i].person);
        ct_case c;
        ct_case_init(&c);
        ct_problems pr = CT_PROBLEMS_INIT;
        int rc = parse(&c, json, &pr);
        if (rows[i].ok ? rc != 0 : !has_problem(&pr, "persons[0].age_band", "does not match"))
            fail_msg("row %zu: %s", i, pr.n ? pr.v[0].msg : "no problem");
        ct_problems_release(&pr);
        ct_case_release(&c);
    }
    ct_case c;
    ct_case_init(&c);
    ct_problems pr = CT_PROBLEMS_INIT;
    assert_int_equal(parse(&c, "{\"persons\":[{\"age_band\":\"9--17\"}]}", &pr), CT_EINVAL);
    assert_true(has_problem(&pr, "persons[0].age_band", "unknown code '9--17'"));
    ct_problems_release(&pr);
    ct_case_release(&c);
}

static void defaults_and_canonical_ids(void **state)
{
    ct_case c;
    ct_case_init(&c);
    ct_problems pr = CT_PROBLEMS_INIT;
    assert_int_equal(parse(&c,
                           "{\"id\":\"01A21299-843A-7B14-85E6-561A70F25AE1\",\"persons\":"
                           "[{},{\"role\":\"suspect\"}]}",
                           &pr),
                     0);
    assert_string_equal(c.id, "01a21299-843a-7b14-85e6-561a70f25ae1");
    assert_string_equal(c.agency, "local");
    assert_string_equal(c.status, "active");
    assert_string_equal(c.persons[0].nrm_stage, "reported");
    assert_null(c.persons[1].nrm_stage);
    assert_int_equal(c.persons[0].age, -1);
    ct_problems_release(&pr);
    ct_case_release(&c);
}

static void text_cells_use_the_same_rules(void **state)
{
    ct_case c;
    ct_case_init(&c);
    ct_problems pr = CT_PROBLEMS_INIT;
    ct_person *p = ct_case_add_person(&c);
    const ct_field *cit = ct_field_find(&ct_person_table, "citizenship");
    const ct_field *unc = ct_field_find(&ct_person_table, "age_uncertain");
    const ct_field *age = ct_field_find(&ct_person_table, "age");
    assert_int_equal(ct_field_from_text(&c.arena, p, cit, "UKR; POL;UKR", 12, &opts, "c", &pr), 0);
    assert_int_equal(p->citizenship.n, 2);
    assert_int_equal(ct_field_from_text(&c.arena, p, unc, "yes", 3, &opts, "u", &pr), 0);
    assert_int_equal(p->age_uncertain, 1);
    assert_int_equal(ct_field_from_text(&c.arena, p, age, "12x", 3, &opts, "age", &pr), CT_EINVAL);
    assert_int_equal(ct_field_from_text(&c.arena, p, cit, "XXX", 3, &opts, "c", &pr), CT_EINVAL);
    assert_int_equal(pr.total, 2);
    ct_problems_release(&pr);
    ct_case_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trips_every_field),
        cmocka_unit_test(redaction_removes_personal_data_classes),
        cmocka_unit_test(every_problem_is_named_with_its_field),
        cmocka_unit_test(age_must_agree_with_birth_date),
        cmocka_unit_test(age_band_must_agree_with_age_and_birth_date),
        cmocka_unit_test(defaults_and_canonical_ids),
        cmocka_unit_test(text_cells_use_the_same_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
