/* test_consent.c - consent and its withdrawal, notes visible only to the
 * assisting agency, the non-punishment flag. */
#include "nrm_test.h"

#include "core/codes.h"

static int allows(fixture *f, const char *person, const char *purpose, const char *agency,
                  const char *role)
{
    ct_nrm_consent_query q = {purpose, agency, role};
    ct_err err = CT_ERR_INIT;
    int r = ct_nrm_consent_allows(f->s, person, &q, &err);
    if (r < 0)
        fail_msg("%s", err.msg);
    return r;
}

static void consent_governs_sharing_until_withdrawn(void **state)
{
    fixture *f = *state;
    const char *p0 = add_case(f, adult_case);
    char p[CT_UUID_TEXT];
    snprintf(p, sizeof(p), "%s", p0);
    /* nothing recorded: nothing shared */
    assert_int_equal(allows(f, p, "assistance_data", "Police", "investigator"), 0);
    ct_err err = CT_ERR_INIT;
    char to_police[CT_UUID_TEXT], to_role[CT_UUID_TEXT];
    ct_nrm_consent_input in = {p, "assistance_data", "agency", "Police", "2026-02-01", NULL};
    assert_int_equal(ct_nrm_consent_give(f->s, &in, to_police, &err), 0);
    assert_int_equal(allows(f, p, "assistance_data", "Police", "investigator"), 1);
    assert_int_equal(allows(f, p, "assistance_data", "Shelter Two", "investigator"), 0);
    assert_int_equal(allows(f, p, "identity_data", "Police", "investigator"), 0);
    in.purpose = "identity_data";
    in.recipient_type = "role";
    in.recipient = "prosecutor";
    assert_int_equal(ct_nrm_consent_give(f->s, &in, to_role, &err), 0);
    assert_int_equal(allows(f, p, "identity_data", "Shelter Two", "prosecutor"), 1);
    assert_int_equal(allows(f, p, "identity_data", "Shelter Two", "investigator"), 0);
    /* withdrawal takes effect at once; the record stays */
    assert_int_equal(
        ct_nrm_consent_withdraw(f->s, to_police, NULL, "no longer wishes to share", &err), 0);
    assert_int_equal(allows(f, p, "assistance_data", "Police", "investigator"), 0);
    assert_int_equal(allows(f, p, "identity_data", "Shelter Two", "prosecutor"), 1);
    assert_int_equal(ct_nrm_consent_withdraw(f->s, to_police, NULL, NULL, &err), CT_ECONFLICT);
    ct_err_clear(&err);
    ct_arena a;
    ct_arena_init(&a, 0);
    ct_nrm_list l;
    assert_int_equal(ct_nrm_consents(f->s, p, &a, &l, &err), 0);
    assert_int_equal(l.n, 2);
    const ct_nrm_consent *c = l.items;
    assert_string_equal(c[0].given_on, "2026-02-01");
    assert_non_null(c[0].withdrawn_at);
    assert_null(c[1].withdrawn_at);
    ct_arena_release(&a);
    assert_int_equal(audit_count(f, "nrm.consent.give", NULL), 2);
    assert_int_equal(audit_count(f, "nrm.consent.withdraw", "no longer wishes to share"), 1);
}

static void consent_input_is_checked(void **state)
{
    fixture *f = *state;
    const char *p = add_case(f, adult_case);
    ct_err err = CT_ERR_INIT;
    ct_nrm_consent_input in = {p, "gossip", "agency", "Police", NULL, NULL};
    assert_int_equal(ct_nrm_consent_give(f->s, &in, NULL, &err), CT_EINVAL);
    assert_string_equal(err.field, "purpose");
    ct_err_clear(&err);
    in.purpose = "referral";
    in.recipient = "Nobody Agency";
    assert_int_equal(ct_nrm_consent_give(f->s, &in, NULL, &err), CT_EINVAL);
    assert_string_equal(err.field, "recipient");
    ct_err_clear(&err);
    in.recipient_type = "role";
    in.recipient = "journalist";
    assert_int_equal(ct_nrm_consent_give(f->s, &in, NULL, &err), CT_EINVAL);
    ct_err_clear(&err);
    in.recipient_type = "everyone";
    assert_int_equal(ct_nrm_consent_give(f->s, &in, NULL, &err), CT_EINVAL);
    assert_string_equal(err.field, "recipient_type");
    ct_err_clear(&err);
    ct_nrm_consent_query q = {"assistance_data", "Police", NULL};
    assert_int_equal(ct_nrm_consent_allows(f->s, "0190a0b0-0000-7000-8000-000000000000", &q, &err),
                     CT_ENOTFOUND);
}

static void notes_are_visible_only_to_the_assisting_agency(void **state)
{
    fixture *f = *state;
    const char *p0 = add_case(f, adult_case);
    char p[CT_UUID_TEXT];
    snprintf(p, sizeof(p), "%s", p0);
    ct_err err = CT_ERR_INIT;
    char id[CT_UUID_TEXT];
    assert_int_equal(ct_nrm_note_add(f->s, p, "first counselling session", id, &err), 0);
    act_as(f, "officer", "Police");
    assert_int_equal(ct_nrm_note_add(f->s, p, "police note", NULL, &err), 0);
    ct_arena a;
    ct_arena_init(&a, 0);
    ct_nrm_list l;
    assert_int_equal(ct_nrm_notes(f->s, p, "NGO One", &a, &l, &err), 0);
    assert_int_equal(l.n, 1);
    const ct_nrm_note *n = l.items;
    assert_string_equal(n->text, "first counselling session");
    assert_string_equal(n->m.actor, "caseworker1");
    assert_string_equal(n->m.id, id);
    assert_int_equal(ct_nrm_notes(f->s, p, "Police", &a, &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(ct_nrm_notes(f->s, p, "Shelter Two", &a, &l, &err), 0);
    assert_int_equal(l.n, 0);
    assert_int_equal(ct_nrm_notes(f->s, p, NULL, &a, &l, &err), 0);
    assert_int_equal(l.n, 0);
    ct_arena_release(&a);
    /* the audit trail names notes, never their text */
    assert_int_equal(audit_count(f, "nrm.note.add", NULL), 2);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM audit WHERE detail LIKE "
                                        "'%counselling%' OR reason LIKE '%counselling%'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(ct_nrm_note_add(f->s, p, "", NULL, &err), CT_EINVAL);
}

static void non_punishment_flag(void **state)
{
    fixture *f = *state;
    add_case(f, adult_case);
    char victim[CT_UUID_TEXT], suspect[CT_UUID_TEXT];
    snprintf(victim, sizeof(victim), "%s", f->c.persons[0].id);
    snprintf(suspect, sizeof(suspect), "%s", f->c.persons[1].id);
    ct_err err = CT_ERR_INIT;
    assert_int_equal(
        ct_nrm_non_punishment_set(f->s, victim, 1, "use of false documents", NULL, &err),
        CT_EINVAL);
    assert_string_equal(err.field, "reason");
    ct_err_clear(&err);
    assert_int_equal(ct_nrm_non_punishment_set(f->s, victim, 1, NULL, "forced", &err), CT_EINVAL);
    assert_string_equal(err.field, "offence");
    ct_err_clear(&err);
    assert_int_equal(ct_nrm_non_punishment_set(f->s, victim, 1, "use of false documents",
                                               "documents supplied by the exploiter", &err),
                     0);
    /* a person recorded as a suspect may be a victim forced into crime */
    assert_int_equal(
        ct_nrm_non_punishment_set(f->s, suspect, 1, "drug transport", "forced criminality", &err),
        0);
    ct_arena a;
    ct_arena_init(&a, 0);
    ct_nrm_status st;
    assert_int_equal(ct_nrm_status_get(f->s, victim, test_today, &a, &st, &err), 0);
    assert_int_equal(st.subject.non_punishment, 1);
    assert_string_equal(st.subject.np_offence, "use of false documents");
    assert_string_equal(st.subject.np_reason, "documents supplied by the exploiter");
    assert_string_equal(st.subject.np_actor, "caseworker1");
    json_t *j = ct_nrm_status_to_json(&st, "en");
    assert_true(json_is_true(json_object_get(json_object_get(j, "non_punishment"), "flag")));
    json_decref(j);
    assert_int_equal(ct_nrm_status_get(f->s, suspect, test_today, &a, &st, &err), 0);
    assert_int_equal(st.subject.non_punishment, 1);
    assert_int_equal(st.stage, -1);
    assert_int_equal(st.nactions, 0);
    assert_int_equal(ct_nrm_non_punishment_set(f->s, victim, 0, NULL, "charges dropped", &err), 0);
    assert_int_equal(ct_nrm_status_get(f->s, victim, test_today, &a, &st, &err), 0);
    assert_int_equal(st.subject.non_punishment, 0);
    assert_null(st.subject.np_offence);
    ct_arena_release(&a);
    assert_int_equal(audit_count(f, "nrm.non_punishment", NULL), 3);
    assert_int_equal(audit_count(f, "nrm.non_punishment", "charges dropped"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        NRM_TEST(consent_governs_sharing_until_withdrawn),
        NRM_TEST(consent_input_is_checked),
        NRM_TEST(notes_are_visible_only_to_the_assisting_agency),
        NRM_TEST(non_punishment_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
