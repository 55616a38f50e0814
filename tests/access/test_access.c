/* The access tables of src/access/access.c: every role of the code list has
 * a row, every row covers every permission, and every role x data class x
 * relation cell obeys the rules issue 3 states. */
#include "test_util.h"

#include "access/access.h"
#include "core/codes.h"

static const unsigned classes[] = {CT_PD_NAME,      CT_PD_CONTACT,    CT_PD_IDENTIFIER, CT_PD_BIRTH,
                                   CT_PD_FREE_TEXT, CT_DC_ASSISTANCE, CT_DC_COUNSELLING};
#define NCLASSES (sizeof(classes) / sizeof(classes[0]))

static void roles_match_the_code_list(void **state)
{
    (void)state;
    const ct_code_list *l = ct_codes_list("user_roles");
    assert_non_null(l);
    assert_int_equal(ct_code_list_size(l), CT_ROLE__N);
    for (size_t i = 0; i < ct_code_list_size(l); i++) {
        const char *code = ct_code_id(ct_code_list_at(l, i));
        int role = ct_access_role(code);
        assert_true(role >= 0);
        assert_string_equal(ct_access_role_code(role), code);
    }
    assert_int_equal(ct_access_role("root"), -1);
    assert_int_equal(ct_access_role(NULL), -1);
}

/* Every cell is decided: access.c asserts (debug builds, as these tests
 * run) that each row has one character per permission. */
/* The NRM columns (issue 3, docs/nrm.md): analysts never see any of it;
 * notes go to roles that can be the assisting agency; whoever acts on a
 * person's path can read it; prosecutors see the non-punishment flag. */
static void nrm_permission_cell(int role, int p, int allowed)
{
    int nrm = p == CT_PERM_NRM_READ || p == CT_PERM_NRM_WRITE || p == CT_PERM_NRM_NOTE ||
              p == CT_PERM_NRM_NON_PUNISHMENT || p == CT_PERM_NRM_SETTINGS;
    if (nrm && (role == CT_ROLE_ANALYST || role == CT_ROLE_AUDITOR || role == CT_ROLE_ADMIN))
        assert_false(allowed);
    if (p == CT_PERM_NRM_NOTE)
        assert_int_equal(allowed, ct_access_cell(role, CT_DC_COUNSELLING, CT_REL_OWN) == 'A');
    if (p == CT_PERM_NRM_WRITE && allowed) {
        assert_true(ct_access_allows(role, CT_PERM_NRM_READ));
        /* who acts sees what they act on, without needing consent */
        assert_int_equal(ct_access_cell(role, CT_DC_ASSISTANCE, CT_REL_OWN), 'V');
    }
    if (p == CT_PERM_NRM_READ && allowed)
        assert_int_not_equal(ct_access_cell(role, CT_DC_ASSISTANCE, CT_REL_OWN), '-');
    if (p == CT_PERM_NRM_NON_PUNISHMENT && role == CT_ROLE_PROSECUTOR)
        assert_true(allowed);
    if (p == CT_PERM_NRM_SETTINGS)
        assert_int_equal(allowed, role == CT_ROLE_COORDINATOR);
    /* investigators read with consent but take no NRM decision */
    if (role == CT_ROLE_INVESTIGATOR && (p == CT_PERM_NRM_WRITE || p == CT_PERM_NRM_NOTE))
        assert_false(allowed);
}

static void every_permission_cell(void **state)
{
    (void)state;
    for (int role = 0; role < CT_ROLE__N; role++)
        for (int p = 0; p < CT_PERM__N; p++) {
            int allowed = ct_access_allows(role, p);
            assert_true(allowed == 0 || allowed == 1);
            assert_non_null(ct_access_perm_name(p));
            /* everybody signed in is authenticated */
            if (p == CT_PERM_AUTHENTICATED)
                assert_true(allowed);
            /* statistics: the coordinator and the analyst (issue 4) */
            if (p == CT_PERM_STATS_READ)
                assert_int_equal(allowed, role == CT_ROLE_COORDINATOR || role == CT_ROLE_ANALYST);
            /* estimation (MSE): the coordinator and the analyst (issue 5); the
             * analyst row ends with it allowed, which proves its length */
            if (p == CT_PERM_ESTIMATE)
                assert_int_equal(allowed, role == CT_ROLE_COORDINATOR || role == CT_ROLE_ANALYST);
            /* the audit trail: auditors only (issue 3) */
            if (p == CT_PERM_AUDIT_READ)
                assert_int_equal(allowed, role == CT_ROLE_AUDITOR);
            /* auditors read no case data */
            if (role == CT_ROLE_AUDITOR && (p == CT_PERM_CASE_READ || p == CT_PERM_PERSON_READ ||
                                            p == CT_PERM_PROCEEDING_READ))
                assert_false(allowed);
            /* analysts and auditors never write */
            if ((role == CT_ROLE_ANALYST || role == CT_ROLE_AUDITOR) &&
                (p == CT_PERM_CASE_WRITE || p == CT_PERM_CASE_DELETE || p == CT_PERM_CASE_SHARE ||
                 p == CT_PERM_PERSON_WRITE || p == CT_PERM_PROCEEDING_WRITE ||
                 p == CT_PERM_AGENCY_WRITE || p == CT_PERM_USER_WRITE))
                assert_false(allowed);
            /* deleting cases and managing users and agencies: admins only */
            if (p == CT_PERM_CASE_DELETE || p == CT_PERM_USER_WRITE || p == CT_PERM_AGENCY_WRITE)
                assert_int_equal(allowed, role == CT_ROLE_ADMIN);
            nrm_permission_cell(role, p, allowed);
        }
    assert_false(ct_access_allows(-1, CT_PERM_CASE_READ));
    assert_false(ct_access_allows(CT_ROLE__N, CT_PERM_CASE_READ));
    assert_false(ct_access_allows(CT_ROLE_ADMIN, CT_PERM__N));
}

static void every_field_cell(void **state)
{
    (void)state;
    ct_access_facts none = {0, 0}, consent = {1, 0}, assisting = {0, 1};
    for (int role = 0; role < CT_ROLE__N; role++)
        for (size_t k = 0; k < NCLASSES; k++)
            for (int rel = 0; rel < CT_REL__N; rel++) {
                unsigned c = classes[k];
                char cell = ct_access_cell(role, c, rel);
                assert_non_null(strchr("V-CA", cell));
                int plain = !(ct_access_hidden(role, rel, &none) & c);
                int with_consent = !(ct_access_hidden(role, rel, &consent) & c);
                int when_assisting = !(ct_access_hidden(role, rel, &assisting) & c);
                /* facts are looked up exactly when a cell depends on them */
                if (cell == 'C')
                    assert_true(ct_access_needs_facts(role, rel));
                /* the cell letter means what it says */
                assert_int_equal(plain, cell == 'V');
                assert_int_equal(with_consent, cell == 'V' || cell == 'C');
                assert_int_equal(when_assisting, cell == 'V' || cell == 'A');
                /* analysts never receive names, contacts, identifiers, birth
                 * dates, free text (issue 3), nor anything else personal */
                if (role == CT_ROLE_ANALYST || role == CT_ROLE_AUDITOR)
                    assert_int_equal(cell, '-');
                /* cases of other agencies come without personal data */
                if (rel == CT_REL_OTHER)
                    assert_int_equal(cell, '-');
                /* counselling notes: to the assisting agency only */
                if (c == CT_DC_COUNSELLING)
                    assert_true(cell == '-' || cell == 'A');
                /* investigators: assistance data only with consent */
                if (c == CT_DC_ASSISTANCE && role == CT_ROLE_INVESTIGATOR)
                    assert_true(cell == 'C' || cell == '-');
            }
    /* caseworkers see the identity of their own and shared cases */
    assert_int_equal(ct_access_hidden(CT_ROLE_CASEWORKER, CT_REL_OWN, &none) & CT_PD_NAME, 0);
    assert_int_equal(ct_access_hidden(CT_ROLE_CASEWORKER, CT_REL_SHARED, &none) & CT_PD_NAME, 0);
    /* the default facts: no consent; the owner agency assists */
    ct_access_facts f;
    assert_int_equal(
        ct_access_default_facts(NULL, NULL, "c", "p", "a", CT_ROLE_CASEWORKER, CT_REL_OWN, &f), 0);
    assert_true(f.assisting && !f.consent);
    assert_int_equal(
        ct_access_default_facts(NULL, NULL, "c", "p", "a", CT_ROLE_CASEWORKER, CT_REL_SHARED, &f),
        0);
    assert_true(!f.assisting && !f.consent);
}

static void scopes(void **state)
{
    (void)state;
    for (int role = 0; role < CT_ROLE__N; role++) {
        enum ct_scope s = ct_access_scope(role);
        int national = role == CT_ROLE_COORDINATOR || role == CT_ROLE_ANALYST;
        assert_int_equal(s, national ? CT_SCOPE_NATIONAL : CT_SCOPE_AGENCY);
    }
}

/* Table 4: who reviews which kind of candidate (docs/review.md), and what
 * a reviewer sees of the records: every role x kind cell, every role x
 * class x relation cell of the review view. */
static void review_cells(void **state)
{
    (void)state;
    static const char *const kinds[] = {"registry_hit", "duplicate_person"};
    for (int role = 0; role < CT_ROLE__N; role++) {
        int reviewer = 0;
        for (size_t k = 0; k < 2; k++) {
            enum ct_review_reach reach = ct_access_review_reach(role, kinds[k]);
            reviewer |= reach != CT_REVIEW_REACH_NONE;
            /* whoever reviews holds the permission */
            if (reach != CT_REVIEW_REACH_NONE)
                assert_true(ct_access_allows(role, CT_PERM_REVIEW));
            /* the coordinator reviews every item of every kind */
            if (role == CT_ROLE_COORDINATOR)
                assert_int_equal(reach, CT_REVIEW_REACH_ALL);
            /* nobody else reviews another agency's items only */
            if (role != CT_ROLE_COORDINATOR)
                assert_int_not_equal(reach, CT_REVIEW_REACH_ALL);
            /* analysts, auditors, admins, investigators, prosecutors never */
            if (role == CT_ROLE_ANALYST || role == CT_ROLE_AUDITOR || role == CT_ROLE_ADMIN ||
                role == CT_ROLE_INVESTIGATOR || role == CT_ROLE_PROSECUTOR)
                assert_int_equal(reach, CT_REVIEW_REACH_NONE);
        }
        assert_int_equal(reviewer, ct_access_allows(role, CT_PERM_REVIEW));
        assert_int_equal(ct_access_review_reach(role, "registry_hit") != CT_REVIEW_REACH_NONE,
                         role == CT_ROLE_COORDINATOR || role == CT_ROLE_CHILD_PROTECTION);
        assert_int_equal(ct_access_review_reach(role, "duplicate_person") != CT_REVIEW_REACH_NONE,
                         role == CT_ROLE_COORDINATOR || role == CT_ROLE_CASEWORKER ||
                             role == CT_ROLE_CHILD_PROTECTION);
        assert_int_equal(ct_access_review_reach(role, "no_such_kind"), CT_REVIEW_REACH_NONE);
        for (int rel = 0; rel < CT_REL__N; rel++)
            for (size_t k = 0; k < NCLASSES; k++) {
                unsigned c = classes[k];
                int shown = !(ct_access_review_hidden(role, rel) & c);
                int plain = !(ct_access_hidden(role, rel, NULL) & c);
                /* a reviewer sees what the linkage compared, whatever the record */
                if (reviewer && (c == CT_PD_NAME || c == CT_PD_BIRTH))
                    assert_true(shown);
                /* and nothing else beyond table 3 */
                else
                    assert_int_equal(shown, plain);
            }
    }
    assert_int_equal(ct_access_review_reach(-1, "registry_hit"), CT_REVIEW_REACH_NONE);
}

/* Registries (issue 7): child protection records, the roles that work
 * with children's cases and the analyst read, the coordinator reads flags. */
static void registry_cells(void **state)
{
    (void)state;
    for (int role = 0; role < CT_ROLE__N; role++) {
        assert_int_equal(ct_access_allows(role, CT_PERM_REGISTRY_WRITE),
                         role == CT_ROLE_CHILD_PROTECTION);
        assert_int_equal(ct_access_allows(role, CT_PERM_REGISTRY_FLAGS),
                         role == CT_ROLE_COORDINATOR);
        if (ct_access_allows(role, CT_PERM_REGISTRY_WRITE))
            assert_true(ct_access_allows(role, CT_PERM_REGISTRY_READ));
        if (role == CT_ROLE_AUDITOR || role == CT_ROLE_ADMIN)
            assert_false(ct_access_allows(role, CT_PERM_REGISTRY_READ));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roles_match_the_code_list),
        cmocka_unit_test(every_permission_cell),
        cmocka_unit_test(every_field_cell),
        cmocka_unit_test(scopes),
        cmocka_unit_test(review_cells),
        cmocka_unit_test(registry_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
