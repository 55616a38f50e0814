/* test_workflow.c - the transition table, walked exhaustively; the child
 * gates; who/when/why records; the stage changing only through actions. */
#include "nrm_test.h"

#include "core/codes.h"

static const char *const all_actions[] = {
    "screen", "reasonable_grounds", "screen_out", "identify", "negative_decision", "reconsider",
    "return", "reintegrate",        "close",
};

/* Every (stage, action) cell: allowed exactly when the table has the row,
 * and then the person lands on the row's target stage. */
static void every_cell_of_the_table(void **state)
{
    fixture *f = *state;
    size_t allowed = 0;
    for (int st = 0; st < CT_NRM__NSTAGES; st++) {
        for (size_t k = 0; k < sizeof(all_actions) / sizeof(all_actions[0]); k++) {
            const char *person = add_case(f, adult_case);
            screen_one(f, person);
            ct_err err = CT_ERR_INIT;
            assert_int_equal(ct_store_nrm_stage_set(f->s, person, ct_nrm_stage_code(st), &err), 0);
            const ct_nrm_edge *e = ct_nrm_edge_find(all_actions[k], st);
            int r = act(f, person, all_actions[k], &err);
            if (e) {
                if (r)
                    fail_msg("%s from %s: %s", all_actions[k], ct_nrm_stage_code(st), err.msg);
                assert_int_equal(stage_of(f, person), e->to);
                allowed++;
            } else {
                assert_int_equal(r, CT_ECONFLICT);
                assert_string_equal(err.field, "action");
                assert_non_null(strstr(err.msg, ct_nrm_stage_code(st)));
                assert_int_equal(stage_of(f, person), st);
            }
        }
    }
    assert_int_equal(allowed, ct_nrm_nedges);
}

/* Every row of the table names a known stage pair, an edge function, and
 * rows into durable solutions carry both child gates. */
static void table_rows_are_consistent(void **state)
{
    (void)state;
    for (size_t i = 0; i < ct_nrm_nedges; i++) {
        const ct_nrm_edge *e = &ct_nrm_edges[i];
        assert_non_null(ct_nrm_stage_code(e->from));
        assert_non_null(ct_nrm_stage_code(e->to));
        assert_non_null(e->perform);
        assert_non_null(e->perform_name);
        assert_true(ct_codes_lookup("nrm_stages", ct_nrm_stage_code(e->to)) != NULL);
        assert_int_not_equal(e->from, CT_NRM_CLOSED);
        if (e->to == CT_NRM_RETURNED || e->to == CT_NRM_REINTEGRATED || e->to == CT_NRM_CLOSED)
            assert_int_equal(e->gates & CT_NRM_GATE_CHILD, CT_NRM_GATE_CHILD);
        /* no gate beyond the three documented ones: none reads cooperation */
        assert_int_equal(e->gates & ~(CT_NRM_GATE_SCREENING | CT_NRM_GATE_CHILD), 0);
    }
    assert_int_equal(ct_nrm_stage_parse("nonsense"), -1);
    for (int st = 0; st < CT_NRM__NSTAGES; st++)
        assert_int_equal(ct_nrm_stage_parse(ct_nrm_stage_code(st)), st);
}

static void walk_the_main_path(void **state)
{
    fixture *f = *state;
    const char *p = add_case(f, adult_case);
    assert_int_equal(stage_of(f, p), CT_NRM_REPORTED);
    ct_err err = CT_ERR_INIT;
    /* screening needs indicators first */
    assert_int_equal(act(f, p, "screen", &err), CT_ECONFLICT);
    assert_non_null(strstr(err.msg, "screening"));
    screen_one(f, p);
    act_ok(f, p, "screen");
    act_ok(f, p, "reasonable_grounds");
    act_ok(f, p, "identify");
    act_ok(f, p, "return");
    act_ok(f, p, "reintegrate");
    act_ok(f, p, "close");
    assert_int_equal(stage_of(f, p), CT_NRM_CLOSED);
    ct_arena a;
    ct_arena_init(&a, 0);
    ct_nrm_list h;
    assert_int_equal(ct_nrm_history(f->s, p, &a, &h, &err), 0);
    assert_int_equal(h.n, 6);
    const ct_nrm_transition *t = h.items;
    assert_string_equal(t[0].action, "screen");
    assert_string_equal(t[0].from_stage, "reported");
    assert_string_equal(t[1].to_stage, "presumed_victim");
    assert_string_equal(t[5].to_stage, "closed");
    assert_string_equal(t[0].reason, "decision of the coordinator");
    assert_string_equal(t[0].m.actor, "caseworker1");
    assert_string_equal(t[0].m.agency, "NGO One");
    assert_string_equal(t[0].date, "2026-03-01");
    assert_true(t[0].m.at[0] != '\0');
    ct_arena_release(&a);
    assert_int_equal(audit_count(f, "nrm.transition", "decision of the coordinator"), 6);
    long n, bad;
    assert_int_equal(ct_store_audit_verify(f->s, &n, &bad, &err), 0);
}

static void refusals_name_the_problem(void **state)
{
    fixture *f = *state;
    const char *p = add_case(f, adult_case);
    ct_err err = CT_ERR_INIT;
    ct_nrm_action a = {p, "screen", NULL, NULL, 0, test_today};
    assert_int_equal(ct_nrm_act(f->s, &a, NULL, &err), CT_EINVAL);
    assert_string_equal(err.field, "reason");
    ct_err_clear(&err);
    a.reason = "";
    assert_int_equal(ct_nrm_act(f->s, &a, NULL, &err), CT_EINVAL);
    ct_err_clear(&err);
    a.reason = "x";
    a.action = "fly";
    assert_int_equal(ct_nrm_act(f->s, &a, NULL, &err), CT_EINVAL);
    assert_string_equal(err.field, "action");
    ct_err_clear(&err);
    a.action = "screen";
    a.date = "2999-01-01";
    assert_int_equal(ct_nrm_act(f->s, &a, NULL, &err), CT_EINVAL);
    assert_string_equal(err.field, "date");
    ct_err_clear(&err);
    a.date = "2025-02";
    assert_int_equal(ct_nrm_act(f->s, &a, NULL, &err), CT_EINVAL);
    ct_err_clear(&err);
    a.date = NULL;
    a.person_id = "0190a0b0-0000-7000-8000-000000000000";
    assert_int_equal(ct_nrm_act(f->s, &a, NULL, &err), CT_ENOTFOUND);
    ct_err_clear(&err);
    a.person_id = "not-a-uuid";
    assert_int_equal(ct_nrm_act(f->s, &a, NULL, &err), CT_ENOTFOUND);
    ct_err_clear(&err);
    /* suspects have no NRM path */
    a.person_id = f->c.persons[1].id;
    assert_int_equal(ct_nrm_act(f->s, &a, NULL, &err), CT_EINVAL);
    ct_err_clear(&err);
    /* a refused action leaves no trace but the refusal */
    assert_int_equal(audit_count(f, "nrm.transition", NULL), 0);
    assert_int_equal(stage_of(f, p), CT_NRM_REPORTED);
}

static void reflection_period_starts_with_reasonable_grounds(void **state)
{
    fixture *f = *state;
    const char *p = add_case(f, adult_case);
    screen_one(f, p);
    act_ok(f, p, "screen");
    ct_arena a;
    ct_arena_init(&a, 0);
    ct_nrm_status st;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_nrm_status_get(f->s, p, test_today, &a, &st, &err), 0);
    assert_null(st.subject.rrp_start);
    assert_int_equal(st.reflection_days_left, -1);
    ct_nrm_action ac = {
        p, "reasonable_grounds", "indicators and interview", "2026-02-20", 0, test_today};
    assert_int_equal(ct_nrm_act(f->s, &ac, NULL, &err), 0);
    assert_int_equal(ct_nrm_status_get(f->s, p, test_today, &a, &st, &err), 0);
    assert_string_equal(st.subject.rrp_start, "2026-02-20");
    assert_int_equal(st.subject.rrp_days, 30);
    assert_string_equal(st.subject.rrp_end, "2026-03-21"); /* day 30 */
    assert_int_equal(st.reflection_days_left, 21);
    ct_date later = {2026, 4, 1};
    assert_int_equal(ct_nrm_status_get(f->s, p, later, &a, &st, &err), 0);
    assert_int_equal(st.reflection_days_left, 0);
    /* closing ends a period still running */
    ac.action = "close";
    ac.date = "2026-03-01";
    assert_int_equal(ct_nrm_act(f->s, &ac, NULL, &err), 0);
    assert_int_equal(ct_nrm_status_get(f->s, p, test_today, &a, &st, &err), 0);
    assert_string_equal(st.subject.rrp_end, "2026-03-01");
    ct_arena_release(&a);
}

static void reflection_period_default_per_country(void **state)
{
    fixture *f = *state;
    ct_err err = CT_ERR_INIT;
    int days;
    assert_int_equal(ct_nrm_reflection_days(f->s, "FRA", &days, &err), 0);
    assert_int_equal(days, CT_NRM_REFLECTION_MIN_DAYS);
    assert_int_equal(ct_nrm_reflection_set(f->s, "FRA", 29, &err), CT_EINVAL);
    ct_err_clear(&err);
    assert_int_equal(ct_nrm_reflection_set(f->s, "XXX", 40, &err), CT_EINVAL);
    ct_err_clear(&err);
    assert_int_equal(ct_nrm_reflection_set(f->s, NULL, 45, &err), 0);
    assert_int_equal(ct_nrm_reflection_set(f->s, "BEL", 60, &err), 0);
    assert_int_equal(ct_nrm_reflection_days(f->s, "FRA", &days, &err), 0);
    assert_int_equal(days, 45);
    assert_int_equal(ct_nrm_reflection_days(f->s, "BEL", &days, &err), 0);
    assert_int_equal(days, 60);
    assert_int_equal(audit_count(f, "nrm.settings", NULL), 2);
    /* the owner's country decides (NGO One is in FRA: 45) */
    const char *p = add_case(f, adult_case);
    screen_one(f, p);
    act_ok(f, p, "screen");
    act_ok(f, p, "reasonable_grounds");
    ct_arena a;
    ct_arena_init(&a, 0);
    ct_nrm_status st;
    assert_int_equal(ct_nrm_status_get(f->s, p, test_today, &a, &st, &err), 0);
    assert_int_equal(st.subject.rrp_days, 45);
    ct_arena_release(&a);
    /* a longer period may be given; a shorter one never */
    p = add_case(f, adult_case);
    screen_one(f, p);
    act_ok(f, p, "screen");
    ct_nrm_action ac = {p, "reasonable_grounds", "r", NULL, 20, test_today};
    assert_int_equal(ct_nrm_act(f->s, &ac, NULL, &err), CT_EINVAL);
    assert_string_equal(err.field, "reflection_days");
}

/* Each gated edge, for a child: refused without guardian, refused with a
 * guardian only, allowed with both. */
static void child_gates(void **state)
{
    fixture *f = *state;
    for (size_t i = 0; i < ct_nrm_nedges; i++) {
        const ct_nrm_edge *e = &ct_nrm_edges[i];
        if (!(e->gates & CT_NRM_GATE_CHILD))
            continue;
        const char *p = add_case(f, i % 2 ? child_case : uncertain_case);
        ct_err err = CT_ERR_INIT;
        assert_int_equal(ct_store_nrm_stage_set(f->s, p, ct_nrm_stage_code(e->from), &err), 0);
        assert_int_equal(act(f, p, e->action, &err), CT_ECONFLICT);
        assert_non_null(strstr(err.msg, "guardian"));
        ct_err_clear(&err);
        assert_int_equal(
            ct_nrm_child_measure_record(f->s, p, CT_NRM_GUARDIAN, "2026-01-10", NULL, &err), 0);
        assert_int_equal(act(f, p, e->action, &err), CT_ECONFLICT);
        assert_non_null(strstr(err.msg, "best-interests"));
        assert_null(strstr(err.msg, "guardian"));
        ct_err_clear(&err);
        assert_int_equal(ct_nrm_child_measure_record(f->s, p, CT_NRM_BEST_INTERESTS, NULL,
                                                     "return judged safe", &err),
                         0);
        act_ok(f, p, e->action);
        assert_int_equal(stage_of(f, p), e->to);
    }
    assert_true(audit_count(f, "nrm.child_measure", NULL) > 0);
}

static void child_status_flags_child_protection(void **state)
{
    fixture *f = *state;
    const char *p = add_case(f, child_case);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_nrm_stage_set(f->s, p, "identified", &err), 0);
    ct_arena a;
    ct_arena_init(&a, 0);
    ct_nrm_status st;
    assert_int_equal(ct_nrm_status_get(f->s, p, test_today, &a, &st, &err), 0);
    assert_int_equal(st.child, 1);
    assert_int_equal(st.child_referral, 1);
    assert_int_equal(st.missing_gates & CT_NRM_GATE_CHILD, CT_NRM_GATE_CHILD);
    json_t *j = ct_nrm_status_to_json(&st, "fr");
    assert_non_null(j);
    assert_true(json_is_true(json_object_get(j, "child")));
    assert_true(
        json_is_true(json_object_get(json_object_get(j, "child_protection"), "referral_flag")));
    assert_string_equal(json_string_value(json_object_get(j, "stage_label")),
                        "Victime identifiée (décision définitive)");
    assert_int_equal(json_array_size(json_object_get(j, "missing")), 2);
    json_decref(j);
    /* an adult is not gated */
    const char *adult = add_case(f, adult_case);
    assert_int_equal(ct_store_nrm_stage_set(f->s, adult, "identified", &err), 0);
    assert_int_equal(ct_nrm_status_get(f->s, adult, test_today, &a, &st, &err), 0);
    assert_int_equal(st.child, 0);
    assert_int_equal(st.child_referral, 0);
    assert_int_equal(st.missing_gates, 0);
    assert_int_equal(st.nactions, 3); /* return, reintegrate, close */
    ct_arena_release(&a);
}

/* A case update (import, API PUT) never moves the stage. */
static void case_update_keeps_the_stage(void **state)
{
    fixture *f = *state;
    const char *p = add_case(f, adult_case);
    char person[CT_UUID_TEXT];
    snprintf(person, sizeof(person), "%s", p);
    screen_one(f, person);
    act_ok(f, person, "screen");
    act_ok(f, person, "reasonable_grounds");
    ct_case c;
    ct_case_init(&c);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_store_case_get(f->s, f->c.id, &c, &err), 0);
    assert_string_equal(c.persons[0].nrm_stage, "presumed_victim");
    int version = c.version;
    assert_true(version >= 3); /* each stage change is a new version of the case */
    c.persons[0].nrm_stage = "reported";
    c.persons[0].age = 31;
    assert_int_equal(ct_store_case_put(f->s, &c, NULL, NULL, &err), 0);
    assert_int_equal(stage_of(f, person), CT_NRM_PRESUMED_VICTIM);
    ct_case_release(&c);
}

/* The server checks a version, acts and notifies as one write: inside an
 * open transaction an action joins it (a savepoint), so rolling back undoes
 * the action and its audit entry, and a refused action undoes only itself. */
static void actions_join_the_callers_transaction(void **state)
{
    fixture *f = *state;
    ct_err err = CT_ERR_INIT;
    const char *p = add_case(f, child_case);
    screen_one(f, p);
    long audited = audit_count(f, "nrm.transition", NULL);
    assert_false(ct_store_in_tx(f->s));
    assert_int_equal(ct_store_begin(f->s, &err), 0);
    assert_true(ct_store_in_tx(f->s));
    act_ok(f, p, "screen");
    ct_store_rollback(f->s);
    assert_false(ct_store_in_tx(f->s));
    assert_int_equal(stage_of(f, p), CT_NRM_REPORTED);
    assert_int_equal(audit_count(f, "nrm.transition", NULL), audited);
    /* a refusal inside keeps what came before it */
    assert_int_equal(ct_store_begin(f->s, &err), 0);
    act_ok(f, p, "screen");
    assert_int_equal(
        ct_nrm_child_measure_record(f->s, p, CT_NRM_GUARDIAN, "2026-01-10", "court", &err), 0);
    assert_int_equal(act(f, p, "close", &err), CT_ECONFLICT);
    ct_err_clear(&err);
    assert_int_equal(ct_store_commit(f->s, &err), 0);
    assert_false(ct_store_in_tx(f->s));
    assert_int_equal(stage_of(f, p), CT_NRM_SCREENED);
    assert_int_equal(audit_count(f, "nrm.transition", NULL), audited + 1);
    /* the measures, listed */
    ct_arena a;
    ct_arena_init(&a, 0);
    ct_nrm_list l;
    assert_int_equal(ct_nrm_child_measures(f->s, p, &a, &l, &err), 0);
    assert_int_equal(l.n, 1);
    const ct_nrm_child_measure *m = l.items;
    assert_string_equal(m[0].kind, "guardian");
    assert_string_equal(m[0].note, "court");
    /* and read back by id, as any record */
    ct_nrm_child_measure got;
    assert_int_equal(ct_nrm_record_get(f->s, CT_NRM_REC_CHILD_MEASURE, m[0].m.id, &a, &got.m, &err),
                     0);
    assert_string_equal(got.kind, "guardian");
    assert_string_equal(got.m.person_id, p);
    assert_int_equal(ct_nrm_record_get(f->s, CT_NRM_REC_REFERRAL, m[0].m.id, &a, &got.m, &err),
                     CT_ENOTFOUND);
    ct_err_clear(&err);
    assert_int_equal(ct_nrm_record_get(f->s, CT_NRM_REC_NOTE, "not-an-id", &a, &got.m, &err),
                     CT_ENOTFOUND);
    ct_arena_release(&a);
}

/* A default set with its source in national law keeps the reason. */
static void reflection_default_with_a_reason(void **state)
{
    fixture *f = *state;
    ct_err err = CT_ERR_INIT;
    assert_int_equal(ct_nrm_reflection_set_why(f->s, "FRA", 90, "CESEDA art. R425-1", &err), 0);
    assert_int_equal(audit_count(f, "nrm.settings", "CESEDA art. R425-1"), 1);
    int days;
    assert_int_equal(ct_nrm_reflection_days(f->s, "FRA", &days, &err), 0);
    assert_int_equal(days, 90);
    /* inside a caller's transaction, rolled back with it */
    assert_int_equal(ct_store_begin(f->s, &err), 0);
    assert_int_equal(ct_nrm_reflection_set_why(f->s, "FRA", 120, NULL, &err), 0);
    ct_store_rollback(f->s);
    assert_int_equal(ct_nrm_reflection_days(f->s, "FRA", &days, &err), 0);
    assert_int_equal(days, 90);
    assert_int_equal(ct_nrm_reflection_set_why(f->s, "FRA", 12, "x", &err), CT_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        NRM_TEST(every_cell_of_the_table),
        NRM_TEST(table_rows_are_consistent),
        NRM_TEST(walk_the_main_path),
        NRM_TEST(refusals_name_the_problem),
        NRM_TEST(reflection_period_starts_with_reasonable_grounds),
        NRM_TEST(reflection_period_default_per_country),
        NRM_TEST(child_gates),
        NRM_TEST(child_status_flags_child_protection),
        NRM_TEST(case_update_keeps_the_stage),
        NRM_TEST(actions_join_the_callers_transaction),
        NRM_TEST(reflection_default_with_a_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
