/*
 * access.c - the access rules of ctip as three tables. Nothing else in
 * ctip decides who may do or see what: handlers ask these functions.
 *
 * Sources: the roles of domain.md §5 (identifiers in
 * data/codes/user_roles.tsv); issue 3 (an agency sees its own cases and
 * those shared with it; analysts receive anonymised data only; counselling
 * notes go to the assisting agency only; investigators see assistance data
 * only with the person's recorded consent; the audit trail is read by
 * auditors); the principle of least privilege (GDPR art. 5(1)(c), art. 25)
 * for the cells issue 3 leaves open, each marked "decision" below and
 * described in docs/api.md.
 */
#include "access.h"

#include <assert.h>
#include <string.h>

static const char *const role_codes[CT_ROLE__N] = {
    [CT_ROLE_ADMIN] = "admin",
    [CT_ROLE_COORDINATOR] = "coordinator",
    [CT_ROLE_CASEWORKER] = "caseworker",
    [CT_ROLE_CHILD_PROTECTION] = "child_protection",
    [CT_ROLE_INVESTIGATOR] = "investigator",
    [CT_ROLE_PROSECUTOR] = "prosecutor",
    [CT_ROLE_ANALYST] = "analyst",
    [CT_ROLE_AUDITOR] = "auditor",
};

static const char *const perm_names[CT_PERM__N] = {
    [CT_PERM_AUTHENTICATED] = "authenticated",
    [CT_PERM_CASE_READ] = "case.read",
    [CT_PERM_CASE_WRITE] = "case.write",
    [CT_PERM_CASE_DELETE] = "case.delete",
    [CT_PERM_CASE_SHARE] = "case.share",
    [CT_PERM_PERSON_READ] = "person.read",
    [CT_PERM_PERSON_WRITE] = "person.write",
    [CT_PERM_PROCEEDING_READ] = "proceeding.read",
    [CT_PERM_PROCEEDING_WRITE] = "proceeding.write",
    [CT_PERM_AGENCY_READ] = "agency.read",
    [CT_PERM_AGENCY_WRITE] = "agency.write",
    [CT_PERM_USER_READ] = "user.read",
    [CT_PERM_USER_WRITE] = "user.write",
    [CT_PERM_AUDIT_READ] = "audit.read",
    [CT_PERM_STATS_READ] = "stats.read",
    [CT_PERM_NRM_READ] = "nrm.read",
    [CT_PERM_NRM_WRITE] = "nrm.write",
    [CT_PERM_NRM_NOTE] = "nrm.note",
    [CT_PERM_NRM_NON_PUNISHMENT] = "nrm.non_punishment",
    [CT_PERM_NRM_SETTINGS] = "nrm.settings",
    [CT_PERM_REGISTRY_READ] = "registry.read",
    [CT_PERM_REGISTRY_WRITE] = "registry.write",
    [CT_PERM_REGISTRY_FLAGS] = "registry.flags",
    [CT_PERM_REVIEW] = "review",
    [CT_PERM_ESTIMATE] = "estimate.run",
};

/*
 * Table 1: role x permission. One string per role, one character per
 * permission in enum order, groups separated by spaces (ignored):
 * 'x' allowed, '.' refused.
 */
/* clang-format off */
static const char *const perms[CT_ROLE__N] = {
    /*                          auth case  person proc agency user audit stats nrm   reg review est
     *                               rwds  rw     rw   rw     rw   r     r     rwnps rwf r      r
     * stats: the coordinator and the analyst (issue 4); est: multiple
     * systems estimation, the coordinator and the analyst (issue 5)
     * reg: registries (issue 7) are read by the roles that work with
     * children's cases and by the analyst (anonymised, table 3); recorded
     * and changed by child protection only (issue 7: "edited by its
     * child_protection users"); institution flags are for the coordinator
     * (issue 7). review: the roles of table 4 */
    /* admin: manages agencies and users and deletes cases (issue 3); reads
     * cases of its agency without personal data (decision: table 3); no
     * victim's NRM file, no registry (decision: least privilege) */
    [CT_ROLE_ADMIN]            = "x    x.x.  x.     x.   xx     xx   .     .     ..... ... . .",
    /* coordinator: national NRM coordinator, works on cases; takes NRM
     * decisions and sets the reflection period's defaults (docs/nrm.md §3);
     * no counselling notes (table 3) */
    [CT_ROLE_COORDINATOR]      = "x    xx.x  xx     x.   x.     ..   .     x     xx.xx x.x x x",
    /* caseworker and child protection: record and follow cases; the NRM
     * path, referrals, consent, child gates, their own counselling notes */
    [CT_ROLE_CASEWORKER]       = "x    xx.x  xx     x.   x.     ..   .     .     xxxx. x.. x .",
    [CT_ROLE_CHILD_PROTECTION] = "x    xx.x  xx     x.   x.     ..   .     .     xxxx. xx. x .",
    /* investigator: records cases and criminal proceedings; reads NRM
     * records only with the person's consent (table 3 'C'); takes no NRM
     * decision (decision: the NRM's actors decide, docs/api.md); reads its
     * agency's registry records (the police take missing-child reports) */
    [CT_ROLE_INVESTIGATOR]     = "x    xx.x  xx     xx   x.     ..   .     .     x..x. x.. . .",
    /* prosecutor: reads cases, records proceedings; sees the non-punishment
     * flag (issue 3; CoE Convention art. 26); no registry (decision: least
     * privilege, a prosecution reaches the child through its case) */
    [CT_ROLE_PROSECUTOR]       = "x    x...  x.     xx   x.     ..   .     .     x..x. ... . .",
    /* analyst: anonymised reading only (table 3 hides every personal class);
     * never a person's NRM file (issue 3) */
    [CT_ROLE_ANALYST]          = "x    x...  x.     x.   x.     ..   .     x     ..... x.. . x",
    /* auditor: the audit trail and who the users are; no case data */
    [CT_ROLE_AUDITOR]          = "x    ....  ..     ..   x.     x.   x     .     ..... ... . .",
};
/* clang-format on */

/* Table 2: which cases a role reaches. National roles (the coordinator of
 * the NRM, the analyst of national statistics) see every case; data of
 * cases outside their agency follows the "other" column of table 3. */
static const enum ct_scope scopes[CT_ROLE__N] = {
    [CT_ROLE_ADMIN] = CT_SCOPE_AGENCY,        [CT_ROLE_COORDINATOR] = CT_SCOPE_NATIONAL,
    [CT_ROLE_CASEWORKER] = CT_SCOPE_AGENCY,   [CT_ROLE_CHILD_PROTECTION] = CT_SCOPE_AGENCY,
    [CT_ROLE_INVESTIGATOR] = CT_SCOPE_AGENCY, [CT_ROLE_PROSECUTOR] = CT_SCOPE_AGENCY,
    [CT_ROLE_ANALYST] = CT_SCOPE_NATIONAL,    [CT_ROLE_AUDITOR] = CT_SCOPE_AGENCY,
};

/*
 * Table 3: role x data class x relation. Each cell is three characters,
 * for a case the reader's agency owns, one shared with it, and any other
 * case: 'V' visible, '-' hidden, 'C' visible with the person's recorded
 * consent to share with the reader's agency, 'A' visible to the agency
 * that assists the person.
 */
enum {
    CLASS_NAME,
    CLASS_CONTACT,
    CLASS_IDENT,
    CLASS_BIRTH,
    CLASS_TEXT,
    CLASS_ASSIST,
    CLASS_COUNSEL,
    CLASS__N
};
static const unsigned class_bits[CLASS__N] = {CT_PD_NAME,       CT_PD_CONTACT,   CT_PD_IDENTIFIER,
                                              CT_PD_BIRTH,      CT_PD_FREE_TEXT, CT_DC_ASSISTANCE,
                                              CT_DC_COUNSELLING};

/* clang-format off */
static const char *const cells[CT_ROLE__N][CLASS__N] = {
    /*                           name   contact ident  birth  text   assist counsel */
    /* admin: runs the system, needs no victim's identity (decision) */
    [CT_ROLE_ADMIN]            = {"---", "---",  "---", "---", "VV-", "---", "---"},
    /* coordinator: identity of own and shared cases; other agencies' cases
     * anonymised; counselling stays with the assisting agency */
    [CT_ROLE_COORDINATOR]      = {"VV-", "VV-",  "VV-", "VV-", "VV-", "VV-", "---"},
    [CT_ROLE_CASEWORKER]       = {"VV-", "VV-",  "VV-", "VV-", "VV-", "VV-", "AA-"},
    [CT_ROLE_CHILD_PROTECTION] = {"VV-", "VV-",  "VV-", "VV-", "VV-", "VV-", "AA-"},
    /* investigator, prosecutor: assistance data only with consent (issue 3;
     * assistance never depends on cooperation, CoE Convention art. 12(6)) */
    [CT_ROLE_INVESTIGATOR]     = {"VV-", "VV-",  "VV-", "VV-", "VV-", "CC-", "---"},
    [CT_ROLE_PROSECUTOR]       = {"VV-", "VV-",  "VV-", "VV-", "VV-", "CC-", "---"},
    /* analyst: anonymised statistics only (domain.md §5) */
    [CT_ROLE_ANALYST]          = {"---", "---",  "---", "---", "---", "---", "---"},
    /* auditor: no case data at all (table 1 refuses case reads anyway) */
    [CT_ROLE_AUDITOR]          = {"---", "---",  "---", "---", "---", "---", "---"},
};
/* clang-format on */

int ct_access_role(const char *code)
{
    for (int i = 0; code && i < CT_ROLE__N; i++)
        if (strcmp(role_codes[i], code) == 0)
            return i;
    return -1;
}

const char *ct_access_role_code(int role)
{
    return role >= 0 && role < CT_ROLE__N ? role_codes[role] : NULL;
}

#ifndef NDEBUG
/* Every row of table 1 has one character per permission. */
static void assert_perms_ok(void)
{
    for (int role = 0; role < CT_ROLE__N; role++) {
        int k = 0;
        for (const char *c = perms[role]; *c; c++)
            k += *c != ' ';
        assert(k == CT_PERM__N);
    }
}
#else
#define assert_perms_ok() ((void)0)
#endif

int ct_access_allows(int role, enum ct_perm perm)
{
    assert_perms_ok();
    if (role < 0 || role >= CT_ROLE__N || perm < 0 || perm >= CT_PERM__N)
        return 0;
    int k = 0;
    for (const char *c = perms[role]; *c; c++) {
        if (*c == ' ')
            continue;
        if (k++ == (int)perm)
            return *c == 'x';
    }
    return 0; /* a row too short refuses (tests/access checks every row's length) */
}

const char *ct_access_perm_name(enum ct_perm perm)
{
    return perm >= 0 && perm < CT_PERM__N ? perm_names[perm] : "?";
}

enum ct_scope ct_access_scope(int role)
{
    return role >= 0 && role < CT_ROLE__N ? scopes[role] : CT_SCOPE_AGENCY;
}

int ct_access_default_facts(void *arg, struct ct_store *store, const char *case_id,
                            const char *person_id, const char *agency, int role,
                            enum ct_relation rel, ct_access_facts *out)
{
    (void)arg;
    (void)store;
    (void)role;
    (void)case_id;
    (void)person_id;
    (void)agency;
    out->consent = 0;
    out->assisting = rel == CT_REL_OWN;
    return 0;
}

char ct_access_cell(int role, unsigned class_bit, enum ct_relation rel)
{
    if (role < 0 || role >= CT_ROLE__N || rel < 0 || rel >= CT_REL__N)
        return '-';
    for (int k = 0; k < CLASS__N; k++)
        if (class_bits[k] == class_bit)
            return cells[role][k][rel];
    return '-';
}

int ct_access_needs_facts(int role, enum ct_relation rel)
{
    for (int k = 0; k < CLASS__N; k++) {
        char c = ct_access_cell(role, class_bits[k], rel);
        if (c == 'C')
            return 1;
    }
    return 0;
}

unsigned ct_access_hidden(int role, enum ct_relation rel, const ct_access_facts *facts)
{
    unsigned hidden = 0;
    for (int k = 0; k < CLASS__N; k++) {
        char c = ct_access_cell(role, class_bits[k], rel);
        int visible = c == 'V' || (c == 'C' && facts && facts->consent) ||
                      (c == 'A' && facts && facts->assisting);
        if (!visible)
            hidden |= class_bits[k];
    }
    return hidden;
}

/*
 * Table 4: the review queue (docs/review.md): for each kind of candidate,
 * one character per role in enum order: 'x' every item, 'a' the items with
 * a record of the reviewer's agency, '.' none.
 *
 *  - registry_hit (issue 7): the coordinator (national scope, flags and
 *    alerts are its work) and child protection, for the items holding one
 *    of its agency's registry records or victims (decision: the agency
 *    that keeps the registry judges its children, no other agency's);
 *  - duplicate_person (issue 6): the coordinator, and the caseworkers
 *    (caseworker, child_protection) of an agency holding one of the two
 *    persons (decision: those who know the person judge; investigators
 *    and prosecutors take no part in identifying victims, analysts and
 *    auditors see no identities).
 */
/* clang-format off */
static const struct {
    const char *kind;
    const char reach[CT_ROLE__N + 1]; /* admin coord caseworker child inv pros analyst auditor */
} review_rules[] = {
    {"registry_hit",     ".x.a...."},
    {"duplicate_person", ".xaa...."},
};
/* clang-format on */

/* What the linkage compares: without them no reviewer can judge a pair. */
static const unsigned review_compared = CT_PD_NAME | CT_PD_BIRTH;

enum ct_review_reach ct_access_review_reach(int role, const char *kind)
{
    if (role < 0 || role >= CT_ROLE__N || !kind)
        return CT_REVIEW_REACH_NONE;
    for (size_t i = 0; i < sizeof(review_rules) / sizeof(review_rules[0]); i++) {
        if (strcmp(review_rules[i].kind, kind) != 0)
            continue;
        char c = review_rules[i].reach[role];
        return c == 'x'   ? CT_REVIEW_REACH_ALL
               : c == 'a' ? CT_REVIEW_REACH_AGENCY
                          : CT_REVIEW_REACH_NONE;
    }
    return CT_REVIEW_REACH_NONE;
}

unsigned ct_access_review_hidden(int role, enum ct_relation rel)
{
    unsigned hidden = ct_access_hidden(role, rel, NULL);
    int reviewer = 0;
    for (size_t i = 0; i < sizeof(review_rules) / sizeof(review_rules[0]); i++)
        reviewer |= ct_access_review_reach(role, review_rules[i].kind) != CT_REVIEW_REACH_NONE;
    return reviewer ? hidden & ~review_compared : hidden;
}
