/*
 * access.h - who may do what, and who may see which data: the role x
 * permission table and the role x data class x relation table, in one
 * place (src/access/access.c), so the rules can be read, audited and
 * tested as data (c-style.md "Rules as data").
 *
 * Roles are the codes of data/codes/user_roles.tsv (domain.md §5). Data
 * classes are the personal-data classes of model.h (CT_PD_*) plus two that
 * the NRM workflow's records carry (CT_DC_ASSISTANCE, CT_DC_COUNSELLING).
 *
 * Relation: how the reader's agency relates to the case holding the data
 * (owner, shared with it, or neither: only national-scope roles reach
 * those cases at all).
 *
 * Facts that depend on one person (the person consented to share
 * assistance data with the reader's agency; the reader's agency assists
 * the person) come from a lookup the caller passes in. The NRM workflow
 * (src/nrm: consent records, referrals) provides the real one; until then
 * ct_access_default_facts answers "no consent recorded" and "the owner
 * agency assists".
 *
 * Everything here is const data and pure functions: thread-safe.
 */
#ifndef CT_ACCESS_ACCESS_H
#define CT_ACCESS_ACCESS_H

#include "core/model.h"

/* Roles, in the order of data/codes/user_roles.tsv. */
enum ct_role {
    CT_ROLE_ADMIN,
    CT_ROLE_COORDINATOR,
    CT_ROLE_CASEWORKER,
    CT_ROLE_CHILD_PROTECTION,
    CT_ROLE_INVESTIGATOR,
    CT_ROLE_PROSECUTOR,
    CT_ROLE_ANALYST,
    CT_ROLE_AUDITOR,
    CT_ROLE__N
};

/* The role of a code ("caseworker"); -1 when unknown. */
int ct_access_role(const char *code);
/* The code of a role; NULL when out of range. */
const char *ct_access_role_code(int role);

/* What a request may do; the routes table names one per endpoint. */
enum ct_perm {
    CT_PERM_AUTHENTICATED, /* any signed-in user */
    CT_PERM_CASE_READ,
    CT_PERM_CASE_WRITE,
    CT_PERM_CASE_DELETE,
    CT_PERM_CASE_SHARE,
    CT_PERM_PERSON_READ,
    CT_PERM_PERSON_WRITE,
    CT_PERM_PROCEEDING_READ,
    CT_PERM_PROCEEDING_WRITE,
    CT_PERM_AGENCY_READ,
    CT_PERM_AGENCY_WRITE,
    CT_PERM_USER_READ,
    CT_PERM_USER_WRITE,
    CT_PERM_AUDIT_READ,
    CT_PERM_STATS_READ, /* aggregate statistics (/api/v1/stats) */
    /* the National Referral Mechanism (src/nrm; docs/nrm.md) */
    CT_PERM_NRM_READ,           /* a person's NRM records (then the assistance class decides) */
    CT_PERM_NRM_WRITE,          /* workflow actions, screening, referrals, consent, child gates */
    CT_PERM_NRM_NOTE,           /* counselling and case notes (the counselling class decides) */
    CT_PERM_NRM_NON_PUNISHMENT, /* the non-punishment flag, read and set */
    CT_PERM_NRM_SETTINGS,       /* the recovery and reflection period's defaults */
    /* the child registries (issue 7; docs/registries.md) and the review queue (docs/review.md) */
    CT_PERM_REGISTRY_READ,  /* missing-child reports, placements, institutions (table 3 decides
                             * the fields; table 2 which agencies' records) */
    CT_PERM_REGISTRY_WRITE, /* record and change them (the owning agency's records only) */
    CT_PERM_REGISTRY_FLAGS, /* institutions flagged (the orphanage-trafficking pattern) */
    CT_PERM_REVIEW,         /* the review queue; table 4 says which kinds and items */
    CT_PERM_ESTIMATE,       /* multiple systems estimation (/api/v1/estimate): aggregates */
    CT_PERM__N
};

int ct_access_allows(int role, enum ct_perm perm);
/* "case.read", ...: names used in docs/openapi.yaml and `ctip serve --routes`. */
const char *ct_access_perm_name(enum ct_perm perm);

/* Which cases a role reaches: those of its agency (own and shared with
 * it), or every case in the database (national roles; data of cases of
 * other agencies is then subject to the CT_REL_OTHER column). */
enum ct_scope { CT_SCOPE_AGENCY, CT_SCOPE_NATIONAL };
enum ct_scope ct_access_scope(int role);

/* Data classes beyond model.h's CT_PD_* (which use bits 0-4). */
#define CT_DC_ASSISTANCE  (1u << 5) /* referrals, services, shelter (NRM) */
#define CT_DC_COUNSELLING (1u << 6) /* counselling and psychological notes (NRM) */
#define CT_DC_ALL         (CT_PD_ALL | CT_DC_ASSISTANCE | CT_DC_COUNSELLING)

enum ct_relation { CT_REL_OWN, CT_REL_SHARED, CT_REL_OTHER, CT_REL__N };

typedef struct ct_access_facts {
    int consent;   /* the person consented to share assistance data with the reader's agency */
    int assisting; /* the reader's agency assists the person (counselling notes) */
} ct_access_facts;

struct ct_store;
/* Fills facts for one person of a case and the reader's agency, reading
 * them from store (the calling thread's). arg is the lookup's own state.
 * Returns 0 or a CT_E* code (the facts then count as absent). */
typedef int (*ct_access_facts_fn)(void *arg, struct ct_store *store, const char *case_id,
                                  const char *person_id, const char *agency, int role,
                                  enum ct_relation rel, ct_access_facts *out);
/* No consent recorded; the owner agency assists. `ctip serve` uses the
 * NRM's consent records instead (src/cli/serve.c). */
int ct_access_default_facts(void *arg, struct ct_store *store, const char *case_id,
                            const char *person_id, const char *agency, int role,
                            enum ct_relation rel, ct_access_facts *out);
/* Whether a role's cells for rel depend on the person's consent ('C'):
 * when not, callers need not look the facts up (assisting follows the
 * relation: the owner agency assists). */
int ct_access_needs_facts(int role, enum ct_relation rel);

/* The data classes (bits) a role must not receive about one person (or a
 * case's own fields, with facts NULL meaning "no consent, not assisting"). */
unsigned ct_access_hidden(int role, enum ct_relation rel, const ct_access_facts *facts);

/* For tests and docs: the raw cell ('V' visible, '-' hidden, 'C' with the
 * person's consent, 'A' to the assisting agency) of one class bit. */
char ct_access_cell(int role, unsigned class_bit, enum ct_relation rel);

/*
 * Table 4: the review queue (docs/review.md). Which items of a kind a role
 * may see and decide: none, those with a record of the reviewer's agency,
 * or all.
 */
enum ct_review_reach { CT_REVIEW_REACH_NONE, CT_REVIEW_REACH_AGENCY, CT_REVIEW_REACH_ALL };
enum ct_review_reach ct_access_review_reach(int role, const char *kind);
/* The classes a reviewer must not receive of one record of an item it may
 * review: those table 3 hides (relation rel of the reviewer to the
 * record), less what the linkage compared (names, birth date) — a
 * candidate cannot be judged without them. */
unsigned ct_access_review_hidden(int role, enum ct_relation rel);

#endif
