/* test_services.c - referrals: when they may open, the status table walked
 * cell by cell, versions; assistance independent of cooperation. */
#include "nrm_test.h"

#include "core/codes.h"

/* Brings a fresh adult to presumed_victim through the real actions. */
static const char *presumed(fixture *f)
{
    const char *p = add_case(f, adult_case);
    screen_one(f, p);
    act_ok(f, p, "screen");
    act_ok(f, p, "reasonable_grounds");
    return p;
}

static int open_referral(fixture *f, const char *person, const char *service, char *id, ct_err *err)
{
    ct_nrm_referral_input in = {person, service, "Shelter Two", NULL, NULL};
    return ct_nrm_referral_open(f->s, &in, id, err);
}

static void referrals_open_from_presumed_victim_on(void **state)
{
    fixture *f = *state;
    for (int st = 0; st < CT_NRM__NSTAGES; st++) {
        const char *p = add_case(f, adult_case);
        ct_err err = CT_ERR_INIT;
        assert_int_equal(ct_store_nrm_stage_set(f->s, p, ct_nrm_stage_code(st), &err), 0);
        char id[CT_UUID_TEXT];
        int r = open_referral(f, p, "shelter", id, &err);
        int expect = st == CT_NRM_PRESUMED_VICTIM || st == CT_NRM_IDENTIFIED ||
                     st == CT_NRM_RETURNED || st == CT_NRM_REINTEGRATED;
        if (expect && r)
            fail_msg("%s: %s", ct_nrm_stage_code(st), err.msg);
        if (!expect)
            assert_int_equal(r, CT_ECONFLICT);
    }
}

/* The right to assistance does not depend on cooperation with the police:
 * a person who declines to cooperate is referred and identified alike. */
static void a_non_cooperating_victim_is_referred(void **state)
{
    fixture *f = *state;
    const char *p0 = add_case(f, adult_case);
    char p[CT_UUID_TEXT];
    snprintf(p, sizeof(p), "%s", p0);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(
        ct_nrm_cooperation_set(f->s, p, "not_cooperating", "afraid of reprisals", &err), 0);
    screen_one(f, p);
    act_ok(f, p, "screen");
    act_ok(f, p, "reasonable_grounds");
    const ct_code_list *services = ct_codes_list("services");
    for (size_t i = 0; i < ct_code_list_size(services); i++) {
        char id[CT_UUID_TEXT];
        const char *svc = ct_code_id(ct_code_list_at(services, i));
        if (open_referral(f, p, svc, id, &err))
            fail_msg("%s: %s", svc, err.msg);
        assert_int_equal(ct_nrm_referral_move(f->s, id, "accepted", NULL, NULL, 0, &err), 0);
        assert_int_equal(ct_nrm_referral_move(f->s, id, "provided", NULL, NULL, 0, &err), 0);
    }
    act_ok(f, p, "identify");
    ct_arena a;
    ct_arena_init(&a, 0);
    ct_nrm_status st;
    assert_int_equal(ct_nrm_status_get(f->s, p, test_today, &a, &st, &err), 0);
    assert_string_equal(st.subject.cooperation, "not_cooperating");
    assert_int_equal(st.stage, CT_NRM_IDENTIFIED);
    ct_nrm_list l;
    assert_int_equal(ct_nrm_referrals(f->s, p, &a, &l, &err), 0);
    assert_int_equal(l.n, ct_code_list_size(services));
    ct_arena_release(&a);
    assert_int_equal(audit_count(f, "nrm.cooperation", "afraid of reprisals"), 1);
    assert_int_equal(ct_nrm_cooperation_set(f->s, p, "maybe", NULL, &err), CT_EINVAL);
}

static void referral_status_table_walked(void **state)
{
    fixture *f = *state;
    const ct_code_list *statuses = ct_codes_list("referral_statuses");
    size_t n = ct_code_list_size(statuses), allowed = 0;
    const char *p0 = presumed(f);
    char p[CT_UUID_TEXT];
    snprintf(p, sizeof(p), "%s", p0);
    for (size_t i = 0; i < n; i++) {
        const char *from = ct_code_id(ct_code_list_at(statuses, i));
        for (size_t j = 0; j < n; j++) {
            const char *to = ct_code_id(ct_code_list_at(statuses, j));
            char id[CT_UUID_TEXT];
            ct_err err = CT_ERR_INIT;
            assert_int_equal(open_referral(f, p, "medical", id, &err), 0);
            /* reach `from` by the shortest allowed route */
            static const char *const route[][3] = {
                {"offered", NULL, NULL},     {"accepted", NULL, NULL},
                {"declined", NULL, NULL},    {"accepted", "provided", NULL},
                {"accepted", "ended", NULL},
            };
            for (int k = 0; k < 3 && route[i][k]; k++)
                if (strcmp(route[i][k], "offered") != 0)
                    assert_int_equal(
                        ct_nrm_referral_move(f->s, id, route[i][k], NULL, NULL, 0, &err), 0);
            int r = ct_nrm_referral_move(f->s, id, to, "2026-02-28", "client's choice", 0, &err);
            if (ct_nrm_referral_move_allowed(from, to)) {
                if (r)
                    fail_msg("%s -> %s: %s", from, to, err.msg);
                allowed++;
                ct_arena a;
                ct_arena_init(&a, 0);
                ct_nrm_referral rec;
                assert_int_equal(ct_store_nrm_get(f->s, CT_NRM_REC_REFERRAL, id, &a, &rec.m, &err),
                                 0);
                assert_string_equal(rec.status, to);
                assert_non_null(rec.offered_on);
                const char *on = strcmp(to, "accepted") == 0   ? rec.accepted_on
                                 : strcmp(to, "declined") == 0 ? rec.declined_on
                                 : strcmp(to, "provided") == 0 ? rec.provided_on
                                                               : rec.ended_on;
                assert_string_equal(on, "2026-02-28");
                ct_arena_release(&a);
            } else {
                assert_int_equal(r, CT_ECONFLICT);
            }
        }
    }
    assert_int_equal(allowed, 6);
    assert_int_equal(audit_count(f, "nrm.referral.update", "client's choice"), 6);
}

static void referral_input_and_versions(void **state)
{
    fixture *f = *state;
    const char *p = presumed(f);
    char id[CT_UUID_TEXT];
    ct_err err = CT_ERR_INIT;
    assert_int_equal(open_referral(f, p, "spa_weekend", id, &err), CT_EINVAL);
    assert_string_equal(err.field, "service");
    ct_err_clear(&err);
    assert_int_equal(open_referral(f, p, "legal_aid", id, &err), 0);
    assert_int_equal(ct_nrm_referral_move(f->s, id, "lost", NULL, NULL, 0, &err), CT_EINVAL);
    ct_err_clear(&err);
    assert_int_equal(ct_nrm_referral_move(f->s, id, "accepted", NULL, NULL, 1, &err), 0);
    assert_int_equal(ct_nrm_referral_move(f->s, id, "provided", NULL, NULL, 1, &err), CT_ESTALE);
    ct_err_clear(&err);
    assert_int_equal(ct_nrm_referral_move(f->s, id, "provided", NULL, NULL, 2, &err), 0);
    assert_int_equal(ct_nrm_referral_move(f->s, "0190a0b0-0000-7000-8000-000000000000", "ended",
                                          NULL, NULL, 0, &err),
                     CT_ENOTFOUND);
    assert_int_equal(audit_count(f, "nrm.referral.open", NULL), 1);
}

/* The provider of an accepted or provided referral assists the person;
 * one offered, declined or ended does not, nor does anyone else. */
static void provider_agency_assists(void **state)
{
    fixture *f = *state;
    const char *p = presumed(f);
    char id[CT_UUID_TEXT];
    ct_err err = CT_ERR_INIT;
    ct_nrm_referral_input in = {p, "shelter", "Shelter Two", NULL, NULL};
    assert_int_equal(ct_nrm_referral_open(f->s, &in, id, &err), 0);
    assert_int_equal(ct_nrm_agency_assists(f->s, p, "Shelter Two", &err), 0);
    assert_int_equal(ct_nrm_referral_move(f->s, id, "accepted", NULL, NULL, 0, &err), 0);
    assert_int_equal(ct_nrm_agency_assists(f->s, p, "Shelter Two", &err), 1);
    assert_int_equal(ct_nrm_agency_assists(f->s, p, "Police", &err), 0);
    assert_int_equal(ct_nrm_agency_assists(f->s, p, NULL, &err), 0);
    assert_int_equal(ct_nrm_referral_move(f->s, id, "provided", NULL, NULL, 0, &err), 0);
    assert_int_equal(ct_nrm_agency_assists(f->s, p, "Shelter Two", &err), 1);
    assert_int_equal(ct_nrm_referral_move(f->s, id, "ended", NULL, NULL, 0, &err), 0);
    assert_int_equal(ct_nrm_agency_assists(f->s, p, "Shelter Two", &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        NRM_TEST(referrals_open_from_presumed_victim_on),
        NRM_TEST(a_non_cooperating_victim_is_referred),
        NRM_TEST(referral_status_table_walked),
        NRM_TEST(referral_input_and_versions),
        NRM_TEST(provider_agency_assists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
