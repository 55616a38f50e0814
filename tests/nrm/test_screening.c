/* test_screening.c - the checklist data, the dimension rule matrix, the
 * presumption rules, recorded screenings and the report beside art. 3. */
#include "nrm_test.h"

#include "core/codes.h"

/* The rule of indicators.md, written independently of screening.c's table. */
static int rule(int s, int m, int w)
{
    return s >= 2 || (s >= 1 && m + w >= 1) || m >= 3 || (m >= 2 && w >= 1);
}

static void dimension_rule_matrix(void **state)
{
    (void)state;
    for (int s = 0; s <= 4; s++)
        for (int m = 0; m <= 4; m++)
            for (int w = 0; w <= 4; w++)
                if (ct_nrm_dimension_positive(s, m, w) != rule(s, m, w))
                    fail_msg("strong %d medium %d weak %d", s, m, w);
    /* the boundaries, by name */
    assert_false(ct_nrm_dimension_positive(1, 0, 0));
    assert_true(ct_nrm_dimension_positive(1, 0, 1));
    assert_false(ct_nrm_dimension_positive(0, 2, 0));
    assert_true(ct_nrm_dimension_positive(0, 2, 1));
    assert_false(ct_nrm_dimension_positive(0, 1, 4));
    assert_false(ct_nrm_dimension_positive(0, 0, 9));
}

/* Every row of the ILO/EC file: a dimension 1-6, a grade in the adult
 * labour list, grades only S/M/W, French labels, children never graded
 * lower than adults. */
static void checklist_data_is_well_formed(void **state)
{
    (void)state;
    static const char *const lists[] = {"adult_labour", "adult_sexual", "child_labour",
                                        "child_sexual"};
    const ct_code_list *l = ct_codes_list("ilo_ec");
    assert_non_null(l);
    assert_true(ct_code_list_size(l) >= 60);
    size_t per_dim[7] = {0};
    for (size_t i = 0; i < ct_code_list_size(l); i++) {
        const ct_code *c = ct_code_list_at(l, i);
        const char *d = ct_code_attr(c, "dimension");
        assert_non_null(d);
        assert_true(d[0] >= '1' && d[0] <= '6' && !d[1]);
        per_dim[d[0] - '0']++;
        assert_non_null(ct_codes_lookup("ilo_ec_dimensions", d));
        assert_true(strcmp(ct_code_label(c, "fr"), ct_code_label(c, "en")) != 0);
        for (int k = 0; k < 4; k++) {
            const char *g = ct_code_attr(c, lists[k]);
            assert_non_null(g);
            assert_true(strchr("SMW", g[0]) && !g[1]);
        }
        const char *rank = "WMS";
        assert_true(strchr(rank, ct_code_attr(c, "child_labour")[0]) >=
                    strchr(rank, ct_code_attr(c, "adult_labour")[0]));
        const char *status = ct_code_attr(c, "status");
        assert_true(!status || strcmp(status, "disputed") == 0);
    }
    for (int d = 1; d <= 6; d++)
        assert_true(per_dim[d] > 0);
    /* the disputed items of indicators.md are marked */
    assert_string_equal(ct_code_attr(ct_codes_lookup("ilo_ec", "d3_travel_difficulty"), "status"),
                        "disputed");
    /* children: the grades indicators.md names as raised */
    assert_string_equal(ct_code_attr(ct_codes_lookup("ilo_ec", "d5_forced_tasks"), "child_labour"),
                        "S");
    assert_string_equal(ct_code_attr(ct_codes_lookup("ilo_ec", "d5_forced_tasks"), "adult_labour"),
                        "M");
    const ct_code_list *u = ct_codes_list("unodc");
    assert_non_null(u);
    for (size_t i = 0; i < ct_code_list_size(u); i++) {
        const ct_code *c = ct_code_list_at(u, i);
        const char *set = ct_code_attr(c, "set");
        assert_true(strcmp(set, "general") == 0 || strcmp(set, "sexual_exploitation") == 0);
        assert_non_null(ct_code_label(c, "fr"));
    }
}

static void score(const char *list, const char *const *items, size_t n, int act,
                  ct_nrm_screening_result *res)
{
    ct_err err = CT_ERR_INIT;
    int r = ct_nrm_screening_score("ilo_ec", list, items, n, act, res, &err);
    if (r)
        fail_msg("%s", err.msg);
}

static void presumption_for_adults(void **state)
{
    (void)state;
    ct_nrm_screening_result res;
    /* 1: S+M; 4: S+M; 5: S+S -> presumption */
    static const char *const full[] = {"d1_nature_job", "d1_wages",     "d4_excessive_hours",
                                       "d4_low_pay",    "d5_documents", "d5_violence"};
    score("adult_labour", full, 6, 0, &res);
    assert_true(res.dims[0].positive && res.dims[3].positive && res.dims[4].positive);
    assert_int_equal(res.dims[0].strong, 1);
    assert_int_equal(res.dims[0].medium, 1);
    assert_int_equal(res.presumption, 1);
    /* without a recruitment dimension: none */
    score("adult_labour", full + 2, 4, 0, &res);
    assert_int_equal(res.presumption, 0);
    /* without coercion or vulnerability at destination: none */
    score("adult_labour", full, 4, 0, &res);
    assert_int_equal(res.presumption, 0);
    /* dimension 6 stands in for 5 */
    static const char *const alt[] = {"d3_illegal_status",  "d3_economic",  "d3_control",
                                      "d4_excessive_hours", "d4_hazardous", "d6_dependency",
                                      "d6_economic",        "d6_personal"};
    score("adult_sexual", alt, 8, 0, &res);
    assert_true(res.dims[2].positive && res.dims[5].positive);
    assert_int_equal(res.presumption, 1);
}

static void presumption_for_children_needs_an_act_and_dimension_4(void **state)
{
    (void)state;
    ct_nrm_screening_result res;
    static const char *const four[] = {"d4_excessive_hours", "d4_no_education"};
    score("child_labour", four, 2, 1, &res);
    assert_true(res.dims[3].positive);
    assert_int_equal(res.presumption, 1);
    assert_int_equal(res.child_list, 1);
    score("child_sexual", four, 2, 0, &res); /* no act recorded */
    assert_int_equal(res.presumption, 0);
    score("child_labour", four, 1, 1, &res); /* 1 strong alone: not positive */
    assert_int_equal(res.presumption, 0);
    /* raised grades count: two strong for a child, two medium for an adult */
    static const char *const threats[] = {"d2_threats_violence", "d2_debt_bondage"};
    score("child_labour", threats, 2, 1, &res);
    assert_int_equal(res.dims[1].strong, 2);
    score("adult_labour", threats, 2, 1, &res);
    assert_int_equal(res.dims[1].medium, 2);
    assert_false(res.dims[1].positive);
}

static void unknown_items_are_refused(void **state)
{
    (void)state;
    ct_nrm_screening_result res;
    ct_err err = CT_ERR_INIT;
    static const char *const bad[] = {"d1_nature_job", "d9_nothing"};
    assert_int_equal(ct_nrm_screening_score("ilo_ec", "adult_labour", bad, 2, 0, &res, &err),
                     CT_EINVAL);
    assert_string_equal(err.field, "items");
    ct_err_clear(&err);
    static const char *const twice[] = {"d1_nature_job", "d1_nature_job"};
    assert_int_equal(ct_nrm_screening_score("ilo_ec", "adult_labour", twice, 2, 0, &res, &err),
                     CT_EINVAL);
    ct_err_clear(&err);
    assert_int_equal(ct_nrm_screening_score("ilo_ec", "elderly", bad, 1, 0, &res, &err), CT_EINVAL);
    assert_string_equal(err.field, "list");
    ct_err_clear(&err);
    assert_int_equal(ct_nrm_screening_score("astrology", "general", bad, 1, 0, &res, &err),
                     CT_EINVAL);
    assert_string_equal(err.field, "checklist");
    ct_err_clear(&err);
    /* an item of the sexual set is not in UNODC's general list */
    static const char *const sexual[] = {"escorted"};
    assert_int_equal(ct_nrm_screening_score("unodc", "general", sexual, 1, 0, &res, &err),
                     CT_EINVAL);
    ct_err_clear(&err);
    assert_int_equal(
        ct_nrm_screening_score("unodc", "sexual_exploitation", sexual, 1, 0, &res, &err), 0);
    assert_int_equal(res.presumption, -1);
    assert_int_equal(res.nitems, 1);
}

static void recorded_screening_and_report(void **state)
{
    fixture *f = *state;
    const char *p = add_case(f, child_case);
    ct_err err = CT_ERR_INIT;
    assert_null(ct_nrm_screening_report(f->s, p, test_today, "en", &err));
    assert_int_equal(err.code, CT_ENOTFOUND);
    ct_err_clear(&err);
    static const char *const items[] = {"d4_excessive_hours", "d4_living_conditions"};
    ct_nrm_screening_input in = {p, "ilo_ec", NULL, items, 2, "seen at the shelter"};
    ct_nrm_screening_result res;
    char id[CT_UUID_TEXT];
    assert_int_equal(ct_nrm_screening_record(f->s, &in, &res, id, &err), 0);
    /* a child in a sexual exploitation case gets the children's sexual list */
    assert_string_equal(res.list, "child_sexual");
    assert_int_equal(res.presumption, 1);
    ct_arena a;
    ct_arena_init(&a, 0);
    ct_nrm_list l;
    assert_int_equal(ct_nrm_screenings(f->s, p, &a, &l, &err), 0);
    assert_int_equal(l.n, 1);
    const ct_nrm_screening *sc = l.items;
    assert_string_equal(sc->m.id, id);
    assert_string_equal(sc->items, "d4_excessive_hours;d4_living_conditions");
    assert_string_equal(sc->m.actor, "caseworker1");
    ct_arena_release(&a);
    json_t *rep = ct_nrm_screening_report(f->s, p, test_today, "fr", &err);
    assert_non_null(rep);
    json_t *scr = json_object_get(rep, "screening");
    assert_true(json_is_true(json_object_get(scr, "presumption")));
    json_t *d4 = json_array_get(json_object_get(scr, "dimensions"), 3);
    assert_string_equal(json_string_value(json_object_get(d4, "label")),
                        "Conditions de travail abusives");
    json_t *prot = json_object_get(rep, "protocol");
    assert_true(json_is_true(json_object_get(prot, "child")));
    assert_true(json_is_true(json_object_get(prot, "trafficking")));
    assert_false(json_is_true(json_object_get(prot, "means_required")));
    assert_non_null(json_string_value(json_object_get(rep, "notice")));
    json_decref(rep);
    assert_int_equal(audit_count(f, "nrm.screening", NULL), 1);
    /* an adult without means: indicators may be strong, art. 3 still says what is missing */
    const char *adult = add_case(f, adult_case);
    static const char *const unodc[] = {"documents_held", "little_pay"};
    ct_nrm_screening_input u = {adult, "unodc", NULL, unodc, 2, NULL};
    assert_int_equal(ct_nrm_screening_record(f->s, &u, &res, NULL, &err), 0);
    assert_string_equal(res.list, "general");
    rep = ct_nrm_screening_report(f->s, adult, test_today, "en", &err);
    assert_non_null(rep);
    assert_true(json_is_null(json_object_get(json_object_get(rep, "screening"), "presumption")));
    json_decref(rep);
    /* suspects are not screened */
    in.person_id = f->c.persons[1].id;
    assert_int_equal(ct_nrm_screening_record(f->s, &in, NULL, NULL, &err), CT_EINVAL);
}

/* The checklists as data for a form: every item of a list is there once,
 * under its dimension, with the grade the scoring uses. */
static void checklists_as_data(void **state)
{
    (void)state;
    ct_err err = CT_ERR_INIT;
    json_t *all = ct_nrm_checklists_to_json("fr", &err);
    assert_non_null(all);
    json_t *cls = json_object_get(all, "checklists");
    assert_int_equal(json_array_size(cls), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(cls, 0), "name")),
                        "ilo_ec");
    assert_non_null(json_string_value(json_object_get(all, "notice")));
    json_decref(all);
    static const char *const lists[] = {"adult_labour", "adult_sexual", "child_labour",
                                        "child_sexual"};
    for (size_t k = 0; k < 4; k++) {
        json_t *cl = ct_nrm_checklist_to_json("ilo_ec", lists[k], "en", &err);
        assert_non_null(cl);
        json_t *dims = json_object_get(cl, "dimensions");
        assert_int_equal(json_array_size(dims), CT_NRM_DIMENSIONS);
        size_t n = 0;
        for (size_t d = 0; d < CT_NRM_DIMENSIONS; d++) {
            json_t *items = json_object_get(json_array_get(dims, d), "items");
            for (size_t i = 0; i < json_array_size(items); i++, n++) {
                json_t *it = json_array_get(items, i);
                const char *code = json_string_value(json_object_get(it, "code"));
                const char *grade = json_string_value(json_object_get(it, "grade"));
                /* scoring the item alone counts it under this dimension and grade */
                ct_nrm_screening_result res;
                assert_int_equal(
                    ct_nrm_screening_score("ilo_ec", lists[k], &code, 1, 1, &res, &err), 0);
                assert_int_equal(res.dims[d].strong, grade[0] == 'S');
                assert_int_equal(res.dims[d].medium, grade[0] == 'M');
                assert_int_equal(res.dims[d].weak, grade[0] == 'W');
            }
        }
        /* and every indicator with a grade in the list is shown */
        const ct_code_list *codes = ct_codes_list("ilo_ec");
        size_t graded = 0;
        for (size_t i = 0; i < ct_code_list_size(codes); i++) {
            const char *g = ct_code_attr(ct_code_list_at(codes, i), lists[k]);
            graded += g && *g;
        }
        assert_int_equal(n, graded);
        json_decref(cl);
    }
    /* without a list: the grade in each list */
    json_t *cl = ct_nrm_checklist_to_json("ilo_ec", NULL, "fr", &err);
    assert_non_null(cl);
    json_t *it = json_array_get(
        json_object_get(json_array_get(json_object_get(cl, "dimensions"), 0), "items"), 0);
    assert_int_equal(json_object_size(json_object_get(it, "grades")), 4);
    json_decref(cl);
    /* unodc: the sexual exploitation set adds to the general one */
    cl = ct_nrm_checklist_to_json("unodc", "general", "en", &err);
    json_t *sx = ct_nrm_checklist_to_json("unodc", "sexual_exploitation", "en", &err);
    assert_non_null(cl);
    assert_non_null(sx);
    assert_true(json_array_size(json_object_get(sx, "items")) >
                json_array_size(json_object_get(cl, "items")));
    assert_null(json_object_get(cl, "dimensions"));
    json_decref(cl);
    json_decref(sx);
    /* unknown names */
    assert_null(ct_nrm_checklist_to_json("nope", NULL, "en", &err));
    assert_int_equal(err.code, CT_ENOTFOUND);
    ct_err_clear(&err);
    assert_null(ct_nrm_checklist_to_json("unodc", "adult_labour", "en", &err));
    assert_int_equal(err.code, CT_EINVAL);
    assert_string_equal(err.field, "list");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dimension_rule_matrix),
        cmocka_unit_test(checklist_data_is_well_formed),
        cmocka_unit_test(presumption_for_adults),
        cmocka_unit_test(presumption_for_children_needs_an_act_and_dimension_4),
        cmocka_unit_test(unknown_items_are_refused),
        cmocka_unit_test(checklists_as_data),
        NRM_TEST(recorded_screening_and_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
