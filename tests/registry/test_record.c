/* The registry records: field tables, JSON reading with every problem named
 * by its field, the rules between fields, the content hash. */
#include "test_util.h"

#include "core/codes.h"
#include "registry/record.h"

#include <sodium.h>

static const ct_case_read_opts opts = {{2026, 11, 25}, "CPS North", 0};

static int from_json(ct_reg_record *r, const char *text, ct_problems *pr)
{
    json_t *o = json_loads(text, 0, NULL);
    assert_non_null(o);
    int rc = ct_reg_from_json(r, o, &opts, pr);
    json_decref(o);
    return rc;
}

static int has_problem(const ct_problems *pr, const char *field)
{
    for (size_t i = 0; i < pr->n; i++)
        if (strcmp(pr->v[i].field, field) == 0)
            return 1;
    return 0;
}

/* Every field of every kind names a known code list, a personal-data class
 * in range, and the child's fields carry the classes of model.h's person. */
static void tables_are_consistent(void **state)
{
    (void)state;
    for (int k = 0; k < CT_REG__N; k++) {
        const ct_field_table *t = ct_reg_table((enum ct_reg_kind)k);
        assert_true(t->count > 5);
        assert_int_equal(ct_reg_kind_of(ct_reg_kind_name((enum ct_reg_kind)k)), k);
        for (size_t i = 0; i < t->count; i++) {
            const ct_field *f = &t->fields[i];
            assert_true((f->pd & ~(unsigned)CT_PD_ALL) == 0);
            if (f->type == CT_F_CODE || f->type == CT_F_CODES)
                assert_non_null(ct_codes_list(f->codes));
            const ct_field *pf = ct_field_find(&ct_person_table, f->path);
            if (pf && strcmp(f->path, "id") != 0)
                assert_int_equal(pf->pd, f->pd); /* same field, same access rules */
        }
    }
    assert_int_equal(ct_reg_kind_of("nope"), -1);
    const ct_field *place = ct_field_find(ct_reg_table(CT_REG_MISSING), "place_last_seen");
    assert_int_equal(place->pd, CT_PD_CONTACT);
    const ct_field_table *inst = ct_reg_table(CT_REG_INSTITUTION);
    for (size_t i = 0; i < inst->count; i++)
        assert_true(inst->fields[i].pd == CT_PD_NONE ||
                    strcmp(inst->fields[i].path, "source_id") == 0);
}

static void reads_a_missing_report(void **state)
{
    (void)state;
    ct_reg_record r;
    ct_reg_record_init(&r, CT_REG_MISSING);
    ct_problems pr = CT_PROBLEMS_INIT;
    assert_int_equal(from_json(&r,
                               "{\"source_id\":\"M1\",\"given_name\":\"Олена\",\"family_name\":"
                               "\"Коваленко\",\"sex\":\"F\",\"date_of_birth\":\"2008-04\","
                               "\"citizenship\":[\"UKR\"],\"date_last_seen\":\"2022-03-10\","
                               "\"circumstances\":\"runaway\"}",
                               &pr),
                     0);
    assert_string_equal(r.agency, "CPS North"); /* the home agency */
    assert_string_equal(r.status, "open");      /* default */
    assert_string_equal(r.sex, "female");       /* F is accepted as for persons */
    assert_int_equal(r.date_of_birth.month, 4);
    json_t *j = ct_reg_to_json(&r, CT_PD_NAME | CT_PD_BIRTH, 0);
    assert_null(json_object_get(j, "given_name"));
    assert_null(json_object_get(j, "date_of_birth"));
    assert_string_equal(json_string_value(json_object_get(j, "circumstances")), "runaway");
    assert_null(json_object_get(j, "kind")); /* metadata only on request */
    json_decref(j);
    ct_problems_release(&pr);
    ct_reg_record_release(&r);
}

static void names_every_problem(void **state)
{
    (void)state;
    ct_reg_record r;
    ct_reg_record_init(&r, CT_REG_MISSING);
    ct_problems pr = CT_PROBLEMS_INIT;
    assert_int_equal(from_json(&r,
                               "{\"given_name\":7,\"sex\":\"x\",\"age\":19,\"status\":\"lost\","
                               "\"date_reported\":\"2030-01-01\",\"colour\":\"red\","
                               "\"kind\":\"placement\"}",
                               &pr),
                     CT_EINVAL);
    const char *fields[] = {"given_name",    "sex",    "age",  "status",
                            "date_reported", "colour", "kind", "date_last_seen"};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (!has_problem(&pr, fields[i]))
            fail_msg("no problem reported for %s", fields[i]);
    ct_problems_release(&pr);
    ct_reg_record_release(&r);
}

static void checks_rules_between_fields(void **state)
{
    (void)state;
    static const struct {
        enum ct_reg_kind k;
        const char *json;
        const char *field; /* NULL: valid */
    } cases[] = {
        {CT_REG_MISSING, "{\"date_last_seen\":\"2022-03-10\",\"date_reported\":\"2022-03-01\"}",
         "date_reported"},
        {CT_REG_MISSING, "{\"date_last_seen\":\"2022-03\",\"date_reported\":\"2022-03-01\"}", NULL},
        {CT_REG_MISSING, "{\"date_last_seen\":\"2022\",\"date_closed\":\"2021-12\"}",
         "date_closed"},
        {CT_REG_MISSING, "{\"date_last_seen\":\"2022\",\"date_closed\":\"2023\"}", "date_closed"},
        {CT_REG_MISSING,
         "{\"date_last_seen\":\"2022\",\"date_closed\":\"2023\",\"status\":\"found_safe\"}", NULL},
        {CT_REG_MISSING, "{\"date_last_seen\":\"2022-01-01\",\"date_of_birth\":\"2003-06\"}",
         "date_of_birth"}, /* 18 when last seen */
        {CT_REG_MISSING, "{\"date_last_seen\":\"2022-01-01\",\"date_of_birth\":\"2004\"}",
         NULL}, /* maybe 17: the benefit of the doubt */
        {CT_REG_MISSING, "{\"date_last_seen\":\"2022-01-01\",\"date_of_birth\":\"2010\",\"age\":3}",
         "age"},
        {CT_REG_PLACEMENT, "{\"admission_date\":\"2020\",\"placement_type\":\"residential_care\"}",
         "institution"},
        {CT_REG_PLACEMENT, "{\"admission_date\":\"2020\",\"institution\":\"I1\"}", NULL},
        {CT_REG_PLACEMENT, "{\"admission_date\":\"2020\"}", "placement_type"},
        {CT_REG_PLACEMENT,
         "{\"admission_date\":\"2020\",\"placement_type\":\"foster_care\",\"exit_date\":\"2021\"}",
         "exit_reason"},
        {CT_REG_PLACEMENT,
         "{\"admission_date\":\"2020\",\"placement_type\":\"foster_care\",\"exit_reason\":"
         "\"absconded\"}",
         "exit_date"},
        {CT_REG_PLACEMENT,
         "{\"admission_date\":\"2020-05\",\"placement_type\":\"foster_care\",\"exit_date\":"
         "\"2020-04\",\"exit_reason\":\"absconded\"}",
         "exit_date"},
        {CT_REG_INSTITUTION, "{\"type\":\"orphanage\"}", "name"},
        {CT_REG_INSTITUTION, "{\"name\":\"Home\",\"capacity\":-2}", "capacity"},
        {CT_REG_INSTITUTION, "{\"name\":\"Home\",\"type\":\"orphanage\",\"capacity\":40}", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ct_reg_record r;
        ct_reg_record_init(&r, cases[i].k);
        ct_problems pr = CT_PROBLEMS_INIT;
        int rc = from_json(&r, cases[i].json, &pr);
        if (!cases[i].field && rc)
            fail_msg("case %zu: unexpected problem %s: %s", i, pr.v[0].field, pr.v[0].msg);
        if (cases[i].field && !has_problem(&pr, cases[i].field))
            fail_msg("case %zu: no problem for %s", i, cases[i].field);
        ct_problems_release(&pr);
        ct_reg_record_release(&r);
    }
}

static void hash_ignores_id_and_metadata(void **state)
{
    (void)state;
    ct_reg_record a, b;
    ct_reg_record_init(&a, CT_REG_INSTITUTION);
    ct_reg_record_init(&b, CT_REG_INSTITUTION);
    ct_problems pr = CT_PROBLEMS_INIT;
    assert_int_equal(from_json(&a, "{\"name\":\"Home\",\"capacity\":40}", &pr), 0);
    assert_int_equal(from_json(&b,
                               "{\"id\":\"01a212d8-b37c-7a72-96a8-fd687b51bd59\",\"name\":\"Home\","
                               "\"capacity\":40,\"version\":9}",
                               &pr),
                     0);
    unsigned char ha[CT_REG_HASH_BYTES], hb[CT_REG_HASH_BYTES];
    assert_int_equal(ct_reg_content_hash(&a, ha), 0);
    assert_int_equal(ct_reg_content_hash(&b, hb), 0);
    assert_memory_equal(ha, hb, sizeof(ha));
    b.capacity = 41;
    assert_int_equal(ct_reg_content_hash(&b, hb), 0);
    assert_memory_not_equal(ha, hb, sizeof(ha));
    /* the same fields in another kind hash differently */
    ct_reg_record c;
    ct_reg_record_init(&c, CT_REG_MISSING);
    unsigned char hc[CT_REG_HASH_BYTES], hd[CT_REG_HASH_BYTES];
    assert_int_equal(ct_reg_content_hash(&c, hc), 0);
    c.kind = CT_REG_PLACEMENT;
    assert_int_equal(ct_reg_content_hash(&c, hd), 0);
    assert_memory_not_equal(hc, hd, sizeof(hc));
    ct_problems_release(&pr);
    ct_reg_record_release(&a);
    ct_reg_record_release(&b);
    ct_reg_record_release(&c);
}

int main(void)
{
    assert_true(sodium_init() >= 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tables_are_consistent),
        cmocka_unit_test(reads_a_missing_report),
        cmocka_unit_test(names_every_problem),
        cmocka_unit_test(checks_rules_between_fields),
        cmocka_unit_test(hash_ignores_id_and_metadata),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
